using System.Globalization;
using System.Text.RegularExpressions;
using Dockyard.Testing;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// How many bytes a node has received on its open connections (the kernel's per-socket <c>bytes_received</c>, read
/// with <c>ss</c>): the node nginx sends an upload to is the one whose count grows. Socket reads do not show in
/// /proc/PID/io, hence the socket statistics.
/// </summary>
public static partial class NodeTraffic
{
    /// <summary>The sum of <c>bytes_received</c> over the established connections to <paramref name="port"/> on 127.0.0.1.</summary>
    public static async Task<long> ReceivedAsync(int port)
    {
        var ss = RequiredTool.Find("ss") ?? throw new SkipException("ss (iproute2) is not installed");
        var (code, output, error) = await RequiredTool.RunAsync(ss, ["-tniH", "state", "established", $"( sport = :{port} )"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"ss exited with {code}: {error}");
        return BytesReceived().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"bytes_received:(\d+)")]
    private static partial Regex BytesReceived();
}
