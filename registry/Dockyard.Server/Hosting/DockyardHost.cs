using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dockyard.Core.Collection;
using Dockyard.Core.Uploads;
using Dockyard.Http;
using Dockyard.Http.Auth;
using Dockyard.Hosting;
using Dockyard.Hosting.Configuration;
using Dockyard.Server.Logging;
using Dockyard.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Console;

namespace Dockyard.Server.Hosting;

/// <summary>
/// The composition root: Kestrel, logging, the configured backends, the shared dispatcher for every registry route, and
/// the web UI (Dockyard.Web) for the rest (see <see cref="RegistryFirst"/>), built on its first request (<see cref="LazyWebUi"/>).
/// </summary>
public static class DockyardHost
{
    private const string StartupCategory = "Dockyard.Startup";

    /// <param name="overrides">Replaces registrations after the composition (tests wrap a store to make it fail); null for none.</param>
    public static WebApplication Build(RuntimeSettings settings, string address, int port, Action<IServiceCollection>? overrides = null)
    {
        // Before logging is configured from [log]; AddDockyardRegistry checks again (cheaply) for hosts without logging of their own.
        RuntimeSettingsValidator.Validate(settings);
        // Settings come from runtime.conf, not appsettings.json; without this the host would watch the whole working
        // folder (where ./data lives by default) with inotify and wake up for every blob file written.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        ConfigureLogging(builder.Logging, settings.Log);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Blob uploads are streamed to the store, so their size is bounded by storage, not by the server.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(ParseAddress(address), port, listen =>
            {
                if (string.Equals(settings.Runtime.ListenMode, "https", StringComparison.OrdinalIgnoreCase))
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(settings.Runtime.HttpsCertFile!, settings.Runtime.HttpsKeyFile));
                }
            });
        });
        var startupLog = new StartupLog();
        try
        {
            builder.Services.AddDockyardRegistry(settings, startupLog);
        }
        catch (Exception) when (startupLog.HasEntries)
        {
            // The host's logging never comes: what start-up did so far (a generated key) still reaches the log.
            using var logging = LoggerFactory.Create(l => ConfigureLogging(l, settings.Log));
            startupLog.WriteTo(logging.CreateLogger(StartupCategory));
            throw;
        }
        // First of the hosted services: the schema is made while Kestrel and the others start.
        builder.Services.AddSingleton<StorePreparationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorePreparationService>());
        builder.Services.AddHostedService<NativeHeapTrimService>();
        overrides?.Invoke(builder.Services);
        if (settings.Dockyard.UploadPurgeAge > 0)
        {
            builder.Services.AddHostedService(sp => new UploadPurgeService(
                sp.GetRequiredService<UploadPurge>(), TimeSpan.FromHours(settings.Dockyard.UploadPurgeAge),
                sp.GetRequiredService<ILogger<UploadPurgeService>>()));
        }
        if (settings.Gc.Interval > 0)
        {
            builder.Services.AddHostedService(sp => new GarbageCollectionService(
                sp.GetRequiredService<GarbageCollector>(), TimeSpan.FromSeconds(settings.Gc.Interval),
                sp.GetRequiredService<CollectionSchedule>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<GarbageCollectionService>>()));
        }
        if (settings.Notifications.ToOptions().Enabled)
        {
            builder.Services.AddHostedService<NotificationService>();
        }
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Loopback stays trusted (the default); a proxy elsewhere must be named, or every client behind it would
            // share its address for login throttling and the upload cap.
            foreach (var network in settings.Dockyard.TrustedProxyNetworks())
            {
                o.KnownIPNetworks.Add(network);
            }
        });

        var registrations = builder.Services;
        builder.Services.AddSingleton(sp => new LazyWebUi(sp, registrations, settings.Dockyard.Standalone,
            () => settings.Web.KeyRingKey(sp.GetRequiredService<RegistryAuthOptions>()), sp.GetRequiredService<RegistryDispatcher>().DispatchAsync));
        var app = builder.Build();
        if (startupLog.HasEntries)
        {
            startupLog.WriteTo(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupCategory));
        }
        app.UseForwardedHeaders();
        var dispatcher = app.Services.GetRequiredService<RegistryDispatcher>();
        // Not UseMiddleware: its reflection binder was a measurable part of a cold start.
        app.Use(next => new RegistryFirst(next, dispatcher).InvokeAsync);
        // What no page claims either gets the registry's own JSON 404 (or 405), as before the UI existed.
        app.Run(app.Services.GetRequiredService<LazyWebUi>().InvokeAsync);
        return app;
    }

    private static IPAddress ParseAddress(string address) =>
        address is "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(address, out var ip) ? ip
        : throw new StartupException($"--address '{address}' is not an IP address");

    private static void ConfigureLogging(ILoggingBuilder logging, LogOptions options)
    {
        logging.ClearProviders();
        if (options.IsJson)
        {
            // One object per line: Timestamp, EventId, LogLevel, Category, Message and State (the named fields).
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        logging.SetMinimumLevel(Enum.Parse<LogLevel>(options.Level, ignoreCase: true));
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (!string.IsNullOrWhiteSpace(options.FilePath))
        {
            logging.AddProvider(new FileLoggerProvider(options.FilePath, options.IsJson));
        }
    }
}
