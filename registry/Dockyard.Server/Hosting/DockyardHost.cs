using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Core.Appc;
using Dockyard.Core.Uploads;
using Dockyard.Http;
using Dockyard.Ldap;
using Dockyard.Server.Configuration;
using Dockyard.Server.Logging;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Console;

namespace Dockyard.Server.Hosting;

/// <summary>The composition root: Kestrel, logging, the configured backends, and the shared dispatcher as the only endpoint.</summary>
public static class DockyardHost
{
    public static WebApplication Build(RuntimeSettings settings, string address, int port)
    {
        RuntimeSettingsValidator.Validate(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging, settings.Log);
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
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new RegistryHttpOptions { DistributionVersion = settings.Dockyard.Distribution, V1Version = settings.Dockyard.Registry });
        builder.Services.AddSingleton(new AppcOptions
        {
            Domains = (settings.Dockyard.Domains ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            KeysPath = Path.Combine(Path.GetFullPath(settings.Dockyard.Path), "appc-keys"),
            ViewsPath = Path.Combine(Directory.GetCurrentDirectory(), "views"),
        });
        StorageComposition.AddStorage(builder.Services, settings);
        using (var startupLogging = LoggerFactory.Create(l => ConfigureLogging(l, settings.Log)))
        {
            builder.Services.AddSingleton(AuthComposition.Create(settings, startupLogging.CreateLogger("Dockyard.Startup")));
        }
        if (RuntimeSettingsValidator.UsesLdap(settings))
        {
            builder.Services.AddLdapAuthenticator(settings.AuthnLdap.ToAuthenticatorOptions());
        }
        SigningComposition.AddSigning(builder.Services, settings);
        builder.Services.AddDockyardHttp();
        if (settings.Dockyard.UploadPurgeAge > 0)
        {
            builder.Services.AddHostedService(sp => new UploadPurgeService(
                sp.GetRequiredService<BlobUploadService>(), TimeSpan.FromHours(settings.Dockyard.UploadPurgeAge),
                sp.GetRequiredService<ILogger<UploadPurgeService>>()));
        }
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);

        var app = builder.Build();
        app.UseForwardedHeaders();
        var dispatcher = app.Services.GetRequiredService<RegistryDispatcher>();
        app.Run(dispatcher.DispatchAsync);
        return app;
    }

    private static IPAddress ParseAddress(string address) =>
        address is "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(address, out var ip) ? ip
        : throw new StartupException($"--address '{address}' is not an IP address");

    private static void ConfigureLogging(ILoggingBuilder logging, LogOptions options)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        logging.SetMinimumLevel(Enum.Parse<LogLevel>(options.Level, ignoreCase: true));
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (!string.IsNullOrWhiteSpace(options.FilePath))
        {
            logging.AddProvider(new FileLoggerProvider(options.FilePath));
        }
    }
}
