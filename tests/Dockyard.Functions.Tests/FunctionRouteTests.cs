using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
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

    /// <summary>
    /// The Functions host's routing: one ASP.NET Core <see cref="Route"/> per function, tried in function-name order
    /// (case-insensitive), the first whose template, constraints and methods match wins, whatever its specificity
    /// (WebScriptHostHttpRoutesManager / WebJobsRouter). A request for every route and method of the route table must
    /// reach the function meant for it: the UAM function named after the route, else the prefix's catch-all, discovery
    /// only at the root. Dockyard.FunctionsHost.Tests checks the same under the real host.
    /// </summary>
    [Fact]
    public async Task Every_route_reaches_its_own_function_when_routes_are_tried_in_name_order()
    {
        var options = new RouteOptions();
        options.SetParameterPolicy<RegexInlineRouteConstraint>("regex");
        var resolver = new DefaultInlineConstraintResolver(Options.Create(options), services);
        var hostOrder = FunctionCatalog.All.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .Select(f => (Function: f, Route: new Route(new Microsoft.AspNetCore.Routing.RouteHandler(_ => Task.CompletedTask), f.Route, resolver))).ToList();
        var wrong = new List<string>();
        foreach (var route in Routes)
        {
            var path = SamplePath(route.Template);
            foreach (var method in route.Methods.Keys.Select(m => m.ToLowerInvariant()))
            {
                var expected = Expected(route);
                string? first = null;
                foreach (var (function, candidate) in hostOrder.Where(c => c.Function.Methods.Contains(method)))
                {
                    var context = new RouteContext(new DefaultHttpContext { RequestServices = services, Request = { Path = path, Method = method.ToUpperInvariant() } });
                    await candidate.RouteAsync(context);
                    if (context.Handler is not null)
                    {
                        first = function.Name;
                        break;
                    }
                }
                if (first != expected)
                {
                    wrong.Add($"{method.ToUpperInvariant()} {path} ({route.Name}) → {first ?? "no function"}, not {expected}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_sample_paths_fill_every_parameter()
    {
        Assert.Equal("/uam/team/removerepository/acme/team1/ns/app", SamplePath("/uam/team/removerepository/{org}/{team}/{name}"));
        Assert.Equal("/v2/ns/app/blobs/uploads/", SamplePath("/v2/{name}/blobs/uploads/"));
    }

    /// <summary>The function a request for <paramref name="route"/> is meant for.</summary>
    private static string Expected(RouteDefinition route)
    {
        if (route.Template.StartsWith("/uam/", StringComparison.Ordinal))
        {
            return route.Name.Replace('.', '-');
        }
        var owners = FunctionCatalog.All.Where(f => f.Name != "discovery" && FunctionCatalog.Covers(FunctionCatalog.WithoutConstraints(f.Route), route.Template)).ToList();
        return owners.Count == 1 ? owners[0].Name : "discovery";
    }

    /// <summary>A request path for a route-table template: a two-segment repository name, a word for every other parameter.</summary>
    private static string SamplePath(string template) => Regex.Replace(template, @"\{(\w+)\}", m => m.Groups[1].Value switch
    {
        "name" => "ns/app",
        "org" => "acme",
        var other => other + "1",
    });

    public void Dispose()
    {
        services.Dispose();
        Directory.Delete(data, recursive: true);
    }

    private static string Describe(string name, string route, IEnumerable<string> methods) => $"{name} {route} {string.Join(",", methods.Order())}";
}
