using Dockyard.Core.Collection;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Chunks;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>
/// The pack format (docs/volumes.md, Format): new chunks travel in a few pack blobs and come back by range reads, and
/// a volume stored before packs (every chunk a blob of its own, cut at about 1 MiB) still restores, keeps its cuts and
/// its chunks in the versions made now, and is collected as before.
/// </summary>
public sealed class PackFormatTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-volume-packs-").FullName;
    private RegistryServer? server;

    private RegistryServer Server => server!;

    public async Task InitializeAsync() =>
        server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["gc:delay"] = "1", ["gc:interval"] = "0" });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Small_chunks_travel_in_a_few_packs_and_come_back_by_range_reads()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "packed")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), ContentChunkerTests.RandomBytes(13 << 20, seed: 31));
        for (var i = 0; i < 40; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(source, $"small-{i:D2}.bin"), ContentChunkerTests.RandomBytes(1000 + (i * 3000), seed: 100 + i));
        }
        using var connection = VolumeConnection.Open(Server.BaseAddress.ToString(), "team/packed");

        var pushed = await VolumeOperations.PushAsync(connection, source, Ct);

        var index = pushed.Version!.Index;
        var chunks = index.Entries.SelectMany(e => e.Chunks ?? []).ToList();
        Assert.Equal(ChunkingProfile.Small.Name, index.Chunker);
        Assert.True(chunks.Count > 40 + ((13 << 20) / ChunkingProfile.Small.Max), $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.NotNull(c.Pack));
        Assert.InRange(index.Packs!.Count, 3, 5);
        Assert.All(index.Packs!, p => Assert.InRange(p.Size, 1, PackWriter.TargetSize + ChunkingProfile.Legacy.Max));
        Assert.Equal(index.Packs!.Count + 1, pushed.UploadedBlobs);
        Assert.Equal(index.Packs!.Select(p => Digest.Parse(p.Digest)), CollectionTests.Layers(pushed.Version));
        var layerTypes = ManifestParser.Parse(pushed.Version.Manifest, MediaTypes.OciManifest).Layers.Select(l => l.MediaType).Distinct();
        Assert.Equal([VolumeArtifact.PackMediaType], layerTypes);
        var target = Path.Combine(folder, "packed-restored");
        await VolumeMaterializer.RestoreAsync(connection.Registry, await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct), target, Ct);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(target, Path.GetFileName(file))));
        }
    }

    [Fact]
    public async Task A_volume_stored_before_packs_restores_keeps_its_chunks_and_cuts_and_is_collected_as_before()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "legacy")).FullName;
        var kept = ContentChunkerTests.RandomBytes(6 << 20, seed: 41);
        var edited = ContentChunkerTests.RandomBytes(6 << 20, seed: 42);
        await File.WriteAllBytesAsync(Path.Combine(source, "kept.bin"), kept);
        await File.WriteAllBytesAsync(Path.Combine(source, "edited.bin"), edited);
        using var connection = VolumeConnection.Open(Server.BaseAddress.ToString(), "team/legacy");
        var legacy = await StoreAsBeforePacksAsync(connection, source);

        var restored = Path.Combine(folder, "legacy-restored");
        await VolumeMaterializer.RestoreAsync(connection.Registry, legacy, restored, Ct);
        Assert.Equal(kept, await File.ReadAllBytesAsync(Path.Combine(restored, "kept.bin")));
        Assert.Equal(edited, await File.ReadAllBytesAsync(Path.Combine(restored, "edited.bin")));

        ContentChunkerTests.RandomBytes(64 << 10, seed: 43).CopyTo(edited, 3 << 20);
        await File.WriteAllBytesAsync(Path.Combine(restored, "edited.bin"), edited);
        var second = await VolumeOperations.PushAsync(connection, restored, Ct);

        var index = second.Version!.Index;
        Assert.Null(index.Chunker);
        var before = legacy.Index.Entries.SelectMany(e => e.Chunks!).Select(c => c.Digest).ToHashSet();
        var after = index.Entries.SelectMany(e => e.Chunks!).ToList();
        Assert.All(after.Where(c => before.Contains(c.Digest)), c => Assert.Null(c.Pack));
        Assert.All(after.Where(c => !before.Contains(c.Digest)), c => Assert.NotNull(c.Pack));
        var fresh = after.Where(c => !before.Contains(c.Digest)).DistinctBy(c => c.Digest).ToList();
        Assert.InRange(fresh.Count, 1, 3);
        var manifest = ManifestParser.Parse(second.Version.Manifest, MediaTypes.OciManifest);
        Assert.Equal(fresh.Sum(c => (long)c.Size) + manifest.Config!.Size, second.UploadedBytes);
        Assert.Equal([VolumeArtifact.ChunkMediaType, VolumeArtifact.PackMediaType], manifest.Layers.Select(l => l.MediaType).Distinct().Order(StringComparer.Ordinal));

        await connection.Registry.DeleteManifestAsync(legacy.Digest, Ct);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var report = await Server.Services.GetRequiredService<GarbageCollector>().RunAsync(dryRun: false, details: false, Ct);

        var freed = CollectionTests.Layers(legacy).Except(CollectionTests.Layers(second.Version)).ToList();
        Assert.NotEmpty(freed);
        Assert.True(report.BlobsDeleted >= freed.Count, $"{report.BlobsDeleted} blobs deleted, {freed.Count} expected at least");
        foreach (var layer in freed)
        {
            Assert.False(await connection.Registry.HasBlobAsync(layer, Ct), $"freed chunk {layer} is still stored");
        }
        var mixed = Path.Combine(folder, "mixed-restored");
        await VolumeMaterializer.RestoreAsync(connection.Registry, await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct), mixed, Ct);
        Assert.Equal(kept, await File.ReadAllBytesAsync(Path.Combine(mixed, "kept.bin")));
        Assert.Equal(edited, await File.ReadAllBytesAsync(Path.Combine(mixed, "edited.bin")));
    }

    // A version as the launcher stored it before packs: files cut by the legacy profile, each chunk a blob of its own
    // and a layer, an index with neither packs nor a chunker.
    private static async Task<VolumeVersion> StoreAsBeforePacksAsync(VolumeConnection connection, string source)
    {
        var entries = new List<VolumeEntry>();
        foreach (var (path, info) in VolumeTree.Walk(source))
        {
            var chunks = new List<ChunkRef>();
            await using (var stream = File.OpenRead(info.FullName))
            {
                var chunker = new ContentChunker(stream, ChunkingProfile.Legacy);
                while (await chunker.NextAsync(Ct) is { Length: > 0 } chunk)
                {
                    var digest = Digest.Compute(chunk.Span);
                    await connection.Registry.PushBlobAsync(digest, chunk.ToArray(), Ct);
                    chunks.Add(new ChunkRef(digest.Value, chunk.Length));
                }
            }
            entries.Add(VolumeTree.Describe(path, info) with { Chunks = chunks });
        }
        var index = new VolumeIndex(entries);
        var json = index.ToJson();
        Assert.DoesNotContain("pack", System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        var descriptor = new Descriptor(VolumeArtifact.IndexMediaType, Digest.Compute(json), json.Length, null, [], null);
        await connection.Registry.PushBlobAsync(descriptor.Digest, json, Ct);
        var lease = await connection.Leases.AcquireAsync("before-packs", TimeSpan.FromSeconds(30), Ct);
        var manifest = VolumeVersions.Manifest(1, descriptor, index, lease.Holder, DateTimeOffset.UtcNow);
        await connection.Registry.PutManifestAsync("v1", manifest, lease.Token, Ct);
        await connection.Registry.PutManifestAsync(VolumeVersions.Latest, manifest, lease.Token, Ct);
        await connection.Leases.ReleaseAsync(lease, Ct);
        var stored = await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct);
        Assert.Equal([VolumeArtifact.ChunkMediaType], ManifestParser.Parse(stored.Manifest, MediaTypes.OciManifest).Layers.Select(l => l.MediaType).Distinct());
        return stored;
    }
}
