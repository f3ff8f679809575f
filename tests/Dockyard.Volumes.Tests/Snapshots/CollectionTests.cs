using Dockyard.Core.Collection;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Interop.Tests.Encryption;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Chunks;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>
/// Garbage collection over volumes, plain and encrypted: packs of chunks are layers (ciphertext when encrypted, the
/// sealed index the config), so a kept version keeps every pack it has a chunk in and a deleted one frees the packs
/// only it used. A pack a kept version uses in part is kept whole.
/// </summary>
public sealed class CollectionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Collection_frees_the_chunks_of_a_deleted_version_and_keeps_those_of_the_latest(bool encrypted)
    {
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["gc:delay"] = "1", ["gc:interval"] = "0" });
        var folder = Directory.CreateTempSubdirectory("dockyard-volume-gc-").FullName;
        var keyFolder = Directory.CreateTempSubdirectory("dockyard-volume-gc-keys-").FullName;
        try
        {
            var key = KeyFiles.Rsa(keyFolder);
            await File.WriteAllBytesAsync(Path.Combine(folder, "kept.bin"), ContentChunkerTests.RandomBytes(3 << 20, seed: 11));
            await File.WriteAllBytesAsync(Path.Combine(folder, "replaced.bin"), ContentChunkerTests.RandomBytes(3 << 20, seed: 12));
            var keys = encrypted ? new VolumeKeyPaths([key.PublicPem], [key.PrivatePem]) : VolumeKeyPaths.None;
            using var connection = VolumeConnection.Open(server.BaseAddress.ToString(), "team/gc", keys.Load());
            var first = await VolumeOperations.PushAsync(connection, folder, Ct);
            await File.WriteAllBytesAsync(Path.Combine(folder, "replaced.bin"), ContentChunkerTests.RandomBytes(3 << 20, seed: 13));
            var second = await VolumeOperations.PushAsync(connection, folder, Ct);
            await connection.Registry.DeleteManifestAsync(first.Version!.Digest, Ct);
            await Task.Delay(TimeSpan.FromSeconds(2));

            var report = await server.Services.GetRequiredService<GarbageCollector>().RunAsync(dryRun: false, details: false, Ct);

            Assert.Equal(encrypted, second.Version!.Encrypted);
            var freed = Layers(first.Version).Except(Layers(second.Version)).ToList();
            var kept = Layers(second.Version);
            Assert.NotEmpty(freed);
            Assert.True(report.BlobsDeleted >= freed.Count, $"{report.BlobsDeleted} blobs deleted, {freed.Count} expected at least");
            foreach (var layer in freed)
            {
                Assert.False(await connection.Registry.HasBlobAsync(layer, Ct), $"freed layer {layer} is still stored");
            }
            foreach (var layer in kept)
            {
                Assert.True(await connection.Registry.HasBlobAsync(layer, Ct), $"kept layer {layer} was deleted");
            }
            Assert.True(await connection.Registry.HasBlobAsync(second.Version.IndexDigest, Ct));
            var target = Path.Combine(folder, "..", Path.GetFileName(folder) + "-restored");
            await VolumeMaterializer.RestoreAsync(connection.Registry, await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct), target, Ct);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "replaced.bin")), await File.ReadAllBytesAsync(Path.Combine(target, "replaced.bin")));
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "kept.bin")), await File.ReadAllBytesAsync(Path.Combine(target, "kept.bin")));
            Assert.Equal(second.Version.Digest, (await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct)).Digest);
            Directory.Delete(target, recursive: true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    /// <summary>The blobs a version's manifest lists as layers (packs, and chunks stored alone before packs).</summary>
    internal static IReadOnlyList<Digest> Layers(VolumeVersion version) =>
        ManifestParser.Parse(version.Manifest, MediaTypes.OciManifest).Layers.Select(l => l.Digest).ToList();
}
