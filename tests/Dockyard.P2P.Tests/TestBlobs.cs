using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

internal static class TestBlobs
{
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>GETs the blob from the agent's registry endpoint, as the engine would; fails the test on a non-2xx answer.</summary>
    public static async Task<byte[]> PullAsync(AgentHost agent, string repository, Digest digest)
    {
        using var client = new HttpClient { BaseAddress = agent.MirrorAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var response = await client.GetAsync($"/v2/{repository}/blobs/{digest}");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}");
        return body;
    }
}
