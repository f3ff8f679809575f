using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Dockyard.Testing;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// One real Azure Functions host (<c>$DOCKYARD_TEST_FUNCTIONS_HOST/func-host</c>) running the Functions app's build
/// output on a free 127.0.0.1 port, its state (host.log, host.pid) in a temp folder; stopped, worker included, on dispose.
/// </summary>
internal sealed partial class FunctionsHost : IAsyncDisposable
{
    public const string Variable = "DOCKYARD_TEST_FUNCTIONS_HOST";

    private readonly string launcher;
    private readonly string state;

    private FunctionsHost(string launcher, string state, int port)
    {
        this.launcher = launcher;
        this.state = state;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        HostPid = int.Parse(File.ReadAllText(Path.Combine(state, "host.pid")).Trim(), CultureInfo.InvariantCulture);
    }

    public Uri BaseAddress { get; }

    public string HostAndPort => BaseAddress.Authority;

    public HttpClient Client { get; }

    /// <summary>The host process (the worker is its child).</summary>
    public int HostPid { get; }

    public string LogPath => Path.Combine(state, "host.log");

    /// <summary>The launcher in the folder DOCKYARD_TEST_FUNCTIONS_HOST names; null when the variable is unset.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but the folder holds no func-host.</exception>
    public static string? FindLauncher()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } folder)
        {
            return null;
        }
        var launcher = Path.Combine(folder, "func-host");
        return File.Exists(launcher) ? launcher : throw new InvalidOperationException($"{Variable}={folder} has no func-host");
    }

    /// <summary>Starts the host on <see cref="FunctionsApp.ScriptRoot"/> with each of <paramref name="settings"/> as a <c>--setting</c>.</summary>
    public static async Task<FunctionsHost> StartAsync(string launcher, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var state = Directory.CreateTempSubdirectory("dockyard-funchost-").FullName;
        List<string> arguments = ["start", "--script-root", FunctionsApp.ScriptRoot, "--port", port.ToString(CultureInfo.InvariantCulture), "--state", state];
        foreach (var (key, value) in settings)
        {
            arguments.AddRange(["--setting", $"{key}={value}"]);
        }
        var (code, output, error) = await RequiredTool.RunAsync(launcher, arguments, timeout: TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"func-host start exited with {code}:\n{output}\n{error}");
        }
        return new FunctionsHost(launcher, state, port);
    }

    /// <summary>The worker process: the host's dotnet child running Dockyard.Functions.dll.</summary>
    public int WorkerPid() => ProcessMemory.Children(HostPid)
        .Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("Dockyard.Functions.dll", StringComparison.Ordinal));

    /// <summary>The functions the host has invoked for HTTP requests so far, in order, from its log.</summary>
    public IReadOnlyList<string> HttpInvocations()
    {
        using var log = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(log);
        return HttpInvocation().Matches(reader.ReadToEnd()).Select(m => m.Groups["name"].Value).ToList();
    }

    /// <summary>Sends a request and returns the one function the host invoked for it (waiting for the host's log line).</summary>
    public async Task<(HttpStatusCode Status, string Function)> SendAndTraceAsync(HttpMethod method, string path)
    {
        var before = HttpInvocations().Count;
        using var response = await Client.SendAsync(new HttpRequestMessage(method, path));
        for (var waited = 0; waited < 100; waited++)
        {
            var invocations = HttpInvocations();
            if (invocations.Count > before)
            {
                await Task.Delay(200);
                var after = HttpInvocations();
                Assert.True(after.Count == before + 1, $"{method} {path}: {after.Count - before} invocations: {string.Join(", ", after.Skip(before))}");
                return (response.StatusCode, after[^1]);
            }
            await Task.Delay(100);
        }
        return (response.StatusCode, "(no function)");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await RequiredTool.RunAsync(launcher, ["stop", "--state", state], timeout: TimeSpan.FromMinutes(1));
        try
        {
            Directory.Delete(state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Executing 'Functions\.(?<name>[^']+)' \(Reason='This function was programmatically called via the host APIs\.")]
    private static partial Regex HttpInvocation();
}
