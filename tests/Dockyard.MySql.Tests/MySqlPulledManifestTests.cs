using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.MySql.Tests.Conformance;

namespace Dockyard.MySql.Tests;

/// <summary>
/// Two stores on one database, as two nodes are: a manifest one node has pulled is gone for it as soon as another
/// node deletes it, and deleted and pushed again it is served as stored the second time (what a node-side cache of
/// manifests, tried and measured without gain in docs/benchmarks.md, would have to keep true).
/// </summary>
public sealed class MySqlPulledManifestTests(MySqlTestDatabase database) : IClassFixture<MySqlTestDatabase>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");
    private static readonly byte[] Bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""");

    private static ManifestRecord Record(string mediaType, int second) =>
        new(Digest.Compute(Bytes), mediaType, Bytes.Length, null, null, null, new DateTimeOffset(2026, 12, 7, 10, 0, second, TimeSpan.Zero));

    private static async Task PushAsync(IMetadataStore node, ManifestRecord record)
    {
        await node.Manifests.PutAsync(Repository, record, Bytes, Ct);
        Assert.True(await node.Tags.SetAsync(Repository, "v1", record.Digest, Ct));
    }

    [Fact]
    public async Task A_manifest_deleted_through_one_node_is_gone_on_the_node_that_pulled_it()
    {
        var db = await database.FreshAsync();
        var (first, second) = (new MySqlMetadataStore(db), new MySqlMetadataStore(db));
        var record = Record("application/vnd.oci.image.manifest.v1+json", 1);
        await PushAsync(first, record);
        for (var pull = 0; pull < 2; pull++)
        {
            Assert.Equal(new StoredManifest(record, Bytes), await second.GetTaggedManifestContentAsync(Repository, "v1", Ct), StoredEquality);
            Assert.Equal(new StoredManifest(record, Bytes), await second.Manifests.GetContentAsync(Repository, record.Digest, Ct), StoredEquality);
        }

        Assert.True(await first.Manifests.DeleteAsync(Repository, record.Digest, Ct));

        Assert.Null(await second.GetTaggedManifestContentAsync(Repository, "v1", Ct));
        Assert.Null(await second.Manifests.GetContentAsync(Repository, record.Digest, Ct));
    }

    [Fact]
    public async Task A_manifest_deleted_and_stored_again_is_served_as_the_new_row_by_tag_and_by_digest()
    {
        var db = await database.FreshAsync();
        var (first, byTag, byDigest) = (new MySqlMetadataStore(db), new MySqlMetadataStore(db), new MySqlMetadataStore(db));
        var before = Record("application/vnd.oci.image.manifest.v1+json", 1);
        await PushAsync(first, before);
        Assert.Equal(before, (await byTag.GetTaggedManifestContentAsync(Repository, "v1", Ct))!.Record);
        Assert.Equal(before, (await byDigest.Manifests.GetContentAsync(Repository, before.Digest, Ct))!.Record);

        Assert.True(await first.Manifests.DeleteAsync(Repository, before.Digest, Ct));
        // The same bytes sent again with another media type: the same digest, a different record.
        var after = Record("application/vnd.docker.distribution.manifest.v2+json", 2);
        await PushAsync(first, after);

        Assert.Equal(after, (await byTag.GetTaggedManifestContentAsync(Repository, "v1", Ct))!.Record);
        Assert.Equal(after, (await byDigest.Manifests.GetContentAsync(Repository, after.Digest, Ct))!.Record);
    }

    private static readonly IEqualityComparer<StoredManifest?> StoredEquality = EqualityComparer<StoredManifest?>.Create(
        (a, b) => a is not null && b is not null && a.Record == b.Record && a.Content.AsSpan().SequenceEqual(b.Content));
}
