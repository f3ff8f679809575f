using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;

namespace Dockyard.Conformance.Volumes;

/// <summary>
/// The behaviour every <see cref="IVolumeLeaseStore"/> must show: keyed reads of every field, an insert that only
/// the first writer wins, an update only on the expected revision, and — through <see cref="VolumeLeaseService"/> over
/// the store — exclusive leases whose fencing tokens only grow.
/// </summary>
public abstract class VolumeLeaseStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Volume = RepositoryName.Parse("team/data");
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private IVolumeLeaseStore? store;

    private IVolumeLeaseStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    private VolumeLeaseService Leases => new(Store, clock);

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IVolumeLeaseStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(IVolumeLeaseStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
        }
    }

    [Fact]
    public async Task A_written_lease_reads_back_with_every_field_and_only_the_first_insert_wins()
    {
        var lease = new VolumeLease(Volume, "host-a", 7, clock.GetUtcNow().AddSeconds(30.123), 1);
        Assert.Null(await Store.GetAsync(Volume, Ct));
        Assert.True(await Store.TryWriteAsync(lease, null, Ct));
        Assert.False(await Store.TryWriteAsync(lease with { Holder = "host-b" }, null, Ct));
        Assert.Equal(lease, await Store.GetAsync(Volume, Ct));
        Assert.Null(await Store.GetAsync(RepositoryName.Parse("team/other"), Ct));
    }

    [Fact]
    public async Task An_update_applies_only_on_the_expected_revision()
    {
        var lease = new VolumeLease(Volume, "host-a", 1, clock.GetUtcNow().AddSeconds(30), 1);
        Assert.True(await Store.TryWriteAsync(lease, null, Ct));
        Assert.False(await Store.TryWriteAsync(lease with { Holder = "host-b", Revision = 2 }, 5, Ct));
        Assert.True(await Store.TryWriteAsync(lease with { Holder = "host-b", Token = 2, Revision = 2 }, 1, Ct));
        Assert.False(await Store.TryWriteAsync(lease with { Holder = "host-c", Revision = 3 }, 1, Ct));
        Assert.Equal(("host-b", 2L, 2L), await Store.GetAsync(Volume, Ct) is { } read ? (read.Holder, read.Token, read.Revision) : default);
    }

    [Fact]
    public async Task A_held_lease_refuses_other_holders_and_not_yours_is_not_found()
    {
        var a = await Leases.AcquireAsync(Volume, "host-a", Ttl, Ct);
        var conflict = await Assert.ThrowsAsync<RegistryException>(() => Leases.AcquireAsync(Volume, "host-b", Ttl, Ct));
        Assert.Equal(RegistryErrorCode.Conflict, conflict.Code);
        Assert.Contains("host-a", conflict.Message);
        Assert.Equal(RegistryErrorCode.NotFound, (await Assert.ThrowsAsync<RegistryException>(() => Leases.RenewAsync(Volume, "host-b", a.Token, Ttl, Ct))).Code);
        Assert.Equal(RegistryErrorCode.NotFound, (await Assert.ThrowsAsync<RegistryException>(() => Leases.ReleaseAsync(Volume, "host-a", a.Token + 1, Ct))).Code);
        var again = await Leases.AcquireAsync(Volume, "host-a", Ttl, Ct);
        Assert.Equal(a.Token, again.Token);
    }

    [Fact]
    public async Task Tokens_grow_with_every_new_holding_and_never_with_a_renewal()
    {
        var a = await Leases.AcquireAsync(Volume, "host-a", Ttl, Ct);
        clock.Advance(TimeSpan.FromSeconds(20));
        var renewed = await Leases.RenewAsync(Volume, "host-a", a.Token, Ttl, Ct);
        Assert.Equal(a.Token, renewed.Token);
        Assert.True(renewed.ExpiresAt > a.ExpiresAt);
        await Leases.ReleaseAsync(Volume, "host-a", a.Token, Ct);
        Assert.Null(await Leases.CurrentAsync(Volume, Ct));
        var b = await Leases.AcquireAsync(Volume, "host-b", Ttl, Ct);
        Assert.True(b.Token > a.Token);
        clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        var c = await Leases.AcquireAsync(Volume, "host-c", Ttl, Ct);
        Assert.True(c.Token > b.Token);
        Assert.Equal(RegistryErrorCode.NotFound, (await Assert.ThrowsAsync<RegistryException>(() => Leases.RenewAsync(Volume, "host-b", b.Token, Ttl, Ct))).Code);
    }

    [Fact]
    public async Task Racing_acquirers_get_one_lease()
    {
        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                return await Leases.AcquireAsync(Volume, $"host-{i}", Ttl, Ct);
            }
            catch (RegistryException e) when (e.Code == RegistryErrorCode.Conflict)
            {
                return null;
            }
        }).ToList();
        var winners = (await Task.WhenAll(attempts)).Where(l => l is not null).ToList();
        Assert.Single(winners);
        Assert.Equal(winners[0]!.Holder, (await Leases.CurrentAsync(Volume, Ct))!.Holder);
    }

    /// <summary>A clock the tests move by hand.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public void Advance(TimeSpan by) => now += by;

        public override DateTimeOffset GetUtcNow() => now;
    }
}
