using Dockyard.Conformance.Metadata;
using Dockyard.Core.Metadata;
using Dockyard.Core.Metadata.PullCache;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dockyard.Redis.Tests;

/// <summary>
/// The shared metadata conformance through the pull cache (a SQLite store behind it, stamps in the test Redis): the
/// cache changes nothing a store promises, its races included.
/// </summary>
public sealed class PullCachedStoreConformanceTests : MetadataStoreConformance
{
    private const int Database = 7;
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-pull-cache-conformance-").FullName;
    private ConnectionMultiplexer? client;

    protected override bool KeepsManifestBytesInline => true;

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        if (TestRedis.Address is not { } redis)
        {
            throw new SkipException("no test Redis");
        }
        await TestRedis.FlushAsync(redis, Database);
        client = await TestRedis.ConnectAsync(redis, Database);
        return new PullCachedMetadataStore(new SqliteMetadataStore(Path.Combine(folder, "metadata.db")),
            new RedisRepositoryStamps(client, new RedisOutage(NullLogger<RedisOutage>.Instance)), new PulledManifests());
    }

    protected override async Task DestroyStoreAsync(IMetadataStore store)
    {
        SqliteConnection.ClearAllPools();
        if (client is not null)
        {
            await client.DisposeAsync();
        }
        Directory.Delete(folder, recursive: true);
    }
}
