using System.Net;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Requests;

/// <summary>
/// Framing on `dockyard web`, settled as the Functions host settles it (tests/Dockyard.FunctionsHost.Tests/FramingTests), and
/// chunked bodies whose framing is wrong, on the three ways the registry reads a body (a UAM JSON body, a manifest, a
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

    [Fact]
    public async Task Conflicting_lengths_are_settled_as_the_functions_host_settles_them()
    {
        const string Next = "GET /v2/_catalog HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        static byte[] SignUp(string name) => Encoding.ASCII.GetBytes($$"""{"name":"{{name}}","email":"{{name}}@example.com","password":"password1"}""");
        var address = server.BaseAddress;

        // Content-Length beside chunked: the chunked body is read whole, and the connection closes after the answer, so
        // what follows that body is never read as a request.
        var body = SignUp("framedchunked");
        var chunked = await RawHttp.ExchangeAsync(address, RawHttp.Request(address,
            ["POST /uam/user/signup HTTP/1.1", "Content-Type: application/json", "Content-Length: 5", "Transfer-Encoding: chunked"],
            [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8, .. Encoding.ASCII.GetBytes(Next)]));
        Assert.Equal(new[] { 201 }, chunked.Select(a => a.Status));

        // Two Content-Length headers: 400, nothing read.
        var twice = SignUp("framedtwice");
        var refused = await RawHttp.ExchangeAsync(address, RawHttp.Request(address,
            ["POST /uam/user/signup HTTP/1.1", "Content-Type: application/json", $"Content-Length: {twice.Length}", "Content-Length: 5"], twice));
        Assert.Equal(new[] { 400 }, refused.Select(a => a.Status));
        using (var none = await server.Client.GetAsync("/uam/user/framedtwice"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        // A request after a body of declared length is a request of its own, with its own answer.
        var first = SignUp("framedfirst");
        var both = await RawHttp.ExchangeAsync(address, RawHttp.Request(address,
            ["POST /uam/user/signup HTTP/1.1", "Content-Type: application/json", $"Content-Length: {first.Length}"], [.. first, .. Encoding.ASCII.GetBytes(Next)]));
        Assert.Equal(new[] { 201, 200 }, both.Select(a => a.Status));
    }
}
