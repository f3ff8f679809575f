using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The Docker legacy volume plugin protocol (HTTP POST of JSON on a unix socket, found by dockerd in
/// /run/docker/plugins/NAME.sock or through /etc/docker/plugins/NAME.spec) over a <see cref="VolumeDriver"/>. Every
/// failure is answered as <c>{"Err":"…"}</c>, which the engine shows to the user.
/// </summary>
internal static partial class VolumePluginServer
{
    /// <param name="createDriver">Makes the driver with the server's logger.</param>
    public static (WebApplication App, VolumeDriver Driver) Build(string socket, Func<ILogger, VolumeDriver> createDriver)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket));
        var app = builder.Build();
        var driver = createDriver(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("volume-plugin"));
        app.MapPost("/Plugin.Activate", () => Json(new JsonObject { ["Implements"] = new JsonArray("VolumeDriver") }));
        app.MapPost("/VolumeDriver.Capabilities", () => Json(new JsonObject { ["Capabilities"] = new JsonObject { ["Scope"] = "global" } }));
        Map(app, "Create", async (body, ct) =>
        {
            var options = body["Opts"] is JsonObject opts ? opts.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "") : [];
            await driver.CreateAsync(Name(body), options, ct);
            return new JsonObject();
        });
        Map(app, "Remove", async (body, ct) =>
        {
            await driver.RemoveAsync(Name(body), ct);
            return new JsonObject();
        });
        Map(app, "Get", (body, _) =>
        {
            var name = Name(body);
            return Task.FromResult(driver.Mountpoint(name) is { } mountpoint
                ? new JsonObject { ["Volume"] = Volume(driver, name, mountpoint) }
                : throw new LaunchException(LaunchFailure.Usage, "no such volume"));
        });
        Map(app, "List", (_, _) => Task.FromResult(new JsonObject
        {
            ["Volumes"] = new JsonArray(driver.State.Names().Select(n => (JsonNode)Volume(driver, n, driver.Mountpoint(n) ?? "")).ToArray()),
        }));
        Map(app, "Path", (body, _) => Task.FromResult(new JsonObject { ["Mountpoint"] = driver.Mountpoint(Name(body)) ?? "" }));
        Map(app, "Mount", async (body, ct) => new JsonObject { ["Mountpoint"] = await driver.MountAsync(Name(body), Id(body), ct) });
        Map(app, "Unmount", async (body, ct) =>
        {
            await driver.UnmountAsync(Name(body), Id(body), ct);
            return new JsonObject();
        });
        return (app, driver);
    }

    private static JsonObject Volume(VolumeDriver driver, string name, string mountpoint) => new()
    {
        ["Name"] = name,
        ["Mountpoint"] = mountpoint,
        ["Status"] = new JsonObject { ["repository"] = driver.State.Repository(name), ["version"] = driver.State.Pinned(name) ?? "latest", ["host"] = driver.HostId },
    };

    private static void Map(WebApplication app, string method, Func<JsonObject, CancellationToken, Task<JsonObject>> handler) =>
        app.MapPost("/VolumeDriver." + method, async (HttpContext context) =>
        {
            JsonObject answer;
            try
            {
                var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
                answer = await handler(body, context.RequestAborted);
                answer["Err"] = "";
            }
            catch (Exception e) when (e is LaunchException or JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                LogRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("volume-plugin"), method, e.Message);
                answer = new JsonObject { ["Err"] = e is LaunchException launch ? launch.Describe() : e.Message };
            }
            return Json(answer);
        });

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/vnd.docker.plugins.v1.2+json");

    private static string Name(JsonObject body) => VolumeStateFolder.CheckName(body["Name"]?.GetValue<string>());

    [LoggerMessage(Level = LogLevel.Warning, Message = "VolumeDriver.{Method} refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string method, string error);

    private static string Id(JsonObject body) => body["ID"]?.GetValue<string>() ?? "";
}
