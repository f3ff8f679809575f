using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Dockyard.Server.Cli.Admin;

/// <summary>
/// HTTP to a running Dockyard as one user: Basic credentials on the UAM API; on the V2 API, the Docker token flow
/// (a 401 naming a Bearer realm is answered by fetching a token for the scope from that realm with the same
/// credentials, then retrying once).
/// </summary>
internal sealed class RegistryHttpClient : IDisposable
{
    private const int Page = 1000;
    private readonly HttpClient client;
    private readonly AuthenticationHeaderValue? basic;

    public RegistryHttpClient(Uri registry, string? user, string? password)
    {
        client = new HttpClient { BaseAddress = new Uri(registry.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        basic = user is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    /// <summary>The answer's JSON (an empty object when it has none).</summary>
    /// <exception cref="AdminException">The registry refused (4xx), with its message.</exception>
    /// <exception cref="RegistryUnreachableException">No answer, or a server error.</exception>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, string? scope = null)
    {
        using var response = await SendRawAsync(method, path, body, scope, cancellationToken);
        await ThrowUnlessSuccessAsync(response, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    /// <summary>True for 200, false for 404 (also what "not yours" looks like).</summary>
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await ThrowUnlessSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>Every item of a UAM listing, page by page (<c>?n=&amp;last=</c>, <paramref name="key"/> is the paging field).</summary>
    public async Task<JsonArray> ListAllAsync(string path, string property, string key, CancellationToken cancellationToken)
    {
        var all = new JsonArray();
        string? last = null;
        int count;
        do
        {
            var page = await SendAsync(HttpMethod.Get, $"{path}?n={Page}{(last is null ? "" : "&last=" + Uri.EscapeDataString(last))}", null, cancellationToken);
            var items = page[property]?.AsArray().ToList() ?? [];
            count = items.Count;
            foreach (var item in items)
            {
                all.Add(item?.DeepClone());
            }
            last = count > 0 ? items[^1]?[key]?.GetValue<string>() : last;
        }
        while (count == Page && last is not null);
        return all;
    }

    /// <summary>Every tag of the repository (<c>GET /v2/&lt;name&gt;/tags/list</c>, page by page).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var all = new List<string>();
        List<string> page;
        do
        {
            var path = $"v2/{repository}/tags/list?n={Page}{(all.Count == 0 ? "" : "&last=" + Uri.EscapeDataString(all[^1]))}";
            var body = await SendAsync(HttpMethod.Get, path, null, cancellationToken, $"repository:{repository}:pull");
            page = body["tags"] is JsonArray tags ? [.. tags.Select(t => t!.GetValue<string>())] : [];
            all.AddRange(page);
        }
        while (page.Count == Page);
        return all;
    }

    public void Dispose() => client.Dispose();

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? scope, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendAsync(Request(method, path, body, basic), cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized || scope is null || basic is null
                || BearerChallenge.Parse(response.Headers.WwwAuthenticate) is not { } challenge)
            {
                return response;
            }
            response.Dispose();
            var token = await FetchTokenAsync(challenge, scope, cancellationToken);
            return await client.SendAsync(Request(method, path, body, new AuthenticationHeaderValue("Bearer", token)), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnreachableException($"cannot reach {client.BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryUnreachableException($"{client.BaseAddress} did not answer within {client.Timeout.TotalSeconds:0} s");
        }
    }

    private async Task<string> FetchTokenAsync(BearerChallenge challenge, string scope, CancellationToken cancellationToken)
    {
        // The realm is the registry's word: a malformed one is the registry's error, not a crash of the CLI.
        if (!Uri.TryCreate(client.BaseAddress!, challenge.Realm, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new AdminException($"the registry named a token realm that is not an http(s) URL: {challenge.Realm}");
        }
        if (basic is not null && !MaySendCredentials(realm))
        {
            throw new AdminException($"the registry's token realm {realm.GetLeftPart(UriPartial.Path)} is another host over plain http; the password is not sent there (use https for the token service)");
        }
        var url = $"{realm.GetLeftPart(UriPartial.Path)}?service={Uri.EscapeDataString(challenge.Service ?? "")}&scope={Uri.EscapeDataString(scope)}";
        using var response = await client.SendAsync(Request(HttpMethod.Get, url, null, basic), cancellationToken);
        await ThrowUnlessSuccessAsync(response, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        return (body?["token"] ?? body?["access_token"])?.GetValue<string>() ?? throw new AdminException("the token endpoint answered without a token");
    }

    // A 401 is the registry's word only, and anyone able to answer for it over plain http could name a realm of their
    // own: the password goes to the registry's own origin, or to another host only over https.
    private bool MaySendCredentials(Uri realm) =>
        realm.Scheme == Uri.UriSchemeHttps || Uri.Compare(realm, client.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        request.Headers.Authorization = authorization;
        return request;
    }

    private static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = ErrorMessage(text) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        throw (int)response.StatusCode >= 500
            ? new RegistryUnreachableException($"the registry failed: {message}")
            : new AdminException(message);
    }

    // The registry's error JSON, {"errors":[{"code","message",...}]}: its first message, with the code.
    private static string? ErrorMessage(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["errors"]?[0] is { } error ? $"{error["message"]} ({error["code"]})" : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>The registry could not be reached or failed (exit code 3).</summary>
internal sealed class RegistryUnreachableException(string message) : Exception(message);
