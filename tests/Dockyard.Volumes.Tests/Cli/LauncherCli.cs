using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Cli;

/// <summary>The real <c>launcher</c> (its built dll, run with dotnet) as a user runs it, with its own DOCKER_CONFIG folder.</summary>
public static class LauncherCli
{
    /// <param name="config">DOCKER_CONFIG: where <c>config.json</c> (docker login's credentials) is read from.</param>
    public static async Task<CliResult> RunAsync(string config, params string[] arguments)
    {
        var (code, output, error) = await RequiredTool.RunAsync("dotnet", [LauncherBuild.Dll(), .. arguments],
            new Dictionary<string, string> { ["DOCKER_CONFIG"] = config, ["DOCKYARD_REGISTRY"] = "" }, TimeSpan.FromMinutes(2));
        return new CliResult(string.Join(' ', arguments), code, output, error);
    }
}

/// <summary>What a launcher command printed and returned.</summary>
public sealed record CliResult(string Command, int ExitCode, string Output, string Error)
{
    public CliResult EnsureOk() => ExitCode == 0 ? this : throw new InvalidOperationException($"launcher {Command} exited {ExitCode}: {Error}");
}
