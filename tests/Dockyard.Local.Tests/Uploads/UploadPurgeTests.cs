using Dockyard.Core.Appc;
using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Local.FileSystem;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Appc;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Uploads;

/// <summary>The purge against the real local stores: what is older than the expiry goes, what is younger stays.</summary>
public sealed class UploadPurgeTests : IDisposable
{
    private static readonly TimeSpan Expiry = TimeSpan.FromHours(168);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Repository = RepositoryName.Parse("purge/me");
    private readonly string root = Directory.CreateTempSubdirectory("dockyard-purge-").FullName;
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly FileSystemBlobStore blobs;
    private readonly SqliteMetadataStore metadata;
    private readonly SqliteAciStore pushes;
    private readonly UploadHashCache hashes = new();
    private readonly UploadPurge purge;

    public UploadPurgeTests()
    {
        blobs = new FileSystemBlobStore(root);
        var db = new SqliteDatabase(Path.Combine(root, "metadata.db"));
        metadata = new SqliteMetadataStore(db);
        pushes = new SqliteAciStore(db);
        purge = new UploadPurge(blobs, metadata, pushes, hashes, clock);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Uploads_older_than_the_age_are_purged_with_their_staged_bytes_and_recent_ones_stay()
    {
        // Staging is dated by the file system: the story ends now, so that it agrees with the clock.
        clock.Now -= TimeSpan.FromHours(169);
        var service = new BlobUploadService(blobs, metadata, hashes, new BlobLinker(blobs, metadata, new CollectionOptions(), clock), clock);
        var old = await service.StartAsync(Repository, Ct);
        await service.AppendAsync(Repository, old.Id, new MemoryStream(new byte[1000]), null, null, Ct);
        clock.Now += TimeSpan.FromHours(10);
        var recent = await service.StartAsync(Repository, Ct);
        clock.Now += TimeSpan.FromHours(159);

        Assert.Equal(new UploadPurgeResult(1, 0, 0), await purge.PurgeAsync(Expiry, Ct));

        var error = await Assert.ThrowsAsync<RegistryException>(() => service.GetAsync(Repository, old.Id, Ct));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
        Assert.False(Directory.Exists(Staging(old.Id)));
        Assert.Equal(0, (await service.GetAsync(Repository, recent.Id, Ct)).Size);
        Assert.True(Directory.Exists(Staging(recent.Id)));
    }

    [Fact]
    public async Task Abandoned_aci_pushes_are_purged_with_both_staging_areas_and_recent_ones_stay()
    {
        var old = await StartPushAsync(clock.Now - Expiry - TimeSpan.FromMinutes(1));
        var recent = await StartPushAsync(clock.Now - Expiry + TimeSpan.FromMinutes(1));

        Assert.Equal(new UploadPurgeResult(0, 1, 0), await purge.PurgeAsync(Expiry, Ct));

        Assert.Null(await pushes.GetUploadAsync(Repository, old.Id, Ct));
        Assert.False(Directory.Exists(Staging(old.Id)));
        Assert.False(Directory.Exists(Staging(old.SignatureUploadId)));
        Assert.Equal(recent, await pushes.GetUploadAsync(Repository, recent.Id, Ct));
        Assert.True(Directory.Exists(Staging(recent.Id)));
        Assert.True(Directory.Exists(Staging(recent.SignatureUploadId)));
    }

    // Staging without a session, as a crash between taking a session and publishing it leaves it.
    [Fact]
    public async Task Orphan_staging_untouched_for_the_age_is_purged_and_younger_or_owned_staging_stays()
    {
        var old = await StageOrphanAsync();
        var written = clock.Now - Expiry - TimeSpan.FromMinutes(1);
        foreach (var file in Directory.EnumerateFiles(Staging(old)))
        {
            File.SetLastWriteTimeUtc(file, written.UtcDateTime);
        }
        Directory.SetLastWriteTimeUtc(Staging(old), written.UtcDateTime);
        var young = await StageOrphanAsync();
        // Written into just now though its folder is old: a part still streaming in.
        var streaming = await StageOrphanAsync();
        Directory.SetLastWriteTimeUtc(Staging(streaming), written.UtcDateTime);
        var inFlight = await new BlobUploadService(blobs, metadata, hashes, new BlobLinker(blobs, metadata, new CollectionOptions(), clock), clock).StartAsync(Repository, Ct);

        Assert.Equal(new UploadPurgeResult(0, 0, 1), await purge.PurgeAsync(Expiry, Ct));

        Assert.False(Directory.Exists(Staging(old)));
        Assert.True(Directory.Exists(Staging(young)));
        Assert.True(Directory.Exists(Staging(streaming)));
        Assert.True(Directory.Exists(Staging(inFlight.Id)));
        Assert.NotNull(await metadata.Uploads.GetAsync(Repository, inFlight.Id, Ct));
    }

    private string Staging(string id) => Path.Combine(root, "uploads", id);

    private async Task<string> StageOrphanAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        await blobs.CreateUploadAsync(id, Ct);
        await blobs.WriteUploadPartAsync(id, Guid.NewGuid().ToString("N"), new MemoryStream(new byte[100]), Ct);
        return id;
    }

    private async Task<AciUpload> StartPushAsync(DateTimeOffset startedAt)
    {
        var push = new AciUpload(Guid.NewGuid().ToString("N"), Repository, new AciFileName("me", "1.0", "linux", "amd64"), null, null, null, startedAt);
        await blobs.CreateUploadAsync(push.Id, Ct);
        await blobs.CreateUploadAsync(push.SignatureUploadId, Ct);
        Assert.True(await pushes.TryCreateUploadAsync(push, Ct));
        return push;
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
