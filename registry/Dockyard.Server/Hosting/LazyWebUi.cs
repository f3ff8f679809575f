using Dockyard.Web;

namespace Dockyard.Server.Hosting;

/// <summary>
/// The web UI as a pipeline of its own, built on the first request that is not the registry's. Razor Pages, cookie
/// authentication, antiforgery and data protection cost a registry that only serves clients about 20 MiB and a fifth
/// of its cold start (measured: 101 → 78 MiB at start without them), so a node behind a load balancer that no browser
/// reaches never pays for them. The UI's container holds only its own services; everything registered by Dockyard's
/// composition (Core's stores and services, with test overrides applied) is resolved from the registry's container,
/// so both see one set of stores. No type of Dockyard.Web appears before that request (the options are made when the UI
/// is built), so a node no browser reaches never even maps its assembly.
/// </summary>
public sealed class LazyWebUi
{
    private readonly Lazy<(RequestDelegate Pipeline, IServiceProvider Services)> ui;

    /// <param name="registryServices">The registry's container, resolved when the UI first answers.</param>
    /// <param name="registryRegistrations">The registry's registrations: those of Dockyard's own types are forwarded.</param>
    /// <param name="standalone"><see cref="WebUiOptions.Standalone"/>.</param>
    /// <param name="keyRingKey">Makes <see cref="WebUiOptions.KeyRingKey"/> when the UI is built.</param>
    /// <param name="fallback">What no page claims: the dispatcher's JSON 404 or 405.</param>
    public LazyWebUi(IServiceProvider registryServices, IServiceCollection registryRegistrations, bool standalone, Func<byte[]?> keyRingKey,
        RequestDelegate fallback)
    {
        var forwarded = ForwardedTypes(registryRegistrations);
        ui = new(() => Build(registryServices, forwarded, standalone, keyRingKey(), fallback), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>True once a request has needed the UI (its services and pages exist from then on).</summary>
    public bool IsBuilt => ui.IsValueCreated;

    public async Task InvokeAsync(HttpContext context)
    {
        var (pipeline, services) = ui.Value;
        // Pages, authentication and antiforgery resolve from RequestServices, which the host set to a scope of the
        // registry's container; the UI's scope knows both its own services and the forwarded ones.
        var registryScope = context.RequestServices;
        await using var scope = services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await pipeline(context);
        }
        finally
        {
            context.RequestServices = registryScope;
        }
    }

    private static List<Type> ForwardedTypes(IServiceCollection registrations) =>
        [.. registrations
            .Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.IsKeyedService && !d.ServiceType.IsGenericTypeDefinition
                && d.ServiceType.Assembly.GetName().Name?.StartsWith("Dockyard.", StringComparison.Ordinal) == true)
            .Select(d => d.ServiceType)
            .Distinct()];

    private static (RequestDelegate, IServiceProvider) Build(IServiceProvider registry, List<Type> forwarded, bool standalone, byte[]? keyRingKey,
        RequestDelegate fallback)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(registry.GetRequiredService<ILoggerFactory>());
        foreach (var type in forwarded)
        {
            builder.Services.AddSingleton(type, _ => registry.GetRequiredService(type));
        }
        builder.Services.AddDockyardWeb(new WebUiOptions { Standalone = standalone, KeyRingKey = keyRingKey });
        var app = builder.Build();
        // Never started as a host: the pipeline is built here and runs inside the registry's Kestrel.
        app.UseRouting();
        app.UseDockyardWeb();
        app.MapDockyardWeb();
        app.UseEndpoints(_ => { });
        app.Run(fallback);
        return (((IApplicationBuilder)app).Build(), app.Services);
    }
}
