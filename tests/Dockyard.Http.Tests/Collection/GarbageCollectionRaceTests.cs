using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Dockyard.Core.Collection;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.Collection;

/// <summary>
/// Collection racing pushes: several clients push images with a shared base layer, mounted layers, tags that move,
/// old manifests tagged again and tags deleted, while the collector runs in a loop with a one-second grace period and
/// untagged deletion on. A push may be told to retry (503) — as docker would, the client then pushes the image again —
/// but every push that succeeded must pull back byte-identical at the end, after further collections.
/// </summary>
public sealed class GarbageCollectionRaceTests(ITestOutputHelper output)
{
    private const int Pushers = 3;
    private const int TagsPerPusher = 4;
    private static readonly string[] Repositories = ["race/a", "race/b", "race/c"];
    private static readonly TimeSpan RaceFor = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Nothing_a_successful_push_made_reachable_is_lost_to_collections_running_meanwhile()
    {
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["gc:delay"] = "1", ["gc:untagged"] = "true", ["gc:interval"] = "0",
        });
        var collector = server.Services.GetRequiredService<GarbageCollector>();
        var baseLayer = RandomBytes(2048);
        var expected = new ConcurrentDictionary<(string Repository, string Tag), GarbageCollectionTests.PushedImage>();
        var retries = 0;
        using var stop = new CancellationTokenSource(RaceFor);

        var pushers = Enumerable.Range(0, Pushers).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            var history = new List<(string Repository, GarbageCollectionTests.PushedImage Image)>();
            while (!stop.IsCancellationRequested)
            {
                var repository = Repositories[random.Next(Repositories.Length)];
                var tag = $"p{p}-t{random.Next(TagsPerPusher)}";
                var action = random.Next(10);
                if (action == 0 && expected.TryRemove((repository, tag), out _))
                {
                    using var delete = await server.Client.DeleteAsync($"/v2/{repository}/manifests/{tag}");
                    Assert.True(delete.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, $"tag delete answered {delete.StatusCode}");
                    continue;
                }
                GarbageCollectionTests.PushedImage? pushed;
                if (action <= 2 && history.Count > 0)
                {
                    // An older manifest, likely untagged by now and perhaps being collected, tagged again.
                    var (from, old) = history[random.Next(history.Count)];
                    repository = from;
                    pushed = await RetagAsync(server, repository, tag, old);
                }
                else
                {
                    var mountFrom = action <= 5 ? Repositories[random.Next(Repositories.Length)] : null;
                    pushed = await PushAsync(server, repository, tag, baseLayer, mountFrom);
                }
                if (pushed is null)
                {
                    Interlocked.Increment(ref retries);
                    continue;
                }
                expected[(repository, tag)] = pushed;
                history.Add((repository, pushed));
            }
        })).ToList();

        var collections = new List<CollectionReport>();
        while (!pushers.All(t => t.IsCompleted))
        {
            collections.Add(await collector.RunAsync(dryRun: false, details: false, CancellationToken.None));
        }
        await Task.WhenAll(pushers);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        collections.Add(await collector.RunAsync(dryRun: false, details: false, CancellationToken.None));
        collections.Add(await collector.RunAsync(dryRun: false, details: false, CancellationToken.None));

        output.WriteLine($"{collections.Count} collections deleted {collections.Sum(c => c.ManifestsDeleted)} manifests, " +
            $"{collections.Sum(c => c.LinksRemoved)} links, {collections.Sum(c => c.BlobsDeleted)} blobs ({collections.Sum(c => c.BlobsReprieved)} reprieved); " +
            $"{expected.Count} tags to pull, {retries} pushes retried");
        Assert.True(collections.Count > 10, $"only {collections.Count} collections ran during the race");
        Assert.True(collections.Sum(c => c.BlobsDeleted) > 0, "the collections deleted nothing, so the race proved nothing");
        Assert.True(collections.Sum(c => c.ManifestsDeleted) > 0, "no untagged manifest was collected");
        Assert.True(expected.Count >= Pushers, $"only {expected.Count} tags survived ({retries} pushes retried)");
        foreach (var ((repository, tag), image) in expected)
        {
            await GarbageCollectionTests.AssertPullsAsync(server, repository, tag, image);
        }
    }

    /// <summary>Pushes a new image (base layer, a fresh layer possibly mounted from another repository, a fresh config); null when told to retry.</summary>
    private static async Task<GarbageCollectionTests.PushedImage?> PushAsync(RegistryServer server, string repository, string tag, byte[] baseLayer, string? mountFrom)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"n":"{{Guid.NewGuid()}}"}""");
        var layer = RandomBytes(1024);
        if (!await UploadAsync(server, repository, baseLayer) || !await UploadAsync(server, repository, config))
        {
            return null;
        }
        if (mountFrom is not null && mountFrom != repository)
        {
            if (!await UploadAsync(server, mountFrom, layer))
            {
                return null;
            }
            using var mount = await server.Client.PostAsync($"/v2/{repository}/blobs/uploads/?mount={DigestOf(layer)}&from={mountFrom}", null);
            if (mount.StatusCode != HttpStatusCode.Created && !await UploadAsync(server, repository, layer))
            {
                return null;
            }
        }
        else if (!await UploadAsync(server, repository, layer))
        {
            return null;
        }
        var blobs = new[]
        {
            new TestDescriptor(OciConfig, DigestOf(config), config.Length),
            new TestDescriptor(OciLayer, DigestOf(baseLayer), baseLayer.Length),
            new TestDescriptor(OciLayer, DigestOf(layer), layer.Length),
        };
        var json = ImageManifestJson(OciManifest, blobs[0], blobs[1..]);
        return await PutAsync(server, repository, tag, json, blobs);
    }

    private static Task<GarbageCollectionTests.PushedImage?> RetagAsync(RegistryServer server, string repository, string tag, GarbageCollectionTests.PushedImage old) =>
        PutAsync(server, repository, tag, Encoding.UTF8.GetString(old.ManifestBytes), old.Blobs);

    private static async Task<GarbageCollectionTests.PushedImage?> PutAsync(RegistryServer server, string repository, string tag, string json, IReadOnlyList<TestDescriptor> blobs)
    {
        using var response = await PutManifestAsync(server.Client, repository, tag, json, OciManifest);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            return new GarbageCollectionTests.PushedImage(new TestDescriptor(OciManifest, DigestOf(bytes), bytes.Length), blobs, bytes);
        }
        // 503: a blob was collected meanwhile; 400 MANIFEST_BLOB_UNKNOWN: a blob this client skipped (HEAD) is gone.
        Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadRequest,
            $"manifest PUT answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return null;
    }

    /// <summary>Uploads a blob unless the repository has it (as clients do after a HEAD); false when told to retry.</summary>
    private static async Task<bool> UploadAsync(RegistryServer server, string repository, byte[] data)
    {
        var digest = DigestOf(data);
        using (var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}")))
        {
            if (head.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
        }
        using var content = new ByteArrayContent(data);
        using var response = await server.Client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable,
            $"upload answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode == HttpStatusCode.Created;
    }
}
