using System.Net;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// A page takes a small form whatever the framing. Before, the registry's Kestrel took bodies of any size and the
/// antiforgery check of any POST read the whole form into memory before any page code, for anyone: up to 1,024 fields of
/// 4 MiB each per request.
/// </summary>
public sealed class FormLimitsTests
{
    private static Dictionary<string, string> WrongSignIn(string token, int paddingBytes) => new()
    {
        ["UserName"] = "alice",
        ["Password"] = "nope",
        ["Padding"] = new string('a', paddingBytes),
        ["__RequestVerificationToken"] = token,
    };

    [Fact]
    public async Task A_form_past_the_limits_is_refused_declared_or_chunked_and_a_normal_one_still_works()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        using var session = new WebSession(registry.BaseAddress);
        const int Padding = 256 * 1024;

        using (var declared = await session.Client.PostAsync("/signin", new FormUrlEncodedContent(WrongSignIn(await session.TokenFromAsync("/signin"), Padding))))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        }

        using var form = new FormUrlEncodedContent(WrongSignIn(await session.TokenFromAsync("/signin"), Padding));
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/signin") { Content = new StreamContent(await form.ReadAsStreamAsync()) };
        chunked.Content.Headers.ContentType = form.Headers.ContentType;
        chunked.Headers.TransferEncodingChunked = true;
        using (var response = await session.Client.SendAsync(chunked))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        var many = WrongSignIn(await session.TokenFromAsync("/signin"), 1);
        for (var i = 0; i < 100; i++)
        {
            many["f" + i] = "x";
        }
        using (var fields = await session.Client.PostAsync("/signin", new FormUrlEncodedContent(many)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, fields.StatusCode);
        }

        await session.SignInAsync("alice", "alice-secret-1");
    }

    [Theory]
    [InlineData("80000000")]
    [InlineData("1ffffffffffffffff")]
    [InlineData("zz")]
    public async Task A_chunk_size_kestrel_cannot_read_is_400_not_500(string size)
    {
        // Kestrel reports a chunk size of 2^31 or more as an IOException, not as the BadHttpRequestException of other bad sizes.
        await using var registry = await WebRegistry.StartAsync();
        var body = Encoding.ASCII.GetBytes($"5\r\nUserN\r\n{size}\r\n=alice\r\n0\r\n\r\n");

        var answers = await RawHttp.ExchangeAsync(registry.BaseAddress, RawHttp.Request(registry.BaseAddress,
            ["POST /signin HTTP/1.1", "Content-Type: application/x-www-form-urlencoded", "Transfer-Encoding: chunked", "Connection: close"], body));

        var answer = Assert.Single(answers);
        Assert.True(answer.Status == 400, answer.Head);
    }
}
