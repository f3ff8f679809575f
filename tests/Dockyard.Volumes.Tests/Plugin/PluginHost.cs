using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// One "host": the real <c>launcher volume-plugin</c> (its built dll, run with dotnet) with its own state folder,
/// serving a driver name unique to the test run in /run/docker/plugins (every dockerd on the machine reads it).
/// Disposing kills it and deletes its socket and state.
/// </summary>
public sealed class PluginHost : IAsyncDisposable
{
    public const string PluginFolder = "/run/docker/plugins";
    private readonly Process process;
    private readonly string state;

    private PluginHost(Process process, string driver, string state)
    {
        this.process = process;
        Driver = driver;
        this.state = state;
    }

    /// <summary>The driver name dockerd knows the plugin by (<c>docker volume create -d DRIVER</c>).</summary>
    public string Driver { get; }

    public string Socket => Path.Combine(PluginFolder, Driver + ".sock");

    /// <summary>This host's <c>--state</c> folder.</summary>
    public string StateFolder => state;

    /// <summary>Where this host keeps volume <paramref name="name"/>'s mountpoint (<c>--state</c>/volumes/NAME/data).</summary>
    public string DataPath(string name) => Path.Combine(state, "volumes", name, "data");

    public static async Task<PluginHost> StartAsync(Uri registry, int leaseTtlSeconds = 30, string? driver = null, string? state = null)
    {
        driver ??= "dyvol-" + Guid.NewGuid().ToString("N")[..10];
        state ??= Directory.CreateTempSubdirectory("dockyard-volume-host-").FullName;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { LauncherBuild.Dll(), "volume-plugin", "--socket", Path.Combine(PluginFolder, driver + ".sock"), "--state", state,
            "--registry", registry.ToString(), "--lease-ttl", leaseTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOCKER_CONFIG"] = state;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Log(driver, e.Data);
        process.ErrorDataReceived += (_, e) => Log(driver, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new PluginHost(process, driver, state);
        for (var i = 0; i < 300 && !File.Exists(host.Socket); i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"launcher volume-plugin exited with {process.ExitCode}");
            }
            await Task.Delay(100);
        }
        return File.Exists(host.Socket) ? host : throw new TimeoutException("launcher volume-plugin did not create its socket in 30 s");
    }

    /// <summary>A crash: SIGKILL, no unmount, no lease release; the socket file stays behind as after a real crash.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Calls <c>VolumeDriver.METHOD</c> over the socket as dockerd does; returns the answer's JSON.</summary>
    public async Task<JsonElement> CallAsync(string method, object body)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://plugin/") };
        // The protocol's names are PascalCase (Name, Opts, ID), as dockerd sends them.
        var response = await http.PostAsJsonAsync("VolumeDriver." + method, body, new JsonSerializerOptions());
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }
        process.Dispose();
        File.Delete(Socket);
        Directory.Delete(state, recursive: true);
    }

    private static void Log(string driver, string? line)
    {
        if (line is not null)
        {
            Console.WriteLine($"[{driver}] {line}");
        }
    }
}
