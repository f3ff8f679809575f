using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace Dockyard.Functions.Tests;

/// <summary>One HTTP-triggered function of the worker: its name, route template, methods (lower-case) and method.</summary>
internal sealed record FunctionRoute(string Name, string Route, IReadOnlySet<string> Methods, MethodInfo Method);

/// <summary>The worker's HTTP functions found by reflection over <c>[Function]</c> / <c>[HttpTrigger]</c>, as the SDK's generator finds them (timer functions are not routes).</summary>
internal static partial class FunctionCatalog
{
    public static IReadOnlyList<FunctionRoute> All { get; } = Load();

    private static List<FunctionRoute> Load() =>
        typeof(WorkerComposition).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .Select(f => new FunctionRoute(f.Function!.Name, f.Trigger!.Route ?? throw new InvalidOperationException($"{f.Function.Name}: no [HttpTrigger] route"),
                f.Trigger.Methods!.Select(m => m.ToLowerInvariant()).ToHashSet(), f.Method))
            .ToList();

    /// <summary>
    /// Whether a request for <paramref name="routeTemplate"/> (a route-table template: <c>{name}</c> spans segments,
    /// a trailing <c>/</c> is optional) can reach a function with <paramref name="functionRoute"/> (an ASP.NET Core
    /// template: <c>{*x}</c> takes the rest, even nothing; <c>{x}</c> one segment).
    /// </summary>
    public static bool Covers(string functionRoute, string routeTemplate)
    {
        var function = functionRoute.Split('/');
        var route = routeTemplate.TrimStart('/').TrimEnd('/').Split('/');
        for (var i = 0; i < function.Length; i++)
        {
            if (function[i].StartsWith("{*", StringComparison.Ordinal))
            {
                return true;
            }
            if (i >= route.Length || route[i] == "{name}")
            {
                return false;
            }
            var isParameter = function[i].StartsWith('{');
            if (!isParameter && !string.Equals(function[i], route[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return function.Length == route.Length;
    }

    /// <summary>A function route without its inline constraints (<c>{owner:regex(…)}</c> → <c>{owner}</c>).</summary>
    public static string WithoutConstraints(string functionRoute) => Constraint().Replace(functionRoute, "{${name}}");

    /// <summary>A route-table template as a function route: no leading <c>/</c>, a last <c>{name}</c> as catch-all.</summary>
    public static string ToFunctionRoute(string routeTemplate)
    {
        var route = routeTemplate.Trim('/');
        return route.EndsWith("{name}", StringComparison.Ordinal) ? route[..^"{name}".Length] + "{*name}" : route;
    }

    [GeneratedRegex(@"\{(?<name>\*?\w+):[^}]*\}")]
    private static partial Regex Constraint();
}
