using Docker.DotNet;
using Docker.DotNet.Models;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Testing;

namespace Dockyard.Launcher.Tests;

/// <summary>
/// The real <c>launcher</c> (its built dll, run with dotnet) against the test Docker engine (DOCKYARD_TEST_DOCKER_HOST),
/// with an empty DOCKER_CONFIG so that the machine's credentials never leak in; and cleanup of what tests created.
/// </summary>
public sealed class LauncherProcess : IAsyncDisposable
{
    private readonly string configFolder = Directory.CreateTempSubdirectory("dockyard-launcher-config-").FullName;
    private readonly List<string> images = [];

    private LauncherProcess(string dockerHost)
    {
        DockerHost = dockerHost;
        Engine = new DockerClientBuilder().WithEndpoint(new Uri(dockerHost)).Build();
    }

    public string DockerHost { get; }

    /// <summary>A client of the test engine, to check and clean up what the launcher did.</summary>
    public DockerClient Engine { get; }

    /// <summary>The launcher on the test engine; null (outside CI) when the test engine is not configured.</summary>
    public static LauncherProcess? Find() => Environment.GetEnvironmentVariable("DOCKYARD_TEST_DOCKER_HOST") is { Length: > 0 } host
        ? new LauncherProcess(host)
        : Skip();

    /// <summary>Writes <c>config.json</c> with <c>auths[host].auth</c>, as <c>docker login</c> does.</summary>
    public void Login(string host, string user, string password)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        File.WriteAllText(Path.Combine(configFolder, "config.json"), "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    }

    /// <summary>Runs <c>launcher ARGS</c>; <paramref name="environment"/> overrides DOCKER_HOST and friends.</summary>
    public Task<ClientResult> RunAsync(IDictionary<string, string>? environment, params string[] arguments) =>
        RunWithInputAsync(null, environment, arguments);

    /// <summary>Runs <c>launcher ARGS</c> with <paramref name="input"/> on its standard input (e.g. for --password-stdin).</summary>
    public async Task<ClientResult> RunWithInputAsync(string? input, IDictionary<string, string>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string> { ["DOCKER_HOST"] = DockerHost, ["DOCKER_CONFIG"] = configFolder, ["DOCKYARD_REGISTRY"] = "" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }
        var dll = LauncherDll();
        var (code, output, error) = await RequiredTool.RunAsync("dotnet", [dll, .. arguments], variables, TimeSpan.FromMinutes(3), input);
        return new ClientResult("launcher " + string.Join(' ', arguments), code, output, error);
    }

    public Task<ClientResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    /// <summary>Removes <paramref name="image"/> from the engine when the test ends.</summary>
    public void Track(string image) => images.Add(image);

    public async Task<bool> ImageExistsAsync(string image)
    {
        try
        {
            await Engine.Images.InspectImageAsync(image);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The launcher's containers (running or not) whose image label is <paramref name="reference"/>.</summary>
    public async Task<IList<ContainerListResponse>> ContainersAsync(string reference) =>
        await Engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { ["org.dockyard.launcher.image=" + reference] = true },
            },
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var image in images)
        {
            foreach (var container in await ContainersAsync(image))
            {
                await Engine.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
            if (await ImageExistsAsync(image))
            {
                await Engine.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
            }
        }
        Engine.Dispose();
        Directory.Delete(configFolder, recursive: true);
    }

    private static string LauncherDll() => LauncherBuild.Dll();

    private static LauncherProcess? Skip()
    {
        RequiredTool.Missing("docker engine", "DOCKYARD_TEST_DOCKER_HOST is not set (infra/scripts/docker-engine.sh start)");
        return null;
    }
}
