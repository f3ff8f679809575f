using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>Staging that goes away underneath a reader, and the listing the purge of orphan staging relies on.</summary>
public abstract partial class BlobStoreConformance
{
    [Fact]
    public async Task Staged_parts_removed_while_they_are_read_are_KeyNotFound()
    {
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);
        UploadPart[] parts = [await WritePartAsync(id, Content(1000, seed: 1)), await WritePartAsync(id, Content(1000, seed: 2))];
        await using var staged = await Store.OpenUploadAsync(id, parts, Ct);

        await Store.DeleteUploadAsync(id, Ct);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => staged.CopyToAsync(Stream.Null, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.PublishUploadAsync(id, parts, Digest.Compute(Content(1000)), Ct));
    }

    [Fact]
    public async Task Uploads_are_listed_as_written_before_a_later_time_and_not_before_an_earlier_one()
    {
        var (kept, _) = await StageAsync(Content(10));
        var (removed, _) = await StageAsync(Content(20));
        var (published, parts) = await StageAsync(Content(30));
        await Store.DeleteUploadAsync(removed, Ct);
        await Store.PublishUploadAsync(published, parts, Digest.Compute(Content(30)), Ct);
        // Minutes either side, so that the store's clock and this machine's need not agree to the second.
        var now = DateTimeOffset.UtcNow;

        var later = await Store.ListUploadsWrittenBeforeAsync(now.AddMinutes(5), Ct);
        var earlier = await Store.ListUploadsWrittenBeforeAsync(now.AddMinutes(-5), Ct);

        Assert.Contains(kept, later);
        Assert.DoesNotContain(removed, later);
        Assert.DoesNotContain(published, later);
        Assert.DoesNotContain(kept, earlier);
    }
}
