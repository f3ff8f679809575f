using System.Text;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Metadata;

/// <summary>
/// Values at each backend's limits (Azure Tables caps a string property at 64 KiB and a key at 1 KiB; SQLite has
/// none) and one manifest stored by several requests at once.
/// </summary>
public abstract partial class MetadataStoreConformance
{
    private static readonly string LongestName = string.Join("/", Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 31))).PadRight(RepositoryName.MaxLength, 'z');

    [Fact]
    public async Task Annotations_beyond_64_KiB_round_trip_on_the_manifest_and_its_referrer_entry()
    {
        var annotations = "{\"org.example.big\":\"" + new string('x', 150_000) + "\",\"\u00e9\":\"\u2603 " + new string('y', 40_000) + "\"}";
        Assert.True(Encoding.UTF8.GetByteCount(annotations) > 3 * 64 * 1024 - 10_000);
        var subject = D("subject");
        var manifest = Manifest("big-annotations", subject: subject, artifactType: "application/example", annotations: annotations);

        await Store.Manifests.PutAsync(Repo("limits/app"), manifest, Ct);

        Assert.Equal(annotations, (await Store.Manifests.GetAsync(Repo("limits/app"), manifest.Digest, Ct))!.AnnotationsJson);
        Assert.Equal(annotations, Assert.Single(await Store.Manifests.ListReferrersAsync(Repo("limits/app"), subject, Ct)).AnnotationsJson);
        Assert.Equal(annotations, Assert.Single(await Store.Manifests.ListAsync(Repo("limits/app"), null, 10, Ct)).AnnotationsJson);
    }

    [Fact]
    public async Task A_repository_name_and_a_tag_of_the_maximum_length_work_everywhere()
    {
        Assert.Equal(RepositoryName.MaxLength, LongestName.Length);
        var repository = Repo(LongestName);
        var tag = "T" + new string('t', 127);
        var blob = D("blob-of-the-longest");

        var digest = await PutTaggedAsync(repository, "longest", tag);
        await Store.BlobLinks.LinkAsync(repository, blob, 42, Ct);

        Assert.Equal(digest, await Store.Tags.GetAsync(repository, tag, Ct));
        Assert.Equal([tag], await Store.Tags.ListAsync(repository, null, 10, Ct));
        Assert.Equal(42, await Store.BlobLinks.GetAsync(repository, blob, Ct));
        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(blob, Ct));
        Assert.Contains(LongestName, await Store.Repositories.ListAsync(null, 100, Ct));
        Assert.True(await Store.Repositories.DeleteAsync(repository, Ct));
        Assert.False(await Store.BlobLinks.IsLinkedAnywhereAsync(blob, Ct));
    }

    [Fact]
    public async Task Concurrent_puts_of_one_manifest_store_it_once_with_one_referrer_entry()
    {
        for (var round = 0; round < 5; round++)
        {
            var subject = D("race-subject-" + round);
            var manifest = Manifest("race-" + round, subject: subject, artifactType: "application/example");

            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Store.Manifests.PutAsync(Repo("limits/race"), manifest, Ct)));

            Assert.Equal(manifest.Digest, (await Store.Manifests.GetAsync(Repo("limits/race"), manifest.Digest, Ct))!.Digest);
            Assert.Equal(manifest.Digest, Assert.Single(await Store.Manifests.ListReferrersAsync(Repo("limits/race"), subject, Ct)).Digest);
        }
        Assert.Equal(5, (await Store.Manifests.ListAsync(Repo("limits/race"), null, 100, Ct)).Count);
    }
}
