using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dockyard.Launcher.Volumes;

/// <summary>A lease this host holds: the fencing token its commits carry, and when it lapses unless renewed.</summary>
internal sealed record HeldLease(string Holder, long Token, DateTimeOffset ExpiresAt);

/// <summary>
/// The registry's volume lease API (<c>/extensions/v2/&lt;name&gt;/volume/lease</c>): acquire, renew, release. A lease
/// held by another host is a <see cref="LaunchException"/> naming it; a lease that is no longer ours reads as null.
/// </summary>
internal sealed class VolumeLeaseClient(VolumeRegistry registry)
{
    private const string Write = "pull,push";
    private string Path => $"extensions/v2/{registry.Repository}/volume/lease";

    /// <exception cref="LaunchException">
    /// Registry: another holder has the lease (the message names it). NoPermission: the caller may not push the
    /// repository; said the same way whether the repository exists or not, so that it gives nothing away.
    /// </exception>
    public async Task<HeldLease> AcquireAsync(string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await registry.Client.SendAsync(registry.Repository, () => new HttpRequestMessage(HttpMethod.Post, Path)
            {
                Content = JsonContent.Create(new Dictionary<string, object> { ["holder"] = holder, ["ttlSeconds"] = (int)ttl.TotalSeconds }),
            }, cancellationToken, actions: Write);
            return await ReadAsync(response!, cancellationToken);
        }
        catch (LaunchException e) when (e.Failure == LaunchFailure.NoPermission)
        {
            throw new LaunchException(LaunchFailure.NoPermission,
                $"volume {registry.Repository} read-write (mount, push, snapshot or restore) needs push permission; pull permission is enough to mount it read-only " +
                $"(--opt mode=ro, or dockyard:{registry.Repository}:/DEST:ro). {e.Message}", e);
        }
    }

    /// <returns>Null when the lease is no longer this holder's (taken over after it lapsed).</returns>
    public async Task<HeldLease?> RenewAsync(HeldLease lease, TimeSpan ttl, CancellationToken cancellationToken)
    {
        using var response = await registry.Client.SendAsync(registry.Repository, () => new HttpRequestMessage(HttpMethod.Put, Path)
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["holder"] = lease.Holder, ["token"] = lease.Token.ToString(CultureInfo.InvariantCulture), ["ttlSeconds"] = (int)ttl.TotalSeconds,
            }),
        }, cancellationToken, missingIsNull: true, Write);
        return response is null ? null : await ReadAsync(response, cancellationToken);
    }

    /// <summary>Releases the lease; a lease that is already gone is not an error.</summary>
    public async Task ReleaseAsync(HeldLease lease, CancellationToken cancellationToken)
    {
        var query = $"?holder={Uri.EscapeDataString(lease.Holder)}&token={lease.Token.ToString(CultureInfo.InvariantCulture)}";
        using var _ = await registry.Client.SendAsync(registry.Repository, () => new HttpRequestMessage(HttpMethod.Delete, Path + query),
            cancellationToken, missingIsNull: true, Write);
    }

    private static async Task<HeldLease> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = body.RootElement;
        return new HeldLease(root.GetProperty("holder").GetString()!, long.Parse(root.GetProperty("token").GetString()!, CultureInfo.InvariantCulture),
            root.GetProperty("expiresAt").GetDateTimeOffset());
    }
}
