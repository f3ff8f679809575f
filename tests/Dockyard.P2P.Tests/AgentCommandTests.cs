using Dockyard.Launcher.Cli;

namespace Dockyard.P2P.Tests;

/// <summary>`launcher agent` refuses unusable options with the usage exit code (2) before it listens anywhere.</summary>
public sealed class AgentCommandTests
{
    [Theory]
    [InlineData("--listen", "not-an-endpoint")]
    [InlineData("--peer-listen", "127.0.0.1")]
    [InlineData("--cache-size", "1")]
    [InlineData("--registry", "ftp://registry.example/")]
    [InlineData("--upload-slots", "0")]
    [InlineData("--memory-cache", "-1")]
    [InlineData("--memory-cache", "5000")]
    public async Task Bad_options_exit_with_the_usage_code(string flag, string value)
    {
        var arguments = new List<string> { "agent", "--registry", "http://127.0.0.1:9/", "--cache", Path.Combine(Path.GetTempPath(), "dockyard-agent-" + Guid.NewGuid().ToString("N")) };
        var at = arguments.IndexOf(flag);
        if (at >= 0)
        {
            arguments[at + 1] = value;
        }
        else
        {
            arguments.AddRange([flag, value]);
        }
        Assert.Equal(2, await LauncherCommands.Create().Parse(arguments).InvokeAsync());
    }
}
