using Dockyard.Conformance.Blobs;
using Dockyard.Core.Blobs;
using Dockyard.Local.FileSystem;

namespace Dockyard.Ceph.Tests;

/// <summary>The shared blob-store behaviour against the real cluster, each test in its own namespace, a small chunk size so multi-chunk paths run.</summary>
public sealed class RadosBlobStoreConformanceTests : BlobStoreConformance
{
    private readonly string nameSpace = TestCluster.NewNamespace();
    private string? conf;
    private string? fallback;

    protected override Task<IBlobStore> CreateStoreAsync()
    {
        conf = TestCluster.ConfFile;
        if (conf is null)
        {
            // Not running and not on CI (where Missing throws): xunit 2 cannot skip at run time, so the shared tests run
            // against the local store instead, after the SKIPPED line Missing printed.
            fallback = Path.Combine(Path.GetTempPath(), "dockyard-ceph-skip-" + nameSpace);
            return Task.FromResult<IBlobStore>(new FileSystemBlobStore(fallback));
        }
        return Task.FromResult<IBlobStore>(RadosRegistration.Open(TestCluster.Options(conf, nameSpace, chunkSize: 1 << 20)));
    }

    protected override Task<bool> WriteStrayObjectAsync()
    {
        if (conf is null)
        {
            return Task.FromResult(false);
        }
        var (cluster, pool) = TestCluster.Open(conf, nameSpace);
        using (cluster)
        using (pool)
        {
            // Named like blob indexes, but no digest makes these names.
            pool.WriteFull("blob.sha256.not-a-digest.idx", "{}"u8);
            pool.WriteFull($"blob.md5.{new string('a', 32)}.idx", "{}"u8);
            pool.WriteFull($"blob.sha256.{new string('A', 64)}.idx", "{}"u8);
        }
        return Task.FromResult(true);
    }

    protected override Task DestroyStoreAsync(IBlobStore store)
    {
        if (conf is not null)
        {
            TestCluster.Empty(conf, nameSpace);
        }
        if (fallback is not null)
        {
            Directory.Delete(fallback, recursive: true);
        }
        return Task.CompletedTask;
    }
}
