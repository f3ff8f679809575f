using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>The SQLite store keeps small manifests' bytes in their row, so a pull by tag or digest opens no file.</summary>
public sealed class SqliteInlineManifestTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-inline-").FullName;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Small_manifests_are_read_back_inline_by_tag_and_by_digest()
    {
        var store = new SqliteMetadataStore(Path.Combine(folder, "metadata.db"));
        var repository = RepositoryName.Parse("app");
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        var record = new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null, DateTimeOffset.UnixEpoch);
        await store.Manifests.PutAsync(repository, record, bytes, Ct);
        await store.Tags.SetAsync(repository, "latest", record.Digest, Ct);

        Assert.Equal(bytes, (await store.GetTaggedManifestContentAsync(repository, "latest", Ct))!.Content);
        Assert.Equal(bytes, (await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);
    }

    [Fact]
    public async Task A_row_written_without_bytes_gets_them_when_the_manifest_is_pushed_again()
    {
        var store = new SqliteMetadataStore(Path.Combine(folder, "metadata.db"));
        var repository = RepositoryName.Parse("app");
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"old":1}""");
        var record = new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null, DateTimeOffset.UnixEpoch);
        await store.Manifests.PutAsync(repository, record, Ct);
        Assert.Null((await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);

        await store.Manifests.PutAsync(repository, record, bytes, Ct);

        Assert.Equal(bytes, (await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
