using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Clients;

/// <summary>The skopeo CLI, talking plain HTTP to a test registry (never TLS, never the system signature policy).</summary>
public sealed class Skopeo(string path)
{
    private static readonly string[] Plain = ["--src-tls-verify=false", "--dest-tls-verify=false"];

    /// <summary>Skopeo when installed; null (outside CI) when not, so that the caller returns early.</summary>
    public static Skopeo? Find() => RequiredTool.Find("skopeo") is { } path ? new Skopeo(path) : null;

    public Task<ClientResult> RunAsync(params string[] arguments) => RunAsync(null, insecurePolicy: true, arguments);

    /// <summary>
    /// Runs skopeo with extra environment (GNUPGHOME for signing); with <paramref name="insecurePolicy"/> false the
    /// caller passes its own <c>--policy</c>.
    /// </summary>
    public async Task<ClientResult> RunAsync(IDictionary<string, string>? environment, bool insecurePolicy, params string[] arguments)
    {
        string[] all = insecurePolicy ? ["--insecure-policy", .. arguments] : arguments;
        var (code, output, error) = await RequiredTool.RunAsync(path, all, environment, TimeSpan.FromMinutes(3));
        return new ClientResult("skopeo " + string.Join(' ', all), code, output, error);
    }

    /// <summary><c>skopeo copy</c> without TLS on either side; <paramref name="options"/> go before the images.</summary>
    public Task<ClientResult> CopyAsync(string source, string destination, params string[] options) =>
        RunAsync(["copy", .. Plain, .. options, source, destination]);

    public Task<ClientResult> InspectAsync(string image, params string[] options) =>
        RunAsync(["inspect", "--tls-verify=false", .. options, image]);

    public Task<ClientResult> ListTagsAsync(string repository) => RunAsync("list-tags", "--tls-verify=false", repository);

    public Task<ClientResult> DeleteAsync(string image) => RunAsync("delete", "--tls-verify=false", image);
}
