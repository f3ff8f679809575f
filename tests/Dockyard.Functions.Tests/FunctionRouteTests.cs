using System.Reflection;
using System.Text.Json;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dockyard.Functions.Tests;

/// <summary>The functions and the shared route table must stay in step: no route without a function, no function without a route.</summary>
public sealed class FunctionRouteTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("dockyard-fn-").FullName;
    private readonly ServiceProvider services;

    public FunctionRouteTests()
    {
        // The default backends (disk + SQLite) in a temp folder: only the route table is needed here, not Azurite.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["dockyard:path"] = data }).Build();
        services = new ServiceCollection().AddLogging().AddDockyardFunctions(configuration).BuildServiceProvider();
    }

    private IReadOnlyList<RouteDefinition> Routes => services.GetRequiredService<RouteTable>().Routes;

    [Fact]
    public void Every_route_and_method_reaches_a_function()
    {
        var missing = Routes.SelectMany(r => r.Methods.Keys.Select(m => (Route: r, Method: m.ToLowerInvariant())))
            .Where(x => !FunctionCatalog.All.Any(f => FunctionCatalog.Covers(f.Route, x.Route.Template) && f.Methods.Contains(x.Method)))
            .Select(x => $"{x.Method.ToUpperInvariant()} {x.Route.Template} ({x.Route.Name})")
            .ToList();
        Assert.True(missing.Count == 0, "no function for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_uam_route_has_a_function_of_its_own()
    {
        foreach (var route in Routes.Where(r => r.Template.StartsWith("/uam/", StringComparison.Ordinal)))
        {
            var name = route.Name.Replace('.', '-');
            var function = FunctionCatalog.All.SingleOrDefault(f => f.Name == name);
            Assert.True(function is not null, $"route {route.Name} ({route.Template}) has no function '{name}'");
            Assert.Equal(FunctionCatalog.ToFunctionRoute(route.Template), FunctionCatalog.WithoutConstraints(function.Route));
            Assert.Equal(route.Methods.Keys.Select(m => m.ToLowerInvariant()).Order(), function.Methods.Order());
        }
    }

    [Fact]
    public void Every_function_and_method_serves_a_route()
    {
        foreach (var function in FunctionCatalog.All)
        {
            var covered = Routes.Where(r => FunctionCatalog.Covers(function.Route, r.Template)).ToList();
            Assert.True(covered.Count > 0, $"function {function.Name} ({function.Route}) serves no route of the route table");
            var methods = covered.SelectMany(r => r.Methods.Keys).Select(m => m.ToLowerInvariant()).ToHashSet();
            Assert.True(function.Methods.IsSubsetOf(methods),
                $"function {function.Name} ({function.Route}) takes {string.Join(", ", function.Methods.Except(methods))} that no route it covers serves");
        }
    }

    [Fact]
    public void Functions_metadata_the_host_reads_lists_exactly_these_functions()
    {
        var folder = typeof(FunctionRouteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "functions.metadata")));
        var fromMetadata = metadata.RootElement.EnumerateArray().Where(IsHttp).Select(f =>
        {
            var trigger = f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Contains(f.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http"
                && b.GetProperty("direction").GetString() == "Out");
            return Describe(f.GetProperty("name").GetString()!, trigger.GetProperty("route").GetString()!,
                trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        }).Order().ToList();
        Assert.Equal(FunctionCatalog.All.Select(f => Describe(f.Name, f.Route, f.Methods)).Order(), fromMetadata);
        var timers = metadata.RootElement.EnumerateArray().Where(f => !IsHttp(f))
            .Select(f => (f.GetProperty("name").GetString(), f.GetProperty("bindings")[0].GetProperty("type").GetString(),
                f.GetProperty("bindings")[0].GetProperty("schedule").GetString()));
        Assert.Equal([("CollectGarbage", "timerTrigger", "0 30 3 * * *"), ("PurgeUploads", "timerTrigger", "0 0 * * * *"),
            ("notifications", "timerTrigger", NotificationFunctions.Schedule)], timers.OrderBy(t => t.Item1, StringComparer.Ordinal));
    }

    private static bool IsHttp(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "httpTrigger");

    [Fact]
    public void Worker_kestrel_has_no_request_body_limit()
    {
        Assert.Null(services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestBodySize);
    }

    [Fact]
    public void Catch_all_functions_cover_multi_segment_names_and_single_segment_ones_do_not()
    {
        Assert.True(FunctionCatalog.Covers("v2/{*path}", "/v2/{name}/blobs/uploads/"));
        Assert.True(FunctionCatalog.Covers("uam/{owner}/{*name}", "/uam/{owner}/{name}"));
        Assert.False(FunctionCatalog.Covers("uam/{owner}/{name}", "/uam/{owner}/{name}"));
        Assert.False(FunctionCatalog.Covers("uam/user", "/uam/user/{user}"));
        Assert.False(FunctionCatalog.Covers("pubkeys", "/appc/{name}/pubkeys"));
    }

    public void Dispose()
    {
        services.Dispose();
        Directory.Delete(data, recursive: true);
    }

    private static string Describe(string name, string route, IEnumerable<string> methods) => $"{name} {route} {string.Join(",", methods.Order())}";
}
