using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Registry;

/// <summary>
/// A small Docker Registry V2 client for one registry: answers a 401 Bearer challenge by fetching a token from its
/// realm (with Basic credentials when there are any) and a Basic challenge with the credentials; maps refusals to
/// <see cref="LaunchException"/>s (404 → image not found, 401/403 → no permission, a DENIED naming a signature →
/// signature refused). Blobs are streamed, never buffered.
/// </summary>
public sealed class RegistryClient(Uri registry, RegistryCredentials? credentials, HttpMessageHandler? handler = null) : IDisposable
{
    /// <summary>Manifest types accepted, images and indexes of both OCI and Docker.</summary>
    public static readonly string[] ManifestTypes = [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];

    private readonly HttpClient http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = registry, Timeout = Timeout.InfiniteTimeSpan };
    // Concurrent: the agent sends many requests at once through one client.
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> authorizations = new();

    /// <summary>A manifest's bytes, its media type and its digest (checked against the digest asked for).</summary>
    /// <returns>Null when the registry does not have it (404) and <paramref name="missingIsNull"/>.</returns>
    public async Task<RemoteManifest?> GetManifestAsync(RepositoryName repository, string reference, CancellationToken cancellationToken,
        bool missingIsNull = false)
    {
        using var response = await SendAsync(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
            foreach (var type in ManifestTypes)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }
            return request;
        }, cancellationToken, missingIsNull);
        if (response is null)
        {
            return null;
        }
        var bytes = await CappedContent.ReadAsync(response.Content, ManifestParser.MaxManifestBytes, $"manifest {repository}:{reference}", cancellationToken);
        var digest = Digest.Compute(bytes);
        if (Digest.TryParse(reference, out var asked) && Digest.Compute(bytes, asked.Algorithm) != asked)
        {
            throw new LaunchException(LaunchFailure.Registry, $"manifest {repository}@{reference} does not match its digest");
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return new RemoteManifest(bytes, mediaType, asked ?? digest);
    }

    /// <summary>Opens a blob for streaming; dispose the response when done.</summary>
    public async Task<HttpResponseMessage> OpenBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        (await SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}"), cancellationToken))!;

    /// <summary>A small blob (at most <paramref name="limit"/> bytes), checked against its digest.</summary>
    public async Task<byte[]> ReadBlobAsync(RepositoryName repository, Descriptor descriptor, int limit, CancellationToken cancellationToken)
    {
        if (descriptor.Size < 0 || descriptor.Size > limit)
        {
            throw new LaunchException(LaunchFailure.Registry, $"blob {descriptor.Digest} has {descriptor.Size} bytes, more than the {limit} expected");
        }
        using var response = await OpenBlobAsync(repository, descriptor.Digest, cancellationToken);
        var bytes = await CappedContent.ReadAsync(response.Content, (int)descriptor.Size, $"blob {descriptor.Digest}", cancellationToken);
        return bytes.Length == descriptor.Size && Digest.Compute(bytes, descriptor.Digest.Algorithm) == descriptor.Digest ? bytes
            : throw new LaunchException(LaunchFailure.Registry, $"blob {descriptor.Digest} does not match its descriptor");
    }

    /// <summary>The referrers of <paramref name="subject"/> with <paramref name="artifactType"/> (an empty list when the API is absent).</summary>
    public async Task<IReadOnlyList<Descriptor>> ReferrersAsync(RepositoryName repository, Digest subject, string artifactType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Get,
            $"v2/{repository}/referrers/{subject}?artifactType={Uri.EscapeDataString(artifactType)}"), cancellationToken, missingIsNull: true);
        if (response is null)
        {
            return [];
        }
        var index = ManifestParser.Parse(await CappedContent.ReadAsync(response.Content, ManifestParser.MaxManifestBytes, $"the referrers of {subject}", cancellationToken), MediaTypes.OciIndex);
        return index.Manifests.Where(m => m.ArtifactType == artifactType).ToList();
    }

    public void Dispose() => http.Dispose();

    /// <summary>
    /// Sends a request about <paramref name="repository"/>, answering one auth challenge for the token scope's
    /// <paramref name="actions"/> (<c>pull</c>, or <c>pull,push</c> for writes); failures become <see cref="LaunchException"/>s.
    /// </summary>
    /// <returns>Null for a 404 when <paramref name="missingIsNull"/>.</returns>
    internal async Task<HttpResponseMessage?> SendAsync(RepositoryName repository, Func<HttpRequestMessage> create, CancellationToken cancellationToken,
        bool missingIsNull = false, string actions = "pull")
    {
        var scope = $"repository:{repository}:{actions}";
        var response = await SendOnceAsync(create, scope, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.FirstOrDefault() is { } challenge)
        {
            response.Dispose();
            authorizations[scope] = await AuthorizeAsync(challenge, scope, cancellationToken);
            response = await SendOnceAsync(create, scope, cancellationToken);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        if (response.StatusCode == HttpStatusCode.NotFound && missingIsNull)
        {
            response.Dispose();
            return null;
        }
        using (response)
        {
            var (code, message) = await ErrorOfAsync(response, cancellationToken);
            var what = $"{registry.Authority}/{repository}";
            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound => new LaunchException(LaunchFailure.ImageNotFound, $"{what}: {message ?? "404"}"),
                HttpStatusCode.Forbidden when code == "DENIED" && message?.Contains("signature", StringComparison.OrdinalIgnoreCase) == true =>
                    new LaunchException(LaunchFailure.SignatureRefused, $"the registry refused {what}: {message}"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new LaunchException(LaunchFailure.NoPermission,
                    $"{what}: {message ?? response.ReasonPhrase}{(credentials is null ? " (no credentials: docker login, or --username with --password-stdin)" : $" (as {credentials.UserName})")}"),
                _ => new LaunchException(LaunchFailure.Registry, $"{what}: {(int)response.StatusCode} {message ?? response.ReasonPhrase}"),
            };
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, string scope, CancellationToken cancellationToken)
    {
        using var request = create();
        if (authorizations.TryGetValue(scope, out var authorization))
        {
            request.Headers.Authorization = authorization;
        }
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new LaunchException(LaunchFailure.Registry, $"cannot reach {registry}: {e.Message}", e);
        }
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(AuthenticationHeaderValue challenge, string scope, CancellationToken cancellationToken)
    {
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return credentials is null ? throw new LaunchException(LaunchFailure.NoPermission, $"{registry} wants credentials (docker login, or --username with --password-stdin)")
                : new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        }
        var parameters = Challenge.Parse(challenge.Parameter);
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || !parameters.TryGetValue("realm", out var realm))
        {
            throw new LaunchException(LaunchFailure.Registry, $"unsupported authentication challenge '{challenge}'");
        }
        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }
        query.Add("scope=" + Uri.EscapeDataString(parameters.GetValueOrDefault("scope") ?? scope));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, realm + (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join('&', query)));
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var (_, message) = await ErrorOfAsync(response, cancellationToken);
            throw new LaunchException(LaunchFailure.NoPermission, $"the token service at {realm} refused {(credentials is null ? "anonymous access" : credentials.UserName)}: {message ?? response.ReasonPhrase}");
        }
        using var body = JsonDocument.Parse(await CappedContent.ReadAsync(response.Content, CappedContent.SmallJsonBytes, "a token", cancellationToken));
        var token = body.RootElement.TryGetProperty("token", out var t) ? t.GetString()
            : body.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        return token is { Length: > 0 } ? new AuthenticationHeaderValue("Bearer", token)
            : throw new LaunchException(LaunchFailure.Registry, $"the token service at {realm} answered no token");
    }

    private static async Task<(string? Code, string? Message)> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var body = JsonDocument.Parse(await CappedContent.ReadAsync(response.Content, CappedContent.SmallJsonBytes, "an error", cancellationToken));
            var error = body.RootElement.GetProperty("errors")[0];
            return (error.GetProperty("code").GetString(), error.GetProperty("message").GetString());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or LaunchException)
        {
            return (null, null);
        }
    }
}

/// <summary>A manifest as the registry served it.</summary>
public sealed record RemoteManifest(byte[] Bytes, string? MediaType, Digest Digest)
{
    public ParsedManifest Parse() => ManifestParser.Parse(Bytes, MediaType, Digest.Algorithm);
}
