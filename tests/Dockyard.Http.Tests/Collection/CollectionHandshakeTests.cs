using System.Net;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Collection.CollectorFixture;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.Collection;

/// <summary>
/// The two halves of the handshake that keeps collection race-free, each forced deterministically: the sweep checks
/// links again after condemning (a link made after the mark saves the blob), and a request checks the blob after
/// linking it (bytes that are gone make it answer 503 and take its link back).
/// </summary>
public sealed class CollectionHandshakeTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_blob_linked_after_the_mark_is_reprieved_by_the_sweep()
    {
        await using var server = await RegistryServer.StartAsync();
        var stray = Digest.Parse(await PushBlobAsync(server.Client, "team/app", RandomBytes(300)));
        var metadata = Metadata(server);
        // The first sweep page is listed after every repository was marked: a mount lands just then.
        var blobs = new LinkBeforeSweep(Blobs(server), () => metadata.BlobLinks.LinkAsync(RepositoryName.Parse("team/late"), stray, 300, Ct));
        var collector = new GarbageCollector(blobs, metadata, server.Services.GetRequiredService<RepositoryReferences>(),
            new CollectionOptions(), new ShiftedTime(TimeSpan.FromHours(2)));

        var report = await collector.RunAsync(dryRun: false, details: false, Ct);

        Assert.Equal(1, report.LinksRemoved); // team/app's stale link went in the mark
        Assert.Equal(1, report.BlobsReprieved);
        Assert.Equal(0, report.BlobsDeleted);
        Assert.NotNull(await Blobs(server).StatAsync(stray, Ct));
        Assert.Empty(await metadata.Collection.FindCondemnedAsync([stray], Ct));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/late/blobs/{stray}"))).StatusCode);
    }

    [Fact]
    public async Task A_manifest_naming_a_blob_whose_bytes_are_gone_is_refused_with_503_and_not_stored()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "team/app", OciConfig, "{}"u8.ToArray());
        var bytes = RandomBytes(700);
        var layer = await PushDescriptorAsync(server.Client, "team/app", OciLayer, bytes);
        Assert.True(await Blobs(server).DeleteAsync(Digest.Parse(layer.Digest), Ct)); // collected by another node

        using var put = await PutManifestAsync(server.Client, "team/app", "v1", ImageManifestJson(OciManifest, config, [layer]), OciManifest);

        await AssertErrorAsync(put, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/v2/team/app/manifests/v1")).StatusCode);
        // The link is taken back, so the client's retry uploads the layer instead of trusting a HEAD.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{layer.Digest}"))).StatusCode);
        await PushBlobAsync(server.Client, "team/app", bytes);
        using var retry = await PutManifestAsync(server.Client, "team/app", "v1", ImageManifestJson(OciManifest, config, [layer]), OciManifest);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
    }

    [Fact]
    public async Task Completing_an_upload_of_a_condemned_blob_answers_503_and_a_retry_after_release_succeeds()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(400);
        var digest = await PushBlobAsync(server.Client, "team/a", data);
        await Metadata(server).Collection.CondemnAsync(Digest.Parse(digest), Ct);

        using var content = new ByteArrayContent(data);
        using var upload = await server.Client.PostAsync($"/v2/team/b/blobs/uploads/?digest={digest}", content);

        await AssertErrorAsync(upload, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        await Metadata(server).Collection.ReleaseAsync(Digest.Parse(digest), Ct);
        await PushBlobAsync(server.Client, "team/b", data);
    }

    /// <summary>The real store, with <paramref name="beforeSweep"/> run once just before the first listing of published blobs.</summary>
    private sealed class LinkBeforeSweep(IBlobStore inner, Func<Task> beforeSweep) : IBlobStore
    {
        private int listed;

        public async Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref listed, 1) == 0)
            {
                await beforeSweep();
            }
            return await inner.ListBlobsAsync(after, limit, cancellationToken);
        }

        public Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken) => inner.StatAsync(digest, cancellationToken);
        public Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(digest, offset, cancellationToken);
        public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => inner.DeleteAsync(digest, cancellationToken);
        public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken) => inner.CreateUploadAsync(uploadId, cancellationToken);
        public Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken) =>
            inner.WriteUploadPartAsync(uploadId, partId, data, cancellationToken);
        public Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken) =>
            inner.OpenUploadAsync(uploadId, parts, cancellationToken);
        public Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken) =>
            inner.PublishUploadAsync(uploadId, parts, digest, cancellationToken);
        public Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken) => inner.DeleteUploadPartAsync(uploadId, partId, cancellationToken);
        public Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken) => inner.DeleteUploadAsync(uploadId, cancellationToken);
        public Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            inner.ListUploadsWrittenBeforeAsync(before, cancellationToken);
    }
}
