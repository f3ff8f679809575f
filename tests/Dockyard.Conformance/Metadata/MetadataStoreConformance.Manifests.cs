using Dockyard.Core.Metadata;

namespace Dockyard.Conformance.Metadata;

/// <summary>Manifests and the referrers index kept alongside them.</summary>
public abstract partial class MetadataStoreConformance
{
    private const string Annotations = """{"org.opencontainers.image.created":"2024-05-06T07:08:09Z"}""";

    [Fact]
    public async Task A_put_manifest_is_returned_with_every_field()
    {
        var subject = D("subject");
        var manifest = Manifest("sig", subject, "application/vnd.example.sig", Annotations, size: 5L << 32);

        await Store.Manifests.PutAsync(Repo("app"), manifest, Ct);

        var stored = await Store.Manifests.GetAsync(Repo("app"), manifest.Digest, Ct);
        Assert.NotNull(stored);
        Assert.Equal(manifest.Digest, stored.Digest);
        Assert.Equal(manifest.MediaType, stored.MediaType);
        Assert.Equal(manifest.Size, stored.Size);
        Assert.Equal(subject, stored.Subject);
        Assert.Equal("application/vnd.example.sig", stored.ArtifactType);
        Assert.Equal(Annotations, stored.AnnotationsJson);
        Assert.Equal(Created, stored.CreatedAt);
    }

    [Fact]
    public async Task Optional_manifest_fields_stay_null()
    {
        var manifest = Manifest("index", mediaType: "application/vnd.oci.image.index.v1+json");

        await Store.Manifests.PutAsync(Repo("app"), manifest, Ct);

        var stored = await Store.Manifests.GetAsync(Repo("app"), manifest.Digest, Ct);
        Assert.Equal(manifest, stored);
        Assert.True(await Store.Repositories.ExistsAsync(Repo("app"), Ct));
    }

    [Fact]
    public async Task Putting_the_same_digest_again_is_a_no_op()
    {
        var first = Manifest("m", artifactType: "first");
        await Store.Manifests.PutAsync(Repo("app"), first, Ct);

        await Store.Manifests.PutAsync(Repo("app"), first with { ArtifactType = "second", CreatedAt = Created.AddDays(1) }, Ct);

        Assert.Equal(first, await Store.Manifests.GetAsync(Repo("app"), first.Digest, Ct));
    }

    [Fact]
    public async Task Manifests_are_scoped_to_their_repository()
    {
        var manifest = Manifest("m");
        await Store.Manifests.PutAsync(Repo("a/b"), manifest, Ct);

        Assert.Null(await Store.Manifests.GetAsync(Repo("a"), manifest.Digest, Ct));
        Assert.Null(await Store.Manifests.GetAsync(Repo("a/b/c"), manifest.Digest, Ct));
        Assert.False(await Store.Manifests.DeleteAsync(Repo("a"), manifest.Digest, Ct));
        Assert.NotNull(await Store.Manifests.GetAsync(Repo("a/b"), manifest.Digest, Ct));
    }

    [Fact]
    public async Task Delete_removes_the_manifest_once()
    {
        var manifest = Manifest("m");
        await Store.Manifests.PutAsync(Repo("app"), manifest, Ct);

        Assert.True(await Store.Manifests.DeleteAsync(Repo("app"), manifest.Digest, Ct));

        Assert.Null(await Store.Manifests.GetAsync(Repo("app"), manifest.Digest, Ct));
        Assert.False(await Store.Manifests.DeleteAsync(Repo("app"), manifest.Digest, Ct));
    }

