using Dockyard.Hosting;
using Dockyard.Hosting.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;

namespace Dockyard.Functions;

/// <summary>
/// What Program.cs registers in the worker, callable by tests: the settings bound from the app settings (the keys of
/// runtime.conf as <c>dockyard__backend</c>, <c>db__driver</c>, <c>azure__connectionstring</c>…; local.settings.json's
/// <c>Values</c> locally), the shared registry composition, and the worker's Kestrel without a body limit.
/// </summary>
public static class WorkerComposition
{
    /// <exception cref="StartupException">A setting is wrong or a backend cannot be reached; the message names the key.</exception>
    public static IServiceCollection AddDockyardFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = RuntimeSettings.Bind(configuration);
        using (var startupLogging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.ColorBehavior = LoggerColorBehavior.Disabled)))
        {
            services.AddDockyardRegistry(settings, startupLogging.CreateLogger("Dockyard.Startup"));
        }
        // The worker's own Kestrel (behind the Functions host) defaults to 30,000,000 bytes; blob uploads stream to the
        // store, so only the host's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT (100 MB by default) bounds a request.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        return services;
    }
}
