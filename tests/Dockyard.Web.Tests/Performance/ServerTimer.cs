using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Performance;

/// <summary>
/// Measures server time: a startup filter puts a stopwatch in front of the whole pipeline (registry routes, the UI's
/// middleware, the page), so a figure is what the server spent from receiving the request to writing the last byte of
/// the page, without the client or the network.
/// </summary>
public sealed class ServerTimer : IStartupFilter
{
    private readonly ConcurrentDictionary<string, TimeSpan> last = new();

    public static ServerTimer Register(IServiceCollection services)
    {
        var timer = new ServerTimer();
        services.AddSingleton<IStartupFilter>(timer);
        return timer;
    }

    /// <summary>The server time of the last request for <paramref name="pathAndQuery"/>.</summary>
    public TimeSpan Of(string pathAndQuery) => last[pathAndQuery];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            var started = Stopwatch.GetTimestamp();
            await following(context);
            last[context.Request.Path + context.Request.QueryString] = Stopwatch.GetElapsedTime(started);
        });
        next(app);
    };
}
