using System.Net;
using System.Text.RegularExpressions;

namespace Dockyard.Web.Tests;

/// <summary>
/// A browser-like HTTP client for the UI: keeps cookies, does not follow redirects (tests look at them), and posts forms
/// with the antiforgery token read from the page the form is on.
/// </summary>
public sealed partial class WebSession : IDisposable
{
    private readonly HttpClientHandler handler;

    public WebSession(Uri baseAddress)
    {
        handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        Client = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public CookieCollection Cookies => handler.CookieContainer.GetAllCookies();

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The antiforgery token of the first form on <paramref name="path"/>.</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var (_, html) = await GetAsync(path);
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The page with its antiforgery tokens blanked (each rendering encrypts them afresh), for comparing two pages.</summary>
    public static string WithoutTokens(string html) => TokenField().Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"\"");

    /// <summary>Posts the fields (and <paramref name="token"/> unless null) as a form.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields, string? token)
    {
        var form = new Dictionary<string, string>(fields);
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }
        return await Client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts the fields to <paramref name="path"/> with the antiforgery token of the page at <paramref name="formPage"/> (default: the same path).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, IDictionary<string, string> fields, string? formPage = null) =>
        await PostAsync(path, fields, await TokenFromAsync(formPage ?? path));

    /// <summary>Signs in through the form; asserts the redirect that means success.</summary>
    public async Task SignInAsync(string user, string password)
    {
        using var response = await PostAsync("/signin", new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password },
            await TokenFromAsync("/signin"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public void Dispose()
    {
        Client.Dispose();
        handler.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
