using System.Net;

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
}
