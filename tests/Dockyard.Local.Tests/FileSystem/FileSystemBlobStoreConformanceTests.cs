using Dockyard.Conformance.Blobs;
using Dockyard.Core.Blobs;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.FileSystem;

public sealed class FileSystemBlobStoreConformanceTests : BlobStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FileSystemBlobStore(folder.Path));

    protected override async Task<bool> WriteStrayObjectAsync()
    {
        // In the blob tree, but no digest makes these paths.
        var prefix = System.IO.Path.Combine(folder.Path, "blobs", "sha256", "ab");
        Directory.CreateDirectory(prefix);
        await File.WriteAllTextAsync(System.IO.Path.Combine(prefix, "not-a-digest"), "stray");
        await File.WriteAllTextAsync(System.IO.Path.Combine(prefix, "cd" + new string('0', 62)), "in the wrong prefix folder");
        return true;
    }

    protected override Task DestroyStoreAsync(IBlobStore store)
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}
