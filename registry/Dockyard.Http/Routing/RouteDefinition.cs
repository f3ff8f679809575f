using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Routing;

/// <summary>A handler of one matched route; <paramref name="values"/> holds the template's parameters.</summary>
public delegate Task RouteHandler(HttpContext context, RouteValues values);

/// <summary>What a caller needs before a handler runs (checked only when authorization is enforced).</summary>
public enum AccessRequirement
{
    /// <summary>Nothing: the token endpoint, sign-up.</summary>
    Anonymous,
    /// <summary>Any authenticated user (<c>GET /v2/</c>).</summary>
    Authenticated,
    /// <summary>
    /// An authenticated user acting as their whole account (UAM routes; the handler checks more): Basic credentials,
    /// or a bearer token carrying the <c>registry:account:*</c> scope. A token issued for pulls and pushes is not enough.
    /// </summary>
    Account,
    /// <summary>Read access to the route's <c>{name}</c> repository.</summary>
    Pull,
    /// <summary>Write access to the route's <c>{name}</c> repository.</summary>
    Push,
    /// <summary>Delete access to the route's <c>{name}</c> repository.</summary>
    Delete,
    /// <summary>The catalog: anyone, listing only what they may read.</summary>
    Catalog,
    /// <summary>
    /// A Docker Registry V1 image route (no repository in the path): the caller is authenticated (or anonymous) and the
    /// handler checks the repositories that list the image, or the one the caller's V1 token names.
    /// </summary>
    V1Image,
}

/// <summary>One method of a route: its handler and what the caller needs.</summary>
public sealed record RouteEndpoint(RouteHandler Handler, AccessRequirement Access);

/// <summary>
/// One named route: a path template and the handler per HTTP method. In templates <c>{name}</c> is a repository
/// name and may span several segments (so it can only be matched from the fixed suffix that follows it); every
/// other parameter is one segment. A template ending in <c>/</c> also matches without it. A route with a
/// <see cref="RequiredQuery"/> matches only requests whose query string has that key with that value (appc discovery's
/// <c>?ac-discovery=1</c>), so it never takes a path from a route without one.
/// </summary>
public sealed class RouteDefinition
{
    /// <param name="mapName">Rewrites the captured <c>{name}</c> before anyone reads it (V1: <c>busybox</c> → <c>library/busybox</c>); null keeps it.</param>
    /// <param name="requiredQuery">A query key and value the request must carry (appc discovery); null matches by path alone.</param>
    public RouteDefinition(string name, string template, IReadOnlyDictionary<string, RouteEndpoint> methods, Func<string, string>? mapName = null,
        (string Key, string Value)? requiredQuery = null)
    {
        Name = name;
        Family = RouteFamilies.Of(name);
        MapName = mapName;
        Template = template;
        RequiredQuery = requiredQuery;
        Methods = methods;
        Pattern = RoutePatterns.Find(template) ?? new Regex(PatternOf(template), RegexOptions.CultureInvariant | RegexOptions.Compiled);
        // HEAD is served by the GET handler unless a route names it; ASP.NET Core drops the body.
        if (!methods.ContainsKey(HttpMethods.Head) && methods.TryGetValue(HttpMethods.Get, out var get))
        {
            Methods = new Dictionary<string, RouteEndpoint>(methods, StringComparer.OrdinalIgnoreCase) { [HttpMethods.Head] = get };
        }
    }

    public string Name { get; }

    /// <summary>The group the route's requests are counted and logged under (<see cref="RouteFamilies"/>).</summary>
    public string Family { get; }

    public string Template { get; }

    /// <summary>The query key and value a request must carry to match; null for routes matched by path alone.</summary>
    public (string Key, string Value)? RequiredQuery { get; }

    public IReadOnlyDictionary<string, RouteEndpoint> Methods { get; }

    /// <summary>Rewrites the captured repository name; null when the route keeps it as matched.</summary>
    public Func<string, string>? MapName { get; }

    internal Regex Pattern { get; }

    /// <summary>The regex of a template: <c>{name}</c> spans segments, other parameters one; a trailing <c>/</c> is optional.</summary>
    internal static string PatternOf(string template)
    {
        var pattern = Regex.Replace(Regex.Escape(template).Replace(@"\{", "{"), "{([a-z]+)}",
            m => m.Groups[1].Value == "name" ? "(?<name>.+)" : $"(?<{m.Groups[1].Value}>[^/]+)");
        if (pattern.EndsWith('/'))
        {
            pattern += "?";
        }
        return "^" + pattern + @"\z";
    }
}

/// <summary>The parameters a route template captured, by name; absent parameters read as null.</summary>
public sealed class RouteValues(Match match, Func<string, string>? mapName = null)
{
    public string? this[string key] => match.Groups[key] is { Success: true } group
        ? key == "name" && mapName is not null ? mapName(group.Value) : group.Value
        : null;
}
