using Dockyard.Azure.Blobs;
using Dockyard.Conformance.Blobs;
using Dockyard.Core.Blobs;

namespace Dockyard.Azure.Tests.Blobs;

/// <summary>The shared blob-store behaviour against Azurite, each test in a fresh container (deleted after).</summary>
public sealed class AzureBlobStoreConformanceTests : BlobStoreConformance
{
    protected override Task<IBlobStore> CreateStoreAsync()
    {
        // xunit 2 cannot skip from a fixture: without Azurite these tests fail, naming the script that starts it.
        var connection = Azurite.ConnectionString
            ?? throw new InvalidOperationException($"azurite is not running: infra/scripts/azurite.sh start, then set {Azurite.Variable}");
        // Small blocks and copy ranges so that multi-block parts and multi-range publishes are exercised too.
        var options = new AzureBlobStoreOptions { BlockSize = 1 << 20, CopyRangeSize = 3 << 20 };
        return Task.FromResult<IBlobStore>(new AzureBlobStore(Azurite.Connect(connection, Azurite.NewContainerName()), options));
    }

    protected override async Task<bool> WriteStrayObjectAsync()
    {
        var container = ((AzureBlobStore)Store).Container;
        // Under the published prefix, but no digest makes these names.
        foreach (var name in new[] { "blobs/sha256/not-a-digest", "blobs/md5/" + new string('a', 32), "blobs/sha256/" + new string('A', 64), "blobs/sha256/ab" })
        {
            await container.UploadBlobAsync(name, BinaryData.FromString("stray"));
        }
        return true;
    }

    protected override async Task DestroyStoreAsync(IBlobStore store) =>
        await ((AzureBlobStore)store).Container.DeleteIfExistsAsync();
}
