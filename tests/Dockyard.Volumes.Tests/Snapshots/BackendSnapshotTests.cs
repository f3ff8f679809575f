using Dockyard.Launcher;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Chunks;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>
/// The snapshot/restore cycle on every remote backend (<see cref="VolumeBackend"/>) against an in-process Dockyard: one
/// "host" stores two versions, another (its own client, nothing cached) restores both byte for byte, the second version
/// shares the unchanged chunks of the first, and contenders racing for the lease on that backend's lease store get
/// exactly one winner a round.
/// </summary>
public sealed class BackendSnapshotTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData("azure")]
    [InlineData("rados")]
    [InlineData("mysql")]
    public async Task Two_hosts_store_and_restore_the_same_bytes_and_versions_share_chunks(string name)
    {
        var backend = VolumeBackend.Find(name);
        var work = Directory.CreateTempSubdirectory("dockyard-volume-backend-").FullName;
        try
        {
            await using var server = await RegistryServer.StartAsync(backend.Settings);
            var registry = server.BaseAddress.ToString();
            var repository = backend.Repository("data");
            var source = Directory.CreateDirectory(Path.Combine(work, "source")).FullName;
            var original = ContentChunkerTests.RandomBytes(12 << 20, seed: 21);
            await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), original);
            Directory.CreateDirectory(Path.Combine(source, "sub"));
            await File.WriteAllTextAsync(Path.Combine(source, "sub", "note.txt"), "on " + name);
            File.CreateSymbolicLink(Path.Combine(source, "link"), "sub/note.txt");

            using var hostA = VolumeConnection.Open(registry, repository);
            var first = await VolumeOperations.PushAsync(hostA, source, Ct);
            var edited = original.ToArray();
            ContentChunkerTests.RandomBytes(64 << 10, seed: 22).CopyTo(edited, 6 << 20);
            await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), edited);
            var second = await VolumeOperations.PushAsync(hostA, source, Ct);

            using var hostB = VolumeConnection.Open(registry, repository);
            var latest = Path.Combine(work, "latest");
            var older = Path.Combine(work, "older");
            await VolumeMaterializer.RestoreAsync(hostB.Registry, await VolumeOperations.RequiredAsync(hostB.Registry, "latest", Ct), latest, Ct);
            await VolumeMaterializer.RestoreAsync(hostB.Registry, await VolumeOperations.RequiredAsync(hostB.Registry, "v1", Ct), older, Ct);

            Assert.Equal((1, 2), (first.Version!.Number, second.Version!.Number));
            Assert.Equal(edited, await File.ReadAllBytesAsync(Path.Combine(latest, "big.bin")));
            Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(older, "big.bin")));
            Assert.Equal("on " + name, await File.ReadAllTextAsync(Path.Combine(latest, "link")));
            var chunksOf = (VolumeVersion v) => v.Index.Entries.Single(e => e.Path == "big.bin").Chunks!.Select(c => c.Digest).ToHashSet();
            var shared = chunksOf(first.Version!).Intersect(chunksOf(second.Version!)).Count();
            Console.WriteLine($"{name}: 12 MiB, 64 KiB changed: {second.UploadedBytes} bytes uploaded, {shared} of {chunksOf(second.Version!).Count} chunks shared");
            Assert.True(shared >= 2, $"only {shared} chunks shared between the versions");
            Assert.InRange(second.UploadedBytes, 64 << 10, original.Length / 2);

            await AssertOneWinnerPerRoundAsync(hostA, hostB);
        }
        finally
        {
            await backend.CleanUpAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    // Four holders on two connections, released by one signal, three rounds: the backend's compare-and-swap lets one in.
    private static async Task AssertOneWinnerPerRoundAsync(VolumeConnection hostA, VolumeConnection hostB)
    {
        for (var round = 0; round < 3; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, 4).Select<int, Task<HeldLease?>>(async i =>
            {
                await start.Task;
                try
                {
                    return await (i % 2 == 0 ? hostA : hostB).Leases.AcquireAsync($"contender-{round}-{i}", TimeSpan.FromSeconds(30), Ct);
                }
                catch (LaunchException e) when (e.Message.Contains("mounted read-write by", StringComparison.Ordinal))
                {
                    return null;
                }
            }).ToList();
            start.SetResult();
            var won = (await Task.WhenAll(attempts)).OfType<HeldLease>().ToList();
            Assert.Single(won);
            await hostA.Leases.ReleaseAsync(won[0], Ct);
        }
    }
}
