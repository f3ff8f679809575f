using Dockyard.Core.Errors;
using Dockyard.Hosting.Configuration;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Cli;

/// <summary>
/// Runs an administrative command over the same composition as <c>dockyard web</c> (so it reads and writes the
/// configured stores) without serving: exit code 2 for a configuration error, 1 for a refused operation, each with
/// its message on standard error.
/// </summary>
internal static class CliHost
{
    public static async Task<int> RunAsync(string? configFile, Func<IServiceProvider, Task<int>> command)
    {
        try
        {
            await using var app = DockyardHost.Build(RuntimeSettings.Load(configFile), "127.0.0.1", 0);
            return await command(app.Services);
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return 2;
        }
        catch (RegistryException e)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return 1;
        }
    }
}
