using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Routing;

/// <summary>
/// The single route table both hosts dispatch through (the Kestrel server and the Azure Functions worker). Order
/// matters: more specific templates come first.
/// </summary>
public sealed class RouteTable(IEnumerable<RouteDefinition> routes)
{
    public IReadOnlyList<RouteDefinition> Routes { get; } = routes.ToList();

    /// <summary>The route whose template matches the path, with its captured values; null when none matches.</summary>
    public (RouteDefinition Route, RouteValues Values)? Match(PathString path) => Match(path, null);

    /// <summary>
    /// The first route whose template matches the path and whose required query (if any) is in <paramref name="query"/>;
    /// null when none matches.
    /// </summary>
    public (RouteDefinition Route, RouteValues Values)? Match(PathString path, IQueryCollection? query)
    {
        var text = path.Value ?? "/";
        foreach (var route in Routes)
        {
            if (route.RequiredQuery is { } required && (query is null || query[required.Key] != required.Value))
            {
                continue;
            }
            var match = route.Pattern.Match(text);
            if (match.Success)
            {
                return (route, new RouteValues(match, route.MapName));
            }
        }
        return null;
    }
}
