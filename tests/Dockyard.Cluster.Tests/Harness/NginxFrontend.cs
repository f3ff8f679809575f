using Dockyard.Testing;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// Debian nginx round-robin in front of the nodes, started and stopped by infra/scripts/nginx-cluster.sh (the same
/// script bench/cluster.sh uses) with its state in a folder of the cluster's own. A node that fails once (refused,
/// reset, cut off mid-request) is left out for 10 s; requests not yet sent to it go to the next node.
/// </summary>
public sealed class NginxFrontend : IAsyncDisposable
{
    private readonly string state;

    private NginxFrontend(string state, int port)
    {
        this.state = state;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, as clients name the registry.</summary>
    public string HostAndPort => $"127.0.0.1:{Port}";

    private static string Script => Path.Combine(RepositoryRoot.Path, "infra", "scripts", "nginx-cluster.sh");

    /// <summary>Starts nginx on a free port in front of <paramref name="upstreams"/> (<c>host:port</c> each); null when nginx is missing (outside CI).</summary>
    public static async Task<NginxFrontend?> StartAsync(string state, IEnumerable<string> upstreams)
    {
        if (RequiredTool.Find("nginx") is null)
        {
            return null;
        }
        var frontend = new NginxFrontend(state, DockyardProcess.FreePort());
        var (code, output, error) = await frontend.RunAsync("start", new Dictionary<string, string>
        {
            ["NGINX_CLUSTER_PORT"] = frontend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NGINX_CLUSTER_UPSTREAMS"] = string.Join(' ', upstreams),
            // A killed node stays left out for the whole test. With the script's 10 s, nginx's passive check sends a
            // live request to the dead node again once that runs out; a streamed PATCH cannot be replayed, so it is a
            // 502 the client retries (as skopeo did), which NodeFailureTests' "no request failed since" would count.
            ["NGINX_CLUSTER_FAIL_TIMEOUT"] = "600s",
        });
        Assert.True(code == 0, $"nginx-cluster.sh start exited with {code}: {output}{error}");
        return frontend;
    }

    /// <summary>One line per finished request: <c>METHOD /path STATUS upstream=ADDR[, ADDR…] upstream_status=…</c>.</summary>
    public IReadOnlyList<string> AccessLog() => ReadShared(Path.Combine(state, "logs", "access.log"));

    /// <summary>nginx's warnings and errors, e.g. <c>upstream server temporarily disabled</c> for a failed node.</summary>
    public string ErrorLog() => string.Join('\n', ReadShared(Path.Combine(state, "logs", "error.log")));

    public async ValueTask DisposeAsync() => await RunAsync("stop", []);

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string command, Dictionary<string, string> environment)
    {
        environment["NGINX_CLUSTER_STATE"] = state;
        return RequiredTool.RunAsync("bash", [Script, command], environment, TimeSpan.FromMinutes(1));
    }

    private static List<string> ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }
}
