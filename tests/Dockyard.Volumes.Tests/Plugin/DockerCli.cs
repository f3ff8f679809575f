using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// The docker CLI on the test engine (DOCKYARD_TEST_DOCKER_HOST), with a busybox image imported from the static
/// busybox (no pull). Null, outside CI, when the engine, the CLI or busybox is missing.
/// </summary>
public sealed class DockerCli
{
    public const string Image = "dockyard-test/volume-busybox:1";
    private readonly string docker;
    private readonly string host;

    private DockerCli(string docker, string host)
    {
        this.docker = docker;
        this.host = host;
    }

    public static async Task<DockerCli?> FindAsync()
    {
        if (Environment.GetEnvironmentVariable("DOCKYARD_TEST_DOCKER_HOST") is not { Length: > 0 } host)
        {
            RequiredTool.Missing("docker engine", "DOCKYARD_TEST_DOCKER_HOST is not set (infra/scripts/docker-engine.sh start)");
            return null;
        }
        if (RequiredTool.Find("docker") is not { } docker || TestWorkspace.Busybox() is not { } layer)
        {
            return null;
        }
        var cli = new DockerCli(docker, host);
        if ((await cli.RunAsync("image", "inspect", Image)).ExitCode != 0)
        {
            var tar = Path.Combine(Path.GetTempPath(), $"busybox-{Guid.NewGuid():N}.tar");
            await File.WriteAllBytesAsync(tar, layer.Tar);
            try
            {
                (await cli.RunAsync("import", tar, Image)).Ensure();
            }
            finally
            {
                File.Delete(tar);
            }
        }
        return cli;
    }

    public async Task<DockerResult> RunAsync(params string[] arguments)
    {
        var (code, output, error) = await RequiredTool.RunAsync(docker, ["-H", host, .. arguments],
            new Dictionary<string, string> { ["DOCKER_API_VERSION"] = "1.41" }, TimeSpan.FromMinutes(2));
        return new DockerResult("docker " + string.Join(' ', arguments), code, output, error);
    }
}

/// <summary>What a docker command printed and returned.</summary>
public sealed record DockerResult(string Command, int ExitCode, string Output, string Error)
{
    public DockerResult Ensure() => ExitCode == 0 ? this : throw new InvalidOperationException($"{Command} exited {ExitCode}: {Error}{Output}");
}
