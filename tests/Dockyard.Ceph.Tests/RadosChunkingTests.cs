using Dockyard.Conformance.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Ceph.Tests;

/// <summary>How blobs are laid out as objects: chunks of exactly chunksize, the index written last, nothing left behind.</summary>
public sealed class RadosChunkingTests : IDisposable
{
    private const int ChunkSize = 64 << 10;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string nameSpace = TestCluster.NewNamespace();
    private readonly string? conf = TestCluster.ConfFile;

    [Fact]
    public async Task A_blob_of_two_and_a_half_chunks_is_three_chunk_objects_plus_an_index_and_delete_removes_them_all()
    {
        if (conf is null)
        {
            return;
        }
        using var store = RadosRegistration.Open(TestCluster.Options(conf, nameSpace, ChunkSize));
        var content = new byte[(ChunkSize * 5) / 2];
        new Random(7).NextBytes(content);
        var digest = Digest.Compute(content);
        var id = Guid.NewGuid().ToString("N");
        var part = new UploadPart(Guid.NewGuid().ToString("N"), content.Length);
        await store.CreateUploadAsync(id, Ct);
        Assert.Equal(content.Length, await store.WriteUploadPartAsync(id, part.Id, new MemoryStream(content), Ct));

        await store.PublishUploadAsync(id, [part], digest, Ct);

        string[] expected = [RadosBlobStore.BlobIndexName(digest), .. Enumerable.Range(0, 3).Select(n => RadosBlobStore.PartChunkName(id, part.Id, n))];
        Assert.Equal(expected.Order(), TestCluster.Objects(conf, nameSpace).Order());
        var (cluster, pool) = TestCluster.Open(conf, nameSpace);
        using (cluster)
        using (pool)
        {
            Assert.Equal([ChunkSize, ChunkSize, ChunkSize / 2], Enumerable.Range(0, 3).Select(n => pool.Stat(expected[n + 1])!.Value));
        }
        Assert.Equal(content.Length, await store.StatAsync(digest, Ct));
        await using (var read = (await store.OpenReadAsync(digest, 0, Ct))!)
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy, Ct);
            Assert.Equal(content, copy.ToArray());
        }
        await using (var tail = (await store.OpenReadAsync(digest, ChunkSize + 10, Ct))!)
        {
            var copy = new MemoryStream();
            await tail.CopyToAsync(copy, Ct);
            Assert.Equal(content[(ChunkSize + 10)..], copy.ToArray());
        }

        Assert.True(await store.DeleteAsync(digest, Ct));

        Assert.Empty(TestCluster.Objects(conf, nameSpace));
    }

    [Fact]
    public async Task A_chunk_larger_than_one_write_is_written_in_pieces_at_their_offsets_into_one_object_of_its_size()
    {
        if (conf is null)
        {
            return;
        }
        // 2.5 pieces per chunk, so a chunk ends inside a piece's span; the body arrives in odd-sized reads.
        const int bigChunk = (RadosBlobStore.WriteBytes * 5) / 2;
        long length = (2L * bigChunk) + RadosBlobStore.WriteBytes + 7;
        using var store = RadosRegistration.Open(TestCluster.Options(conf, nameSpace, bigChunk));
        var id = Guid.NewGuid().ToString("N");
        var part = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);

        Assert.Equal(length, await store.WriteUploadPartAsync(id, part, new PatternStream(length, seed: 3, maxRead: 100_003), Ct));
        var exact = Guid.NewGuid().ToString("N");
        Assert.Equal(bigChunk, await store.WriteUploadPartAsync(id, exact, new PatternStream(bigChunk, seed: 4), Ct));

        var (cluster, pool) = TestCluster.Open(conf, nameSpace);
        using (cluster)
        using (pool)
        {
            long[] sizes = [bigChunk, bigChunk, RadosBlobStore.WriteBytes + 7];
            Assert.Equal(sizes, Enumerable.Range(0, 3).Select(n => pool.Stat(RadosBlobStore.PartChunkName(id, part, n))!.Value));
            Assert.Null(pool.Stat(RadosBlobStore.PartChunkName(id, part, 3)));
            Assert.Equal(bigChunk, pool.Stat(RadosBlobStore.PartChunkName(id, exact, 0)));
            Assert.Null(pool.Stat(RadosBlobStore.PartChunkName(id, exact, 1)));
            var buffer = new byte[bigChunk];
            for (var n = 0; n < 3; n++)
            {
                var read = pool.Read(RadosBlobStore.PartChunkName(id, part, n), buffer, 0);
                Assert.Equal(PatternStream.Bytes(n * (long)bigChunk, (int)sizes[n], seed: 3), buffer[..read]);
            }
        }
    }

    [Fact]
    public async Task A_staged_part_is_chunk_objects_and_deleting_the_upload_removes_them_all()
    {
        if (conf is null)
        {
            return;
        }
        using var store = RadosRegistration.Open(TestCluster.Options(conf, nameSpace, ChunkSize));
        var id = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);
        await store.WriteUploadPartAsync(id, Guid.NewGuid().ToString("N"), new MemoryStream(new byte[(ChunkSize * 2) + 1]), Ct);
        await store.WriteUploadPartAsync(id, Guid.NewGuid().ToString("N"), new MemoryStream(new byte[ChunkSize]), Ct);
        Assert.Equal(1 + 4 + 2, TestCluster.Objects(conf, nameSpace).Count); // marker, 3 chunks + index, 1 chunk + index

        await store.DeleteUploadAsync(id, Ct);

        Assert.Empty(TestCluster.Objects(conf, nameSpace));
    }

    [Fact]
    public async Task An_unknown_pool_or_an_unreachable_cluster_fails_naming_the_key()
    {
        if (conf is null)
        {
            return;
        }
        var wrongPool = TestCluster.Options(conf, nameSpace);
        wrongPool.PoolName = "no-such-pool";
        Assert.Contains("[rados] poolname", Assert.Throws<ArgumentException>(() => RadosRegistration.Open(wrongPool)).Message);

        var dead = Path.Combine(Path.GetTempPath(), $"dead-{nameSpace}.conf");
        File.WriteAllText(dead, File.ReadAllText(conf).Replace("mon host = ", "mon host = v1:127.0.0.1:9 #", StringComparison.Ordinal));
        try
        {
            var unreachable = TestCluster.Options(dead, nameSpace);
            unreachable.Timeout = TimeSpan.FromSeconds(2);
            var error = Assert.Throws<Native.RadosUnavailableException>(() => RadosRegistration.Open(unreachable));
            Assert.Contains("[rados] conffile", error.Message);
        }
        finally
        {
            File.Delete(dead);
        }
    }

    public void Dispose()
    {
        if (conf is not null)
        {
            TestCluster.Empty(conf, nameSpace);
        }
    }
}
