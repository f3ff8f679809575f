using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Clients;

/// <summary>
/// The docker CLI against the private engine named by DOCKYARD_TEST_DOCKER_HOST (test.sh starts it). Debian's client
/// at /usr/bin/docker matches Debian's engine; another client negotiates the API version down. With a config folder
/// (<see cref="WithConfig"/>) logins are stored there (DOCKER_CONFIG) instead of in the user's ~/.docker.
/// </summary>
public sealed class DockerCli(string path, string host, string? configDirectory = null)
{
    public const string HostVariable = "DOCKYARD_TEST_DOCKER_HOST";

    /// <summary>The CLI and engine when both are there; null (outside CI) when either is not.</summary>
    public static DockerCli? Find()
    {
        var host = Environment.GetEnvironmentVariable(HostVariable);
        if (string.IsNullOrEmpty(host))
        {
            RequiredTool.Missing("docker engine", $"{HostVariable} is not set");
            return null;
        }
        var path = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : RequiredTool.Find("docker");
        return path is null ? null : new DockerCli(path, host);
    }

    /// <summary>The same CLI with its own client configuration (credentials) in <paramref name="directory"/>.</summary>
    public DockerCli WithConfig(string directory)
    {
        Directory.CreateDirectory(directory);
        return new DockerCli(path, host, directory);
    }

    public Task<ClientResult> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    /// <summary>Runs the CLI with <paramref name="input"/> on its standard input (e.g. <c>login --password-stdin</c>).</summary>
    public async Task<ClientResult> RunWithInputAsync(string? input, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = host };
        if (configDirectory is not null)
        {
            environment["DOCKER_CONFIG"] = configDirectory;
        }
        var (code, output, error) = await RequiredTool.RunAsync(path, arguments, environment, TimeSpan.FromMinutes(3), input);
        return new ClientResult($"docker {string.Join(' ', arguments)} (DOCKER_HOST={host})", code, output, error);
    }

    /// <summary><c>docker login SERVER -u USER --password-stdin</c>.</summary>
    public Task<ClientResult> LoginAsync(string server, string user, string password) =>
        RunWithInputAsync(password, "login", server, "-u", user, "--password-stdin");

    /// <summary>Removes images by reference, ignoring those already gone, so that the engine's state does not grow.</summary>
    public async Task RemoveImagesAsync(params string[] references)
    {
        foreach (var reference in references)
        {
            await RunAsync("rmi", "--force", reference);
        }
    }
}
