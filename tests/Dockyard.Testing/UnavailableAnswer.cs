using System.Net;
using System.Text.Json;

namespace Dockyard.Testing;

/// <summary>The registry's answer when its storage is down for now: 503, Retry-After and the UNAVAILABLE error body.</summary>
public static class UnavailableAnswer
{
    /// <summary>Null when <paramref name="response"/> is that answer (a HEAD answer has no body to check); else what it is instead.</summary>
    public static async Task<string?> CheckAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var unavailable = response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null
            && (response.RequestMessage?.Method == HttpMethod.Head || CodeOf(body) == "UNAVAILABLE");
        return unavailable ? null : $"{(int)response.StatusCode} Retry-After: {response.Headers.RetryAfter} {body}";
    }

    private static string? CodeOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
