using System.Text;
using Dockyard.Core.Metadata;

namespace Dockyard.Conformance.Metadata;

/// <summary>
/// Reads with the manifest's bytes: a store may keep them inline or not, but what it returns is the record as
/// <see cref="IManifestIndex.GetAsync"/> returns it and either no bytes or exactly the bytes put. A store that says it
/// keeps them (<see cref="KeepsManifestBytesInline"/>) must return them.
/// </summary>
public abstract partial class MetadataStoreConformance
{
    /// <summary>True for a store that keeps small manifests' bytes in their record (SQLite, MySQL): the tests then require them back.</summary>
    protected virtual bool KeepsManifestBytesInline => false;

    [Fact]
    public async Task A_read_with_content_returns_the_record_and_no_bytes_or_the_bytes_put()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"inline":true}""");
        var manifest = Manifest("inline", size: bytes.Length);
        await Store.Manifests.PutAsync(Repo("app"), manifest, bytes, Ct);
        await Store.Tags.SetAsync(Repo("app"), "v1", manifest.Digest, Ct);

        foreach (var stored in new[]
                 {
                     await Store.Manifests.GetContentAsync(Repo("app"), manifest.Digest, Ct),
                     await Store.GetTaggedManifestContentAsync(Repo("app"), "v1", Ct),
                 })
        {
            Assert.NotNull(stored);
            Assert.Equal(manifest, stored.Record);
            Assert.True(stored.Content is null || stored.Content.AsSpan().SequenceEqual(bytes), "content differs from the bytes put");
            Assert.True(stored.Content is not null || !KeepsManifestBytesInline, "the store keeps manifests inline but returned no bytes");
        }
        Assert.Null(await Store.Manifests.GetContentAsync(Repo("other"), manifest.Digest, Ct));
        Assert.Null(await Store.GetTaggedManifestContentAsync(Repo("app"), "v2", Ct));
    }

    [Fact]
    public async Task Content_past_the_inline_limit_or_put_without_bytes_is_not_returned_inline()
    {
        var large = new byte[StoredManifest.InlineLimit + 1];
        var big = Manifest("big", size: large.Length);
        var plain = Manifest("plain", size: 10);
        await Store.Manifests.PutAsync(Repo("app"), big, large, Ct);
        await Store.Manifests.PutAsync(Repo("app"), plain, Ct);

        Assert.Null((await Store.Manifests.GetContentAsync(Repo("app"), big.Digest, Ct))!.Content);
        Assert.Null((await Store.Manifests.GetContentAsync(Repo("app"), plain.Digest, Ct))!.Content);
    }

    [Fact]
    public async Task A_manifest_stored_without_bytes_and_put_again_with_them_is_read_back_with_the_same_record()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"again":true}""");
        var manifest = Manifest("again", size: bytes.Length);
        await Store.Manifests.PutAsync(Repo("app"), manifest, Ct);
        await Store.Manifests.PutAsync(Repo("app"), manifest, bytes, Ct);

        var stored = await Store.Manifests.GetContentAsync(Repo("app"), manifest.Digest, Ct);
        Assert.NotNull(stored);
        Assert.Equal(manifest, stored.Record);
        Assert.True(stored.Content is null || stored.Content.AsSpan().SequenceEqual(bytes), "content differs from the bytes put");
        Assert.True(stored.Content is not null || !KeepsManifestBytesInline, "a row written without bytes did not get them when put again");
    }
}
