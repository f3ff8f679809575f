using Dockyard.Core.Metadata;
using Dockyard.Core.Metadata.PullCache;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dockyard.Redis.Tests;

/// <summary>
/// Pulls of one repository that overlap on a node share their stamp reads (a SQLite store behind the cache, stamps in
/// the test Redis), yet a pull that begins after a tag moved never takes a read asked before it began.
/// </summary>
public sealed class SharedStampReadsTests : IAsyncLifetime
{
    private const int Database = 9;
    private static readonly RepositoryName Repository = RepositoryName.Parse("shared/reads");
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-shared-stamp-reads-").FullName;
    private ConnectionMultiplexer? client;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("DOCKYARD_TEST_REDIS") is { Length: > 0 } redis)
        {
            await TestRedis.FlushAsync(redis, Database);
            client = await TestRedis.ConnectAsync(redis, Database);
        }
    }

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (client is not null)
        {
            await client.DisposeAsync();
        }
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Overlapping_pulls_of_a_repository_ask_Redis_far_fewer_times_than_they_pull()
    {
        if (Create() is not var (store, stamps))
        {
            return;
        }
        var digest = await PutAsync(store, "one", "latest");
        await PullAsync(store, "latest", digest);

        var before = stamps.Reads;
        const int Pulls = 64;
        var pulled = await Task.WhenAll(Enumerable.Range(0, Pulls).Select(_ => store.GetTaggedManifestContentAsync(Repository, "latest", Ct)));

        Assert.All(pulled, manifest => Assert.Equal(digest, manifest?.Record.Digest));
        // Unshared, every pull reads the stamp once: 64. Shared, the first reads at once and the others wait for one next read.
        Assert.True(stamps.Reads - before <= Pulls / 4, $"{stamps.Reads - before} stamp reads for {Pulls} overlapping pulls");
    }

    [Fact]
    public async Task A_pull_begun_after_a_tag_moved_serves_the_new_manifest_while_other_pulls_keep_reads_under_way()
    {
        if (Create() is not var (store, _))
        {
            return;
        }
        Digest[] digests = [await PutAsync(store, "first", "latest"), await PutAsync(store, "second")];
        using var stop = new CancellationTokenSource();
        // Pulls of the repository without pause, so that a stamp read is under way whenever the test pulls.
        var background = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.GetTaggedManifestContentAsync(Repository, "latest", Ct);
            }
        })).ToArray();
        try
        {
            for (var move = 1; move <= 200; move++)
            {
                var expected = digests[move % 2];
                Assert.True(await store.Tags.SetAsync(Repository, "latest", expected, Ct));
                // Twice: the first may fill the cache under the new stamp, the second is served from it.
                await PullAsync(store, "latest", expected);
                await PullAsync(store, "latest", expected);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(background);
        }
    }

    private (PullCachedMetadataStore Store, CountedStamps Stamps)? Create()
    {
        if (client is null)
        {
            _ = TestRedis.Address;
            return null;
        }
        var stamps = new CountedStamps(new RedisRepositoryStamps(client, new RedisOutage(NullLogger<RedisOutage>.Instance)));
        return (new PullCachedMetadataStore(new SqliteMetadataStore(Path.Combine(folder, "metadata.db")), stamps, new PulledManifests()), stamps);
    }

    private static async Task<Digest> PutAsync(IMetadataStore store, string name, params string[] tags)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"name":"{{name}}"}""");
        var manifest = new ManifestRecord(Digest.Compute(bytes, Digest.Sha256), "application/vnd.oci.image.manifest.v1+json",
            bytes.Length, null, null, null, DateTimeOffset.UnixEpoch);
        await store.Manifests.PutAsync(Repository, manifest, bytes, Ct);
        foreach (var tag in tags)
        {
            Assert.True(await store.Tags.SetAsync(Repository, tag, manifest.Digest, Ct));
        }
        return manifest.Digest;
    }

    private static async Task PullAsync(IMetadataStore store, string tag, Digest expected) =>
        Assert.Equal(expected, (await store.GetTaggedManifestContentAsync(Repository, tag, Ct))?.Record.Digest);

    /// <summary>The Redis stamps, counting the reads that reach Redis.</summary>
    private sealed class CountedStamps(IRepositoryStamps inner) : IRepositoryStamps
    {
        private int reads;

        public int Reads => Volatile.Read(ref reads);

        public ValueTask<string?> CurrentAsync(RepositoryName repository, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref reads);
            return inner.CurrentAsync(repository, cancellationToken);
        }

        public Task BeginWriteAsync(RepositoryName repository, CancellationToken cancellationToken) => inner.BeginWriteAsync(repository, cancellationToken);

        public Task EndWriteAsync(RepositoryName repository) => inner.EndWriteAsync(repository);
    }
}
