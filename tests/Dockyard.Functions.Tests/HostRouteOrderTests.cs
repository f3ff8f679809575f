using System.Text.RegularExpressions;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dockyard.Functions.Tests;

/// <summary>
/// The Functions host's routing, in process: one ASP.NET Core <see cref="Route"/> per function, tried in function-name
/// order (case-insensitive), the first whose template, constraints and methods match wins, whatever its specificity
/// (WebScriptHostHttpRoutesManager / WebJobsRouter). A request for every route and method of the route table must reach
/// the function meant for it: the UAM function named after the route, else the prefix's catch-all, discovery only at
/// the root. Dockyard.FunctionsHost.Tests checks the same under the real host.
/// </summary>
public sealed class HostRouteOrderTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("dockyard-fn-order-").FullName;
    private readonly ServiceProvider services;

    public HostRouteOrderTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["dockyard:path"] = data }).Build();
        services = new ServiceCollection().AddLogging().AddOptions().AddDockyardFunctions(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task Every_route_reaches_its_own_function_when_routes_are_tried_in_name_order()
    {
        var options = new RouteOptions();
        options.SetParameterPolicy<RegexInlineRouteConstraint>("regex");
        var resolver = new DefaultInlineConstraintResolver(Options.Create(options), services);
        var hostOrder = FunctionCatalog.All.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .Select(f => (Function: f, Route: new Route(new Microsoft.AspNetCore.Routing.RouteHandler(_ => Task.CompletedTask), f.Route, resolver))).ToList();
        var wrong = new List<string>();
        foreach (var route in services.GetRequiredService<RouteTable>().Routes)
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
}
