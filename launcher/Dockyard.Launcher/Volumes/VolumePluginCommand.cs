using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// <c>launcher volume-plugin</c>: serves the Docker volume plugin protocol on a unix socket until stopped, renewing
/// the leases of mounted volumes every third of their TTL.
/// </summary>
internal static partial class VolumePluginCommand
{
    public static Command Create()
    {
        var command = new Command("volume-plugin", "Serve Dockyard volumes to the Docker engine (volume plugin protocol on a unix socket)");
        var socket = new Option<string>("--socket") { Description = "the socket path; the driver name is its file name", DefaultValueFactory = _ => "/run/docker/plugins/dockyard.sock" };
        var state = new Option<string>("--state") { Description = "this host's volume state folder", DefaultValueFactory = _ => VolumeCommands.DefaultState() };
        var registry = VolumeCommands.RegistryOption();
        var ttl = new Option<int>("--lease-ttl") { Description = "seconds a lease lasts unless renewed (a crashed host's volume is free after it)", DefaultValueFactory = _ => 30 };
        foreach (var option in new Option[] { socket, state, registry, ttl })
        {
            command.Options.Add(option);
        }
        command.SetAction((result, cancellationToken) => VolumeCommands.InvokeAsync(async token =>
        {
            var leaseTtl = TimeSpan.FromSeconds(result.GetValue(ttl));
            if (leaseTtl < TimeSpan.FromSeconds(3))
            {
                throw new LaunchException(LaunchFailure.Usage, "--lease-ttl: at least 3 seconds");
            }
            var path = Path.GetFullPath(result.GetRequiredValue(socket));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // A socket left by a killed plugin makes the engine wait 15 s and fail; nobody listens on it any more.
            File.Delete(path);
            var (app, driver) = VolumePluginServer.Build(path, logger =>
                new VolumeDriver(new VolumeStateFolder(result.GetRequiredValue(state)), result.GetValue(registry), leaseTtl, logger));
            await using var _ = app;
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("volume-plugin");
            try
            {
                await app.StartAsync(token);
                LogListening(logger, path, driver.HostId);
                using var timer = new PeriodicTimer(leaseTtl / 3);
                while (await timer.WaitForNextTickAsync(token))
                {
                    try
                    {
                        await driver.RenewAllAsync(token);
                    }
                    catch (LaunchException e)
                    {
                        // The registry may be back at the next tick, before the lease lapses.
                        LogRenewalFailed(logger, e.Message);
                    }
                }
                return 0;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
                File.Delete(path);
            }
        }, cancellationToken));
        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving volumes on {Socket} as host {Host}")]
    private static partial void LogListening(ILogger logger, string socket, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lease renewal failed: {Error}")]
    private static partial void LogRenewalFailed(ILogger logger, string error);
}
