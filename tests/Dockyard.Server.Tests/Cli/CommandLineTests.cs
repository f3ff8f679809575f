using Dockyard.Testing;

namespace Dockyard.Server.Tests.Cli;

/// <summary>The original Dockyard's command line, run as the real executable.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, output, _) = await Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Help_lists_the_web_command(string argument)
    {
        var (exit, output, _) = await Run(argument);
        Assert.Equal(0, exit);
        Assert.Contains("web", output);
        Assert.Contains("help", output);
    }

    [Fact]
    public async Task Help_web_shows_address_and_port_with_their_defaults()
    {
        var (exit, output, _) = await Run("help", "web");
        Assert.Equal(0, exit);
        Assert.Contains("--address", output);
        Assert.Contains("0.0.0.0", output);
        Assert.Contains("--port", output);
        Assert.Contains("5000", output);
    }

    [Fact]
    public async Task A_bad_configuration_fails_at_start_up_naming_the_key()
    {
        var folder = Directory.CreateTempSubdirectory("dockyard-cli-").FullName;
        try
        {
            var conf = Path.Combine(folder, "runtime.conf");
            await File.WriteAllTextAsync(conf, "[db]\ndriver = oracle\n");
            var (exit, _, error) = await Run("web", "--port", DockyardProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", conf);
            Assert.Equal(2, exit);
            Assert.Contains("[db] driver", error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> Run(params string[] arguments) =>
        RequiredTool.RunAsync("dotnet", [DockyardProcess.DllPath, .. arguments], timeout: TimeSpan.FromSeconds(60));
}
