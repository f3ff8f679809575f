using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The real <c>launcher agent</c> as a process (the launcher.dll built next to the tests, run with dotnet), pulling as
/// alice; ready once its registry endpoint answers <c>/v2/</c>. Disposing kills it by its PID.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process process;

    private AgentProcess(Process process, int port, int peerPort)
    {
        this.process = process;
        MirrorAddress = new Uri($"http://127.0.0.1:{port}/");
        PeerAddress = $"127.0.0.1:{peerPort}";
    }

    public Uri MirrorAddress { get; }

    public string PeerAddress { get; }

    public static async Task<AgentProcess> StartAsync(Uri registry, string cacheFolder)
    {
        var (port, peerPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOCKER_CONFIG"] = cacheFolder + "-docker-config", ["DOCKYARD_REGISTRY"] = "" },
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "launcher.dll"), "agent", "--registry", registry.ToString(),
            "--username", "alice", "--password-stdin", "--listen", $"127.0.0.1:{port}", "--peer-listen", $"127.0.0.1:{peerPort}",
            "--cache", cacheFolder, "--cache-size", "64" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.StandardInput.WriteLineAsync(P2PRegistry.AlicePassword);
        process.StandardInput.Close();
        var agent = new AgentProcess(process, port, peerPort);
        using var client = new HttpClient { BaseAddress = agent.MirrorAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300 && !process.HasExited; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("/v2/");
                if (response.IsSuccessStatusCode)
                {
                    return agent;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await agent.DisposeAsync();
        throw new InvalidOperationException($"launcher agent never answered /v2/ (exited: {process.HasExited})");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
