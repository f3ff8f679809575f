using System.Text.RegularExpressions;
using Dockyard.Http.Routing;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Http.Tests.Routing;

/// <summary>
/// The route table matches with source-generated regexes (nothing compiled at start), each the very pattern its
/// template gives; a route added without one fails here.
/// </summary>
public sealed class RoutePatternsTests
{
    [Fact]
    public async Task Every_route_matches_with_the_generated_regex_of_its_template()
    {
        await using var server = await RegistryServer.StartAsync();
        var routes = server.Services.GetRequiredService<RouteTable>().Routes;

        Assert.Empty(routes.Where(r => RoutePatterns.Find(r.Template) is null).Select(r => $"{r.Name} ({r.Template}): add it to RoutePatterns"));
        Assert.All(routes, route =>
        {
            Assert.Same(RoutePatterns.Find(route.Template), route.Pattern);
            Assert.Equal(RouteDefinition.PatternOf(route.Template), route.Pattern.ToString());
            Assert.Equal(RegexOptions.CultureInvariant, route.Pattern.Options);
        });
    }

    [Fact]
    public void A_template_outside_the_table_is_compiled_at_run_time_with_the_same_rules()
    {
        var route = new RouteDefinition("test.only", "/test/{name}/items/{id}/", RouteMethods.Of());
        var table = new RouteTable([route]);

        var match = table.Match("/test/a/b/items/42");
        Assert.NotNull(match);
        Assert.Equal(("a/b", "42"), (match.Value.Values["name"], match.Value.Values["id"]));
        Assert.NotNull(table.Match("/test/a/items/42/"));
        Assert.Null(table.Match("/test/a/items/4/2"));
    }
}
