using Dockyard.Conformance.Blobs;
using Dockyard.Core.Blobs;
using Dockyard.Local.Caching;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.Caching;

/// <summary>The read cache must not change what the store it fronts does: the shared tests through it.</summary>
public sealed class CachedBlobStoreConformanceTests : BlobStoreConformance
{
    private readonly TempFolder folder = new();

    // A bound small enough that the multi-MiB tests evict.
    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(
        new CachedBlobStore(new FileSystemBlobStore(Path.Combine(folder.Path, "remote")), Path.Combine(folder.Path, "cache"), 3 << 20));

    protected override Task DestroyStoreAsync(IBlobStore store)
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}
