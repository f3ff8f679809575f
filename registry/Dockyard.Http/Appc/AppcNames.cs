using Dockyard.Core.Appc;
using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Appc;

/// <summary>
/// How a repository is named and reached in appc: its ACI name is <c>&lt;domain&gt;/&lt;repository&gt;</c> (the request's
/// host when it is one of <c>[dockyard] domains</c> or none are configured, else the first configured domain); URLs
/// are built on the request's scheme and Host, so they reach the server that answered.
/// </summary>
public sealed class AppcNames(AppcOptions options)
{
    public string Domain(HttpRequest request)
    {
        var host = request.Host.Host.ToLowerInvariant();
        return options.Domains.Count == 0 || options.Domains.Contains(host, StringComparer.OrdinalIgnoreCase) ? host : options.Domains[0];
    }

    public string AppName(HttpRequest request, RepositoryName repository) => $"{Domain(request)}/{repository}";

    /// <summary>The names an ACI pushed to the repository may carry.</summary>
    public IReadOnlyCollection<string> AcceptedNames(HttpRequest request, RepositoryName repository) =>
        options.Domains.Select(d => $"{d.ToLowerInvariant()}/{repository}").Append(AppName(request, repository)).ToHashSet(StringComparer.Ordinal);

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    public static string RepositoryUrl(HttpRequest request, RepositoryName repository) => $"{BaseUrl(request)}/appc/{repository}";

    /// <summary>The last path component: the base of the repository's ACI file names.</summary>
    public static string BaseName(RepositoryName repository) => repository.Value[(repository.Value.LastIndexOf('/') + 1)..];
}
