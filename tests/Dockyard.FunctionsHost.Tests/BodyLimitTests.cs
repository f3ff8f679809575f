using System.Net;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// Bodies over the host's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT (4 MiB here) through the real host: a monolithic PUT and a
/// PATCH that declare a Content-Length over it and a chunked PATCH that runs over it are refused by the host itself,
/// nothing of them is visible afterwards, and the same bytes sent as PATCHes under the limit make a blob that pulls
/// back identical. The host refuses with a bare 500 (README, "Request size"): with a Content-Length its HTTP binding
/// reads the body before the worker is asked, so the worker cannot answer the registry's 413 instead.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class BodyLimitTests(SmallBodyLimitHostFixture fixture, ITestOutputHelper output) : IClassFixture<SmallBodyLimitHostFixture>
{
    private const int OverLimit = SmallBodyLimitHostFixture.Limit + (2 << 20);
    private const int UnderLimit = 3 << 20;

    /// <summary>More than the loopback socket buffers hold, so that a client streaming it cannot finish before the close.</summary>
    private const int StreamedOverLimit = 32 << 20;

    [Theory]
    [InlineData("PUT", "fnlimit/put")] // monolithic: the whole blob with the digest
    [InlineData("PATCH", "fnlimit/patch")] // the whole blob as one chunk, as skopeo sends a layer
    public async Task A_put_or_patch_declaring_a_length_over_the_limit_is_refused_by_the_host_and_stores_nothing(string method, string repository)
    {
        var client = fixture.Host.Client;
        var blob = RandomNumberGenerator.GetBytes(OverLimit);
        var upload = await StartAsync(client, repository);
        var uri = method == "PUT" ? $"{upload}?digest={DigestOf(blob)}" : upload;

        var invoked = await AssertRefusedByHostAsync(new HttpMethod(method), uri, blob);

        await AssertNothingStoredAsync(client, repository, blob, upload);
        await AssertOnlyTheChecksInvokedAsync(invoked);
    }

    [Fact]
    public async Task A_chunked_patch_running_over_the_limit_is_refused_and_adds_nothing()
    {
        var client = fixture.Host.Client;
        var blob = RandomNumberGenerator.GetBytes(OverLimit);
        var upload = await StartAsync(client, "fnlimit/chunked");
        // A stream of unknown length: HttpClient sends it with Transfer-Encoding: chunked, as docker does.
        using var content = new StreamContent(new UnknownLengthStream(blob));

        var status = await SendAsync(() => client.PatchAsync(upload, content));

        output.WriteLine($"chunked PATCH of {OverLimit} bytes: {status}");
        Assert.Equal(HostRefusal, status);
        await AssertNothingStoredAsync(client, "fnlimit/chunked", blob, upload);
    }

    [Fact]
    public async Task The_same_bytes_as_patches_under_the_limit_make_a_blob_that_pulls_back_identical()
    {
        var client = fixture.Host.Client;
        var blob = RandomNumberGenerator.GetBytes(OverLimit * 2);
        var digest = DigestOf(blob);
        var upload = await StartAsync(client, "fnlimit/chunks");

        for (var offset = 0; offset < blob.Length; offset += UnderLimit)
        {
            var length = Math.Min(UnderLimit, blob.Length - offset);
            using var chunk = new ByteArrayContent(blob, offset, length);
            chunk.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            using var patch = await client.PatchAsync(upload, chunk);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{offset + length - 1}", patch.Headers.GetValues("Range").Single());
            upload = new Uri(patch.Headers.Location!.ToString()).PathAndQuery;
        }
        using (var put = await client.PutAsync($"{upload}?digest={digest}", null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(blob, await client.GetByteArrayAsync($"/v2/fnlimit/chunks/blobs/{digest}"));
    }

    /// <summary>What the host answers a body over its limit, Content-Length or chunked: its bare 500, no registry error.</summary>
    private static (HttpStatusCode, string) HostRefusal => (HttpStatusCode.InternalServerError, "");

    /// <summary>
    /// Sends <paramref name="body"/> with its Content-Length, over the limit, twice, and returns the counts of function
    /// invocations and of failed ones that the host had logged before. A client that waits for the answer before sending the body
    /// (<c>Expect: 100-continue</c>) gets the host's bare 500 and sends nothing. One that streams the body at once, as
    /// HttpClient does, has the connection closed under it while it writes: the host answers and closes without reading
    /// the body, so the client's write fails (and the 500 is lost unless the client reads it while writing, as Go's
    /// client, which skopeo and docker use, does).
    /// </summary>
    private async Task<(int Invocations, int Failed)> AssertRefusedByHostAsync(HttpMethod method, string uri, byte[] body)
    {
        var client = fixture.Host.Client;
        var before = (fixture.Host.HttpInvocations().Count, HostFailures().Failed);

        var waited = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, uri) { Content = new ByteArrayContent(body) };
            request.Headers.ExpectContinue = true;
            return client.SendAsync(request);
        });
        var streamed = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(new HttpRequestMessage(method, uri)
        {
            Content = new ByteArrayContent(new byte[StreamedOverLimit]),
        }));

        output.WriteLine($"{method} of {body.Length} bytes with Content-Length: {waited}; streamed at once: {streamed.InnerException?.Message}");
        Assert.Equal(HostRefusal, waited);
        Assert.IsAssignableFrom<IOException>(streamed.InnerException);
        return before;
    }

    /// <summary>
    /// Since <paramref name="before"/> the host logged an invocation of the function for each of the two refused requests
    /// and for the three requests of <see cref="AssertNothingStoredAsync"/>, and no other; and the two refused ones
    /// failed in the host's HTTP binding ("Exception binding parameter 'request'" → "Request body too large"), which
    /// reads the body before anything goes to the worker. Waits for the host's log lines.
    /// </summary>
    private async Task AssertOnlyTheChecksInvokedAsync((int Invocations, int Failed) before)
    {
        const int expected = 2 + 3;
        var (invoked, failedBefore) = before;
        var invocations = fixture.Host.HttpInvocations();
        for (var waited = 0; invocations.Count < invoked + expected && waited < 100; waited++)
        {
            await Task.Delay(100);
            invocations = fixture.Host.HttpInvocations();
        }
        await Task.Delay(300);
        invocations = fixture.Host.HttpInvocations();
        Assert.True(invocations.Count == invoked + expected, $"{invocations.Count - invoked} invocations, not {expected}: {string.Join(", ", invocations.Skip(invoked))}");
        var (failed, tooLarge) = HostFailures();
        Assert.Equal(failedBefore + 2, failed);
        Assert.True(tooLarge, "the host's log names no body over its limit");
    }

    /// <summary>
    /// The host's log: how many invocations it logged as failed, and whether it said why for a body over the limit
    /// (its HTTP binding's "Request body too large").
    /// </summary>
    private (int Failed, bool TooLarge) HostFailures()
    {
        using var log = new StreamReader(new FileStream(fixture.Host.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var text = log.ReadToEnd();
        return (text.Split("Executed 'Functions.v2' (Failed,").Length - 1,
            text.Contains($"BadHttpRequestException: Request body too large. The max request body size is {SmallBodyLimitHostFixture.Limit} bytes.", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>No blob under the digest, and the upload session still at zero bytes (Range 0-0, Location unchanged).</summary>
    private static async Task AssertNothingStoredAsync(HttpClient client, string repository, byte[] blob, string upload)
    {
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{DigestOf(blob)}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
        using var status = await client.GetAsync(upload);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-0", status.Headers.GetValues("Range").Single());
        // One byte is the smallest PATCH that can follow: it lands at offset 0, so the session held nothing.
        using var first = new ByteArrayContent(blob, 0, 1);
        first.Headers.TryAddWithoutValidation("Content-Range", "0-0");
        using var patch = await client.PatchAsync(upload, first);
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
    }

    private static async Task<string> StartAsync(HttpClient client, string repository)
    {
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return new Uri(start.Headers.Location!.ToString()).PathAndQuery;
    }

    private static string DigestOf(byte[] blob) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));

    /// <summary>The bytes of a buffer, read in 64 KiB pieces, with no length to offer.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 64 << 10));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 64 << 10)], cancellationToken);
    }
}
