using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>What only the SQLite store promises: its file outlives the store instance.</summary>
public sealed class SqliteMetadataStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        var path = folder.Combine("nested", "metadata.db");
        var repository = RepositoryName.Parse("team/app");
        var blob = Digest.Compute([1, 2, 3]);
        var subject = Digest.Compute([4]);
        var manifest = new ManifestRecord(Digest.Compute([5]), "application/vnd.oci.image.manifest.v1+json", 321, subject,
            "application/vnd.example", """{"k":"v"}""", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, [], DateTimeOffset.UnixEpoch);
        var part = new UploadPart(Guid.NewGuid().ToString("N"), 42);
        var first = new SqliteMetadataStore(path);
        await first.BlobLinks.LinkAsync(repository, blob, 3, Ct);
        await first.Manifests.PutAsync(repository, manifest, Ct);
        await first.Tags.SetAsync(repository, "v1", manifest.Digest, Ct);
        await first.Uploads.CreateAsync(session, Ct);
        Assert.True(await first.Uploads.TryAdvanceAsync(repository, session.Id, 0, part, Ct));
        SqliteConnection.ClearAllPools();

        var second = new SqliteMetadataStore(path);

        Assert.Equal(["team/app"], await second.Repositories.ListAsync(null, 10, Ct));
        Assert.Equal(3, await second.BlobLinks.GetAsync(repository, blob, Ct));
        Assert.Equal(manifest, await second.Manifests.GetAsync(repository, manifest.Digest, Ct));
        Assert.Equal([manifest.Digest], (await second.Manifests.ListReferrersAsync(repository, subject, Ct)).Select(r => r.Digest));
        Assert.Equal(manifest.Digest, await second.Tags.GetAsync(repository, "v1", Ct));
        Assert.Equal(session with { Parts = [part] }, await second.Uploads.GetAsync(repository, session.Id, Ct));
    }

    [Fact]
    public async Task Two_store_instances_on_one_file_see_each_others_writes()
    {
        var path = folder.Combine("metadata.db");
        var a = new SqliteMetadataStore(path);
        var b = new SqliteMetadataStore(path);
        var session = new UploadSession(Guid.NewGuid().ToString("N"), RepositoryName.Parse("app"), [], DateTimeOffset.UnixEpoch);

        await a.Uploads.CreateAsync(session, Ct);

        Assert.True(await b.Uploads.TryAdvanceAsync(session.Repository, session.Id, 0, new UploadPart("a", 10), Ct));
        Assert.False(await a.Uploads.TryAdvanceAsync(session.Repository, session.Id, 0, new UploadPart("b", 20), Ct));
        Assert.Equal(10, (await a.Uploads.GetAsync(session.Repository, session.Id, Ct))!.Size);
    }
}
