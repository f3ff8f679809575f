using Dockyard.Ceph.Native;

namespace Dockyard.Ceph.Tests;

/// <summary>
/// librados copies every chunk written into a buffer of its own; a store opened as the server opens it makes glibc give
/// those buffers back to the system once written (<see cref="NativeHeap"/>), instead of keeping them free in the arenas
/// of the threads that wrote them, where they stayed resident after a push.
/// </summary>
public sealed class RadosNativeMemoryTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string nameSpace = TestCluster.NewNamespace();
    private readonly string? conf = TestCluster.ConfFile;

    [Fact]
    public async Task Chunks_written_from_four_threads_at_once_leave_no_chunk_sized_free_memory_in_the_c_heap()
    {
        if (conf is null || NativeHeap.FreeBytesHeld() is null)
        {
            return;
        }
        using var store = RadosRegistration.Open(TestCluster.Options(conf, nameSpace));
        var id = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);

        // 4 parts of 4 chunks (4 MiB, the default), written at once so that several threads copy chunks.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            store.WriteUploadPartAsync(id, Guid.NewGuid().ToString("N"), new MemoryStream(new byte[4 * RadosBlobStoreOptions.DefaultChunkSize]), Ct))));

        var held = NativeHeap.FreeBytesHeld()!.Value;
        Assert.True(held < RadosBlobStoreOptions.DefaultChunkSize, $"glibc holds {held >> 10} KiB free after 64 MiB of chunk writes");
        await store.DeleteUploadAsync(id, Ct);
    }

    public void Dispose()
    {
        if (conf is not null)
        {
            TestCluster.Empty(conf, nameSpace);
        }
    }
}
