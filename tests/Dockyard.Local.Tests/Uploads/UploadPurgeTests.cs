using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Local.FileSystem;
using Dockyard.Local.Sqlite;

namespace Dockyard.Local.Tests.Uploads;

public sealed class UploadPurgeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dockyard-purge-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Uploads_older_than_the_age_are_purged_with_their_staged_bytes_and_recent_ones_stay()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var service = new BlobUploadService(new FileSystemBlobStore(root), new SqliteMetadataStore(Path.Combine(root, "metadata.db")), new UploadHashCache(), clock);
        var repository = RepositoryName.Parse("purge/me");
        var old = await service.StartAsync(repository, CancellationToken.None);
        await service.AppendAsync(repository, old.Id, new MemoryStream(new byte[1000]), null, null, CancellationToken.None);
        clock.Now += TimeSpan.FromHours(10);
        var recent = await service.StartAsync(repository, CancellationToken.None);
        clock.Now += TimeSpan.FromHours(159);

        Assert.Equal(1, await service.PurgeExpiredAsync(TimeSpan.FromHours(168), CancellationToken.None));

        var error = await Assert.ThrowsAsync<RegistryException>(() => service.GetAsync(repository, old.Id, CancellationToken.None));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
        Assert.False(Directory.Exists(Path.Combine(root, "uploads", old.Id)));
        Assert.Equal(0, (await service.GetAsync(repository, recent.Id, CancellationToken.None)).Size);
        Assert.True(Directory.Exists(Path.Combine(root, "uploads", recent.Id)));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
