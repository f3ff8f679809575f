using System.Diagnostics;
using System.Net;
using Dockyard.Conformance.Blobs;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Registry;

/// <summary>
/// Tests that measure this process's working set, so no other test may allocate meanwhile: xunit runs this collection
/// after the parallel ones, alone.
/// </summary>
[CollectionDefinition(nameof(SoloMemoryCollection), DisableParallelization = true)]
public sealed class SoloMemoryCollection;

/// <summary>A large blob through the registry on <c>backend = azure</c> with flat memory.</summary>
[Collection(nameof(SoloMemoryCollection))]
public sealed class AzureStreamingMemoryTests
{
    private static Dictionary<string, string?> Settings(string connection, string container) => new()
    {
        ["dockyard:backend"] = "azure",
        ["azure:connectionstring"] = connection,
        ["azure:container"] = container,
    };

    [Fact]
    public async Task A_300_MiB_blob_streams_through_in_flat_memory()
    {
        if (Azurite.ConnectionString is not { } connection)
        {
            return;
        }
        const long Size = 300L << 20;
        var container = Azurite.NewContainerName();
        try
        {
            await using var server = await RegistryServer.StartAsync(Settings(connection, container));
            var digest = RegistryPush.PatternDigest(Size, 5);
            var location = await RegistryPush.StartUploadAsync(server.Client, "azure/large");
            // The whole test run shares this process: start from a compacted heap, so garbage earlier tests left behind
            // (collected, or not, during the transfer) does not count as this blob's.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var before = Process.GetCurrentProcess().WorkingSet64;
            using var patched = await RegistryPush.PatchAsync(server.Client, location,
                new StreamContent(new PatternStream(Size, 5, maxRead: 1 << 16), 1 << 16), 0, Size);
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            using var put = await RegistryPush.PutAsync(server.Client, new Uri(server.BaseAddress, patched.Headers.Location!), digest);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            using var pulled = await server.Client.GetAsync($"/v2/azure/large/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            await RegistryPush.AssertPatternAsync(pulled, Size, 5);
            var growth = Process.GetCurrentProcess().WorkingSet64 - before;
            Assert.True(growth < 150L << 20, $"working set grew by {growth >> 20} MiB for a {Size >> 20} MiB blob");
        }
        finally
        {
            await Azurite.Connect(connection, container).DeleteIfExistsAsync();
        }
    }
}
