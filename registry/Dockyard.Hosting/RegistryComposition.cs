using Dockyard.Core.Appc;
using Dockyard.Hosting.Configuration;
using Dockyard.Http;
using Dockyard.Ldap;

namespace Dockyard.Hosting;

/// <summary>
/// The one composition every host calls (the Kestrel server, the Azure Functions worker): validates the settings,
/// then registers the options, the configured backends, authorization, LDAP, signing, notifications and the shared HTTP layer.
/// The host adds only what is its own (its web server, logging, background services).
/// </summary>
public static class RegistryComposition
{
    /// <param name="startupLogger">Logs what start-up does on the operator's behalf (a generated development token key).</param>
    /// <exception cref="StartupException">A setting is wrong or a backend cannot be reached; the message names the key.</exception>
    public static IServiceCollection AddDockyardRegistry(this IServiceCollection services, RuntimeSettings settings, ILogger startupLogger)
    {
        RuntimeSettingsValidator.Validate(settings);
        services.AddSingleton(settings);
        services.AddSingleton(new RegistryHttpOptions { DistributionVersion = settings.Dockyard.Distribution, V1Version = settings.Dockyard.Registry });
        services.AddSingleton(new AppcOptions
        {
            Domains = (settings.Dockyard.Domains ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            KeysPath = Path.Combine(Path.GetFullPath(settings.Dockyard.Path), "appc-keys"),
            ViewsPath = Path.Combine(Directory.GetCurrentDirectory(), "views"),
        });
        services.AddSingleton(settings.Quota.ToOptions());
        services.AddSingleton(settings.Gc.ToOptions([.. settings.Retention.Select(r => r.ToRule())]));
        services.AddSingleton(settings.Metrics.ToOptions());
        services.AddSingleton(settings.P2P.ToOptions());
        StorageComposition.AddStorage(services, settings);
        RedisComposition.AddShared(services, settings.Db);
        services.AddSingleton(AuthComposition.Create(settings, startupLogger));
        if (RuntimeSettingsValidator.UsesLdap(settings))
        {
            services.AddLdapAuthenticator(settings.AuthnLdap.ToAuthenticatorOptions());
        }
        SigningComposition.AddSigning(services, settings);
        NotificationComposition.AddNotifications(services, settings.Notifications, startupLogger);
        return services.AddDockyardHttp();
    }
}
