using System.Net;
using System.Net.Sockets;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Registry;

/// <summary>
/// An Azurite of its own, started by infra/scripts/azurite.sh on free ports with a private state folder (its
/// node_modules linked to the shared install), so a test can stop and restart it without disturbing the others.
/// </summary>
internal sealed class PrivateAzurite : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string script;
    private readonly string state;
    private readonly Dictionary<string, string> environment;

    private PrivateAzurite(string script, string state, int blob, int table)
    {
        this.script = script;
        this.state = state;
        environment = new()
        {
            ["DOCKYARD_STATE"] = state, ["AZURITE_BLOB_PORT"] = blob.ToString(), ["AZURITE_QUEUE_PORT"] = FreePort().ToString(),
            ["AZURITE_TABLE_PORT"] = table.ToString(),
        };
        TableEndpoint = $"http://127.0.0.1:{table}/devstoreaccount1";
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;TableEndpoint={TableEndpoint};";
    }

    /// <summary>The development account on this Azurite's blob and table endpoints.</summary>
    public string ConnectionString { get; }

    /// <summary>This Azurite's table service, for a connection string whose other endpoints stay up while it is stopped.</summary>
    public string TableEndpoint { get; }

    /// <summary>Null when the shared install is not there (reported, or a failure on CI).</summary>
    public static async Task<PrivateAzurite?> StartAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "test.sh")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("test.sh not found above the test binaries");
        }
        var shared = Path.Combine(Environment.GetEnvironmentVariable("DOCKYARD_STATE") ?? Path.Combine(root, ".state"), "azurite", "node_modules");
        if (!Directory.Exists(shared))
        {
            return RequiredTool.Missing("azurite", $"is not installed in {shared}") is null ? null : null;
        }
        var state = Path.Combine(Path.GetTempPath(), "dockyard-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(state, "azurite"));
        File.CreateSymbolicLink(Path.Combine(state, "azurite", "node_modules"), shared);
        var azurite = new PrivateAzurite(Path.Combine(root, "infra", "scripts", "azurite.sh"), state, FreePort(), FreePort());
        await azurite.StartAgainAsync();
        return azurite;
    }

    public async Task StartAgainAsync() => await RunAsync("start");

    /// <summary>
    /// Ends the Azurite process by the pid in the script's pid file (SIGTERM: Azurite, unlike Azure, keeps acknowledged
    /// writes in memory for a while, so SIGKILL would lose them) and waits until it is gone.
    /// </summary>
    public async Task KillAsync()
    {
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(state, "azurite", "azurite.pid")));
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        var (code, _, error) = await RequiredTool.RunAsync("kill", ["-TERM", pid.ToString()]);
        Assert.True(code == 0, error);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop");
        Directory.Delete(state, recursive: true);
    }

    private async Task RunAsync(string verb)
    {
        var (code, output, error) = await RequiredTool.RunAsync(script, [verb], environment, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"azurite.sh {verb} failed: {output}{error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
