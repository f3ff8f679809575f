using System.Net;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Requests;

/// <summary>
/// Chunked bodies whose framing is wrong, on the three ways the registry reads a body (a UAM JSON body, a manifest, a
/// streamed upload): a 400, never a 500, and nothing written. Kestrel reads a chunk size into a 32-bit integer and reports
/// one of 2^31 or more as an <see cref="IOException"/>, not as the <c>BadHttpRequestException</c> of every other bad size,
/// which the dispatcher answered as an unexpected failure (500, with a stack trace in the log for each request).
/// </summary>
public sealed class BodyFramingTests : IAsyncLifetime
{
    private RegistryServer server = null!;

    public async Task InitializeAsync() => server = await RegistryServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("80000000")]
    [InlineData("ffffffff")]
    [InlineData("1ffffffffffffffff")]
    [InlineData("zz")]
    public async Task A_chunk_size_kestrel_cannot_read_is_400_on_every_kind_of_body_and_an_upload_keeps_nothing(string size)
    {
        using var start = await server.Client.PostAsync("/v2/framing/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var upload = start.Headers.Location!.ToString();
        // A whole first chunk, then the size that cannot be read: an upload would have the first chunk's bytes in hand.
        var body = Encoding.ASCII.GetBytes($"5\r\nhello\r\n{size}\r\nworld\r\n0\r\n\r\n");

        foreach (var (method, path) in new[]
        {
            ("POST", "/uam/user/signup"),
            ("PUT", "/v2/framing/app/manifests/latest"),
            ("PATCH", upload),
        })
        {
            var answers = await RawHttp.ExchangeAsync(server.BaseAddress, RawHttp.Request(server.BaseAddress,
                [$"{method} {path} HTTP/1.1", "Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close"], body));
            var answer = Assert.Single(answers);
            Assert.True(answer.Status == 400, $"{method} {path} with chunk size {size}: {answer.Head}");
            Assert.Contains("application/json", answer.Head, StringComparison.Ordinal);
        }

        using var status = await server.Client.GetAsync(upload);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-0", status.Headers.GetValues("Range").Single());
    }
}
