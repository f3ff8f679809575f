using Dockyard.Conformance.Blobs;
using Dockyard.Core.Blobs;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.FileSystem;

public sealed class FileSystemBlobStoreConformanceTests : BlobStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FileSystemBlobStore(folder.Path));

    protected override Task DestroyStoreAsync(IBlobStore store)
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}
