using Dockyard.Azure;
using Dockyard.Azure.Tables;
using Dockyard.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Functions.Tests;

/// <summary>
/// One worker instance in process: its services built by <see cref="WorkerComposition.AddDockyardFunctions"/> as
/// Program.cs builds them, behind a TestServer that stands in for the Functions host — it routes each request by the
/// functions' own <c>[HttpTrigger]</c> templates and methods (routePrefix ""), invokes the function method with the
/// request's real HttpContext and executes the <see cref="IActionResult"/> it returns, as the ASP.NET Core integration does.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private WorkerHost(WebApplication app)
    {
        this.app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<WorkerHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseTestServer();
        builder.Services.AddDockyardFunctions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        // The slim builder leaves out the regex constraint that the discovery and uam-repository-delete routes use.
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<RegexInlineRouteConstraint>("regex"));
        var app = builder.Build();
        app.UseRouting();
        foreach (var function in FunctionCatalog.All)
        {
            app.MapMethods(function.Route, function.Methods.Select(m => m.ToUpperInvariant()), context => InvokeAsync(function, context))
                .WithDisplayName(function.Name);
        }
        await app.StartAsync();
        return new WorkerHost(app);
    }

    /// <summary>The settings of a worker on Azurite (blob backend and Azure Tables) in a container and tables of its own.</summary>
    public static Dictionary<string, string?>? AzuriteSettings(string? container = null, string? prefix = null)
    {
        if (Azurite.ConnectionString is not { } connection)
        {
            return null;
        }
        return new Dictionary<string, string?>
        {
            ["dockyard:backend"] = "azure",
            ["db:driver"] = "azuretables",
            ["azure:connectionstring"] = connection,
            ["azure:container"] = container ?? "fn-" + Guid.NewGuid().ToString("N")[..20],
            ["azure:tableprefix"] = prefix ?? "fn" + Guid.NewGuid().ToString("N")[..12],
        };
    }

    /// <summary>Deletes the container and tables named by <paramref name="settings"/>.</summary>
    public static async Task DeleteStorageAsync(IDictionary<string, string?> settings)
    {
        var connection = settings["azure:connectionstring"]!;
        await AzureStorageRegistration.Connect(connection, settings["azure:container"]!, TimeSpan.FromSeconds(10)).DeleteIfExistsAsync();
        await AzureTables.FromOptions(new AzureTableOptions { ConnectionString = connection, TablePrefix = settings["azure:tableprefix"]! })
            .DeleteTablesAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task InvokeAsync(FunctionRoute function, HttpContext context)
    {
        // As the worker does: a function class per invocation, constructed from the worker's services.
        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, function.Method.DeclaringType!);
        var result = await (Task<IActionResult>)function.Method.Invoke(target, [context.Request])!;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }
}

/// <summary>The Azurite that infra/scripts/azurite.sh started (test.sh exports its connection string).</summary>
internal static class Azurite
{
    public const string Variable = "DOCKYARD_TEST_AZURE_CONNECTION";

    /// <summary>The connection string; null (after reporting it, or failing on CI) when Azurite is not running.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : RequiredTool.Missing("azurite", $"is not running ({Variable} is unset; infra/scripts/azurite.sh start)");
}
