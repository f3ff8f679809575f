using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Http.Routing;
using Dockyard.Http.Uam;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Volumes;

/// <summary>
/// <c>/extensions/v2/&lt;name&gt;/volume/lease</c>. Bodies are JSON objects: POST <c>{"holder","ttlSeconds"}</c>,
/// PUT <c>{"holder","token","ttlSeconds"}</c>; DELETE takes <c>?holder=&amp;token=</c>. Answers are the lease
/// <c>{"holder","token","expiresAt"}</c>; a lease held by another host is 409, a lease that is not the caller's 404.
/// </summary>
public sealed class VolumeLeaseHandler(VolumeLeaseService leases)
{
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var lease = await leases.CurrentAsync(name, context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.NotFound, $"volume {name} is not leased");
        await WriteAsync(context, StatusCodes.Status200OK, lease);
    }

    public async Task AcquireAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var body = await UamBody.ReadAsync(context.Request);
        var lease = await leases.AcquireAsync(name, Required(body.String("holder"), "holder"), Ttl(body), context.RequestAborted);
        await WriteAsync(context, StatusCodes.Status201Created, lease);
    }

    public async Task RenewAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var body = await UamBody.ReadAsync(context.Request);
        var token = Required(body.String("token"), "token");
        var lease = await leases.RenewAsync(name, Required(body.String("holder"), "holder"), Token(token), Ttl(body), context.RequestAborted);
        await WriteAsync(context, StatusCodes.Status200OK, lease);
    }

    public async Task ReleaseAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var query = context.Request.Query;
        await leases.ReleaseAsync(name, Required(query["holder"], "holder"), Token(query["token"]), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static TimeSpan Ttl(UamBody body) => TimeSpan.FromSeconds(body.Int("ttlSeconds") ?? 30);

    private static long Token(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var token)
        ? token : throw AccountNames.Invalid("token", text, "must be the lease's fencing token (a number, as a string)");

    private static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw AccountNames.Invalid(field, value, "is required") : value;

    private static async Task WriteAsync(HttpContext context, int status, VolumeLease lease)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var view = new LeaseView(lease.Holder, lease.Token.ToString(CultureInfo.InvariantCulture), lease.ExpiresAt);
        await JsonSerializer.SerializeAsync(context.Response.Body, view, VolumeJson.Default.LeaseView, context.RequestAborted);
    }
}

/// <summary>A lease as answered; the token is a string so that no JSON reader rounds it.</summary>
internal sealed record LeaseView(string Holder, string Token, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LeaseView))]
internal sealed partial class VolumeJson : JsonSerializerContext;