    [Fact]
    public async Task Deleting_a_manifest_removes_its_tags_and_only_its_tags()
    {
        var doomed = await PutTaggedAsync(Repo("app"), "old", "v1", "latest");
        var kept = await PutTaggedAsync(Repo("app"), "new", "v2");
        await PutTaggedAsync(Repo("other"), "old", "v1");

        Assert.True(await Store.Manifests.DeleteAsync(Repo("app"), doomed, Ct));

        Assert.Null(await Store.Tags.GetAsync(Repo("app"), "v1", Ct));
        Assert.Null(await Store.Tags.GetAsync(Repo("app"), "latest", Ct));
        Assert.Equal(kept, await Store.Tags.GetAsync(Repo("app"), "v2", Ct));
        Assert.Equal(["v2"], await Store.Tags.ListAsync(Repo("app"), null, 10, Ct));
        Assert.Equal(doomed, await Store.Tags.GetAsync(Repo("other"), "v1", Ct));
    }

    [Fact]
    public async Task Referrers_are_listed_in_digest_order_with_their_descriptor_fields()
    {
        var subject = D("image");
        var referrers = Enumerable.Range(0, 6)
            .Select(i => Manifest($"ref{i}", subject, $"application/vnd.example.{i}", i % 2 == 0 ? Annotations : null, size: 100 + i))
            .ToList();
        foreach (var referrer in referrers)
        {
            await Store.Manifests.PutAsync(Repo("app"), referrer, Ct);
        }

        var listed = await Store.Manifests.ListReferrersAsync(Repo("app"), subject, Ct);

        var expected = referrers
            .OrderBy(r => r.Digest.Value, StringComparer.Ordinal)
            .Select(r => new ReferrerRecord(subject, r.Digest, r.MediaType, r.Size, r.ArtifactType, r.AnnotationsJson));
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task Referrers_are_listed_only_for_their_subject_and_repository()
    {
        var subject = D("image");
        var mine = Manifest("sig", subject, "application/vnd.example.sig");
        await Store.Manifests.PutAsync(Repo("app"), mine, Ct);
        await Store.Manifests.PutAsync(Repo("app"), Manifest("other-sig", D("other-image"), "application/vnd.example.sig"), Ct);
        await Store.Manifests.PutAsync(Repo("app/sub"), Manifest("nested-sig", subject, "application/vnd.example.sig"), Ct);
        await Store.Manifests.PutAsync(Repo("app"), Manifest("plain"), Ct);

        var listed = await Store.Manifests.ListReferrersAsync(Repo("app"), subject, Ct);

        Assert.Equal([mine.Digest], listed.Select(r => r.Digest));
        Assert.Empty(await Store.Manifests.ListReferrersAsync(Repo("app"), D("nothing refers to this"), Ct));
        Assert.Empty(await Store.Manifests.ListReferrersAsync(Repo("a"), subject, Ct));
    }

    [Fact]
    public async Task Deleting_a_referrer_removes_its_referrer_entry()
    {
        var subject = D("image");
        var gone = Manifest("sig1", subject, "application/vnd.example.sig");
        var kept = Manifest("sig2", subject, "application/vnd.example.sig");
        await Store.Manifests.PutAsync(Repo("app"), gone, Ct);
        await Store.Manifests.PutAsync(Repo("app"), kept, Ct);
        await Store.Manifests.PutAsync(Repo("mirror"), gone, Ct);

        Assert.True(await Store.Manifests.DeleteAsync(Repo("app"), gone.Digest, Ct));

        Assert.Equal([kept.Digest], (await Store.Manifests.ListReferrersAsync(Repo("app"), subject, Ct)).Select(r => r.Digest));
        Assert.Equal([gone.Digest], (await Store.Manifests.ListReferrersAsync(Repo("mirror"), subject, Ct)).Select(r => r.Digest));
    }

    [Fact]
    public async Task A_referrer_can_be_stored_before_its_subject()
    {
        var subject = D("image pushed later");
        var referrer = Manifest("sig", subject, "application/vnd.example.sig");

        await Store.Manifests.PutAsync(Repo("app"), referrer, Ct);

        Assert.Single(await Store.Manifests.ListReferrersAsync(Repo("app"), subject, Ct));
        Assert.Null(await Store.Manifests.GetAsync(Repo("app"), subject, Ct));
    }
}
