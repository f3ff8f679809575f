using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dockyard.Testing;

/// <summary>
/// The real <c>dockyard</c> executable in its own process (as users run it), for tests that kill it or read its
/// command line behaviour. The build copies dockyard.dll beside the test assembly.
/// </summary>
public sealed class DockyardProcess : IAsyncDisposable
{
    private readonly Process process;

    private DockyardProcess(Process process, int port, ConcurrentQueue<string> output)
    {
        this.process = process;
        Port = port;
        Output = output;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    /// <summary>The peak resident set size so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    public HttpClient Client { get; }

    /// <summary>The lines the process wrote to standard output so far (its console log).</summary>
    public IReadOnlyCollection<string> Output { get; }

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "dockyard.dll");

    /// <summary>
    /// Starts <c>dockyard web</c> on a free loopback port over <paramref name="dataPath"/> (also its working folder) and
    /// waits for <c>/v2/</c> to answer: 200, or 401 when authorization is enforced.
    /// </summary>
    /// <param name="wrapper">
    /// A command to start the executable under (e.g. <c>unshare</c> for a private mount), which runs the command line
    /// appended to it; null or empty starts it directly.
    /// </param>
    public static async Task<DockyardProcess> StartAsync(string dataPath, IDictionary<string, string>? environment = null, IReadOnlyList<string>? wrapper = null)
    {
        var port = FreePort();
        string[] command = [.. wrapper ?? [], "dotnet", DllPath, "web", "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataPath };
        foreach (var argument in command[1..])
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOCKYARD_DOCKYARD__PATH"] = dataPath;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        Directory.CreateDirectory(dataPath);
        var process = Process.Start(info)!;
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new DockyardProcess(process, port, output);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"dockyard exited with {process.ExitCode} before answering");
            }
            try
            {
                using var response = await started.Client.GetAsync("/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return started;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        await started.DisposeAsync();
        throw new TimeoutException("dockyard did not answer /v2/ within 30 s");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
