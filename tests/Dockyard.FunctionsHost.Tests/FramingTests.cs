using System.Net;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// Framing no HTTP client produces, sent to the real host: the host's Kestrel reads the client's framing and hands the
/// worker a request framed afresh, so what the worker reads is one whole body or nothing. A Content-Length beside
/// Transfer-Encoding is ignored (the body is read chunked) and the connection is closed after the answer, so nothing
/// sent after that body is read as a request; two Content-Length headers are the host's 400; a request after a body
/// of declared length is a request of its own, with its own answer; a chunk size the host cannot read is its bare 500
/// (as for a body over its limit, the worker cannot answer in its place) and the upload keeps nothing of the body.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class FramingTests(OpenHostFixture fixture)
    : IClassFixture<OpenHostFixture>
{
    private const string Next = "GET /v2/_catalog HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    private static byte[] SignUp(string name) => Encoding.ASCII.GetBytes($$"""{"name":"{{name}}","email":"{{name}}@example.com","password":"password1"}""");

    [Fact]
    public async Task A_content_length_beside_chunked_is_ignored_and_nothing_after_that_body_is_read_as_a_request()
    {
        var host = fixture.Host.BaseAddress;
        var body = SignUp("framedchunked");
        byte[] chunked = [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8, .. Encoding.ASCII.GetBytes(Next)];

        var answers = await RawHttp.ExchangeAsync(host, RawHttp.Request(host,
            ["POST /uam/user/signup HTTP/1.1", "Content-Type: application/json", "Content-Length: 5", "Transfer-Encoding: chunked"], chunked));

        Assert.Equal(new[] { 201 }, answers.Select(a => a.Status));
        // The worker read the whole chunked body, not the five bytes the Content-Length announced.
        using var user = await fixture.Host.Client.GetAsync("/uam/user/framedchunked");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
    }

    [Fact]
    public async Task Two_content_lengths_are_the_hosts_400_and_a_request_after_a_declared_body_is_its_own()
    {
        var host = fixture.Host.BaseAddress;
        var twice = SignUp("framedtwice");
        var refused = await RawHttp.ExchangeAsync(host, RawHttp.Request(host,
            ["POST /uam/user/signup HTTP/1.1", "Content-Type: application/json", $"Content-Length: {twice.Length}", "Content-Length: 5"], twice));
        Assert.Equal(new[] { 400 }, refused.Select(a => a.Status));
        using (var none = await fixture.Host.Client.GetAsync("/uam/user/framedtwice"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        var body = SignUp("framedfirst");
        var answers = await RawHttp.ExchangeAsync(host, RawHttp.Request(host,
            ["POST /uam/user/signup HTTP/1.1", "Content-Type: application/json", $"Content-Length: {body.Length}"], [.. body, .. Encoding.ASCII.GetBytes(Next)]));
        Assert.Equal(new[] { 201, 200 }, answers.Select(a => a.Status));
    }

    [Theory]
    [InlineData("80000000")]
    [InlineData("zz")]
    public async Task A_chunk_size_the_host_cannot_read_is_refused_and_the_upload_keeps_nothing(string size)
    {
        var client = fixture.Host.Client;
        using var start = await client.PostAsync("/v2/framing/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var upload = new Uri(start.Headers.Location!.ToString()).PathAndQuery;
        var host = fixture.Host.BaseAddress;

        var answers = await RawHttp.ExchangeAsync(host, RawHttp.Request(host,
            [$"PATCH {upload} HTTP/1.1", "Transfer-Encoding: chunked", "Connection: close"],
            Encoding.ASCII.GetBytes($"5\r\nhello\r\n{size}\r\nworld\r\n0\r\n\r\n")), quiet: TimeSpan.FromSeconds(60));

        Assert.All(answers, a => Assert.False(a.Status is >= 200 and < 300, a.Head));
        using var status = await client.GetAsync(upload);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-0", status.Headers.GetValues("Range").Single());
    }
}
