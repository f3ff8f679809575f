using Dockyard.Testing;

namespace Dockyard.MySql.Tests.Registry;

/// <summary>
/// A MariaDB of its own, started by infra/scripts/mariadb.sh on a free port with a private state folder, so a test can
/// stop and restart it without disturbing the shared server the other tests use.
/// </summary>
internal sealed class PrivateMariaDb : IAsyncDisposable
{
    private readonly string script;
    private readonly string state;
    private readonly Dictionary<string, string> environment;

    private PrivateMariaDb(string script, string state, int port)
    {
        this.script = script;
        this.state = state;
        environment = new() { ["DOCKYARD_STATE"] = state, ["MARIADB_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Options = new MySqlStoreOptions { Uri = $"127.0.0.1:{port}", User = "dockyard", Password = "dockyard", Database = "dockyard" };
    }

    /// <summary>The <c>[db]</c> options of the database the script created.</summary>
    public MySqlStoreOptions Options { get; }

    /// <summary>Null when mariadbd is not installed (reported, or a failure on CI).</summary>
    public static async Task<PrivateMariaDb?> StartAsync()
    {
        if (RequiredTool.Find("mariadbd") is null)
        {
            return null;
        }
        var state = Path.Combine(Path.GetTempPath(), "dockyard-mariadb-" + Guid.NewGuid().ToString("N"));
        var server = new PrivateMariaDb(Path.Combine(RepositoryRoot.Path, "infra", "scripts", "mariadb.sh"), state, DockyardProcess.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same data and port).</summary>
    public Task StartAgainAsync() => RunAsync("start");

    /// <summary>Stops the server cleanly; connections to it are refused until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => RunAsync("stop");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(state, recursive: true);
    }

    private async Task RunAsync(string verb)
    {
        var (exit, output, error) = await RequiredTool.RunAsync(script, [verb], environment, TimeSpan.FromSeconds(120));
        Assert.True(exit == 0, $"mariadb.sh {verb} exited {exit}: {output}{error}");
    }
}
