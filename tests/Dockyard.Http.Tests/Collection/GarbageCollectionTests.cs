using System.Net;
using System.Text;
using Dockyard.Core.Collection;
using Dockyard.Core.Names;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;
using static Dockyard.Http.Tests.Collection.CollectorFixture;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.Collection;

/// <summary>What a collection deletes and keeps, on the embedded default (filesystem + SQLite), through the registry's own routes.</summary>
public sealed class GarbageCollectionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task An_unreferenced_blob_is_deleted_from_the_store_and_referenced_ones_stay()
    {
        await using var server = await RegistryServer.StartAsync();
        var image = await PushImageWithLayersAsync(server, "team/app", "v1");
        var stray = await PushBlobAsync(server.Client, "team/app", RandomBytes(4096));

        var report = await Collector(server).RunAsync(dryRun: false, details: true, Ct);

        Assert.Null(await Blobs(server).StatAsync(Digest.Parse(stray), Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{stray}"))).StatusCode);
        Assert.Contains(report.DeletedBlobs, b => b.Digest.Value == stray);
        Assert.Equal(1, report.BlobsDeleted);
        Assert.Equal(4096, report.BytesFreed);
        await AssertPullsAsync(server, "team/app", "v1", image);
    }

    [Fact]
    public async Task Nothing_younger_than_the_grace_period_is_collected()
    {
        await using var server = await RegistryServer.StartAsync();
        var stray = await PushBlobAsync(server.Client, "team/app", RandomBytes(512));

        var report = await Collector(server, ahead: TimeSpan.Zero).RunAsync(dryRun: false, details: false, Ct);

        Assert.Equal(0, report.BlobsDeleted);
        Assert.Equal(0, report.LinksRemoved);
        Assert.NotNull(await Blobs(server).StatAsync(Digest.Parse(stray), Ct));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{stray}"))).StatusCode);
    }

    [Fact]
    public async Task Untagged_manifests_stay_unless_untagged_deletion_is_on_and_then_only_their_own_blobs_go()
    {
        await using var server = await RegistryServer.StartAsync();
        var shared = await PushDescriptorAsync(server.Client, "team/app", OciLayer, RandomBytes(2048));
        var old = await PushImageWithLayersAsync(server, "team/app", "latest", shared);
        var current = await PushImageWithLayersAsync(server, "team/app", "latest", shared);

        var keepUntagged = await Collector(server).RunAsync(dryRun: false, details: false, Ct);
        Assert.Equal(0, keepUntagged.ManifestsDeleted);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v2/team/app/manifests/{old.Manifest.Digest}")).StatusCode);

        var report = await Collector(server, new CollectionOptions { DeleteUntagged = true }).RunAsync(dryRun: false, details: true, Ct);

        Assert.Equal(["team/app@" + old.Manifest.Digest], report.DeletedManifests);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/v2/team/app/manifests/{old.Manifest.Digest}")).StatusCode);
        foreach (var own in old.Blobs.Where(b => b.Digest != shared.Digest).Append(old.Manifest))
        {
            Assert.Null(await Blobs(server).StatAsync(Digest.Parse(own.Digest), Ct));
        }
        Assert.NotNull(await Blobs(server).StatAsync(Digest.Parse(shared.Digest), Ct));
        await AssertPullsAsync(server, "team/app", "latest", current);
    }

    [Fact]
    public async Task Children_of_a_tagged_index_and_referrers_of_a_kept_subject_stay_and_orphan_referrers_go()
    {
        await using var server = await RegistryServer.StartAsync();
        var amd64 = await PushImageWithLayersAsync(server, "team/multi", null);
        var arm64 = await PushImageWithLayersAsync(server, "team/multi", null);
        var index = await PushManifestAsync(server.Client, "team/multi", "v1", IndexJson(OciIndex, [amd64.Manifest, arm64.Manifest]), OciIndex);
        var sbom = await PushImageWithLayersAsync(server, "team/multi", null, subject: amd64.Manifest);
        var lonely = await PushImageWithLayersAsync(server, "team/multi", null);
        var orphanReferrer = await PushImageWithLayersAsync(server, "team/multi", null, subject: lonely.Manifest);

        var report = await Collector(server, new CollectionOptions { DeleteUntagged = true }).RunAsync(dryRun: false, details: true, Ct);

        Assert.Equal(
            new[] { lonely.Manifest.Digest, orphanReferrer.Manifest.Digest }.Select(d => "team/multi@" + d).Order(StringComparer.Ordinal),
            report.DeletedManifests.Order(StringComparer.Ordinal));
        foreach (var kept in new[] { amd64, arm64, sbom })
        {
            await AssertPullsAsync(server, "team/multi", kept.Manifest.Digest, kept);
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v2/team/multi/manifests/{index.Digest}")).StatusCode);
        using var referrers = await server.Client.GetAsync($"/v2/team/multi/referrers/{amd64.Manifest.Digest}");
        Assert.Contains(sbom.Manifest.Digest, await referrers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_reports_what_the_run_then_deletes_and_changes_nothing()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushImageWithLayersAsync(server, "team/app", "v1");
        await PushImageWithLayersAsync(server, "team/app", "v1");
        await PushBlobAsync(server.Client, "team/other", RandomBytes(100));
        var options = new CollectionOptions { DeleteUntagged = true };

        var dry = await Collector(server, options).RunAsync(dryRun: true, details: true, Ct);
        foreach (var (digest, _) in dry.DeletedBlobs)
        {
            Assert.NotNull(await Blobs(server).StatAsync(digest, Ct));
        }
        var real = await Collector(server, options).RunAsync(dryRun: false, details: true, Ct);

        Assert.True(dry.DryRun);
        Assert.Equal(1, dry.ManifestsDeleted);
        Assert.Equal(real.DeletedManifests, dry.DeletedManifests);
        Assert.Equal(real.DeletedBlobs.Select(b => b.Digest.Value).Order(StringComparer.Ordinal), dry.DeletedBlobs.Select(b => b.Digest.Value).Order(StringComparer.Ordinal));
        Assert.Equal(real.BytesFreed, dry.BytesFreed);
        Assert.Equal(4, real.BlobsDeleted); // the old manifest, its config and layer, the stray blob
    }

    [Fact]
    public async Task Retention_keeps_the_newest_tags_and_those_matching_its_pattern_in_matching_repositories_only()
    {
        await using var server = await RegistryServer.StartAsync();
        foreach (var repository in new[] { "ci/app", "prod/app" })
        {
            foreach (var tag in new[] { "stable", "b1", "b2", "b3", "b4" })
            {
                await PushImageWithLayersAsync(server, repository, tag);
            }
        }
        var rule = new RetentionRule
        {
            Name = "ci", Repositories = "ci/*", KeepNewest = 2, KeepTags = new("^stable$"), UntaggedAge = TimeSpan.Zero,
        };

        var report = await Collector(server, new CollectionOptions { Retention = [rule] }).RunAsync(dryRun: false, details: true, Ct);

        Assert.Equal(["ci/app:b1", "ci/app:b2"], report.DeletedTags.Order(StringComparer.Ordinal));
        Assert.Equal(2, report.ManifestsDeleted);
        Assert.Equal("""{"name":"ci/app","tags":["b3","b4","stable"]}""", await server.Client.GetStringAsync("/v2/ci/app/tags/list"));
        Assert.Equal("""{"name":"prod/app","tags":["b1","b2","b3","b4","stable"]}""", await server.Client.GetStringAsync("/v2/prod/app/tags/list"));
    }

    [Fact]
    public async Task A_deleted_manifest_frees_its_blobs_and_a_deleted_repository_all_of_them()
    {
        await using var server = await RegistryServer.StartAsync();
        var image = await PushImageWithLayersAsync(server, "team/gone", "v1");
        using (var delete = await server.Client.DeleteAsync($"/v2/team/gone/manifests/{image.Manifest.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        var report = await Collector(server).RunAsync(dryRun: false, details: false, Ct);

        Assert.Equal(image.Blobs.Count + 1, report.BlobsDeleted);
        foreach (var blob in image.Blobs.Append(image.Manifest))
        {
            Assert.Null(await Blobs(server).StatAsync(Digest.Parse(blob.Digest), Ct));
        }
    }

    [Fact]
    public async Task Manifest_bytes_stored_before_they_were_linked_get_their_link_back_and_stay()
    {
        await using var server = await RegistryServer.StartAsync();
        var image = await PushImageWithLayersAsync(server, "team/app", "v1");
        var manifest = Digest.Parse(image.Manifest.Digest);
        Assert.True(await Metadata(server).BlobLinks.UnlinkAsync(RepositoryName.Parse("team/app"), manifest, Ct));

        var report = await Collector(server).RunAsync(dryRun: false, details: false, Ct);

        Assert.Equal(1, report.LinksRestored);
        Assert.Equal(0, report.BlobsDeleted);
        Assert.NotNull(await Metadata(server).BlobLinks.GetAsync(RepositoryName.Parse("team/app"), manifest, Ct));
        await AssertPullsAsync(server, "team/app", "v1", image);
    }

    [Fact]
    public async Task A_mount_of_a_blob_the_collector_has_condemned_answers_503_and_leaves_no_link()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = await PushBlobAsync(server.Client, "team/source", RandomBytes(256));
        await Metadata(server).Collection.CondemnAsync(Digest.Parse(digest), Ct);

        using var mount = await server.Client.PostAsync($"/v2/team/target/blobs/uploads/?mount={digest}&from=team/source", null);

        await AssertErrorAsync(mount, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.True(mount.Headers.RetryAfter is not null);
        Assert.Null(await Metadata(server).BlobLinks.GetAsync(RepositoryName.Parse("team/target"), Digest.Parse(digest), Ct));
        await Metadata(server).Collection.ReleaseAsync(Digest.Parse(digest), Ct);
        using var again = await server.Client.PostAsync($"/v2/team/target/blobs/uploads/?mount={digest}&from=team/source", null);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task Only_one_collector_runs_at_a_time()
    {
        await using var server = await RegistryServer.StartAsync();
        Assert.True(await Metadata(server).Collection.TryAcquireLeaseAsync("other-node", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), Ct));

        var skipped = await Collector(server, ahead: TimeSpan.Zero).RunAsync(dryRun: false, details: false, Ct);
        await Metadata(server).Collection.ReleaseLeaseAsync("other-node", Ct);
        var ran = await Collector(server, ahead: TimeSpan.Zero).RunAsync(dryRun: false, details: false, Ct);

        Assert.False(skipped.Ran);
        Assert.True(ran.Ran);
    }

    /// <summary>An image pushed: its manifest and the blobs it names (config first), with their bytes.</summary>
    internal sealed record PushedImage(TestDescriptor Manifest, IReadOnlyList<TestDescriptor> Blobs, byte[] ManifestBytes);

    internal static async Task<PushedImage> PushImageWithLayersAsync(RegistryServer server, string repository, string? tag, TestDescriptor? sharedLayer = null,
        TestDescriptor? subject = null)
    {
        var config = await PushDescriptorAsync(server.Client, repository, OciConfig, Encoding.UTF8.GetBytes($$"""{"n":"{{Guid.NewGuid()}}"}"""));
        var layer = await PushDescriptorAsync(server.Client, repository, OciLayer, RandomBytes(1024));
        var layers = sharedLayer is null ? new[] { layer } : [sharedLayer, layer];
        var json = ImageManifestJson(OciManifest, config, layers, subject is null ? null : $"\"subject\":{subject.ToJson()}");
        var bytes = Encoding.UTF8.GetBytes(json);
        var manifest = await PushManifestAsync(server.Client, repository, tag ?? DigestOf(bytes), json, OciManifest);
        return new PushedImage(manifest, [config, .. layers], bytes);
    }

    internal static async Task AssertPullsAsync(RegistryServer server, string repository, string reference, PushedImage image)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd(OciManifest);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(image.ManifestBytes, await response.Content.ReadAsByteArrayAsync());
        foreach (var blob in image.Blobs)
        {
            var bytes = await server.Client.GetByteArrayAsync($"/v2/{repository}/blobs/{blob.Digest}");
            Assert.Equal(blob.Digest, DigestOf(bytes));
        }
    }
}
