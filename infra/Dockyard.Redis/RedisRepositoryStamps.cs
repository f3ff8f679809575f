using Dockyard.Core.Errors;
using Dockyard.Core.Metadata.PullCache;
using Dockyard.Core.Names;
using StackExchange.Redis;

namespace Dockyard.Redis;

/// <summary>
/// Repository stamps in Redis, one hash per repository (<c>dockyard:stamp:&lt;name&gt;</c>): field <c>s</c> the stamp, a
/// random value never reused (so a Redis that restarts empty cannot hand out an old one), field <c>w</c> the writes
/// under way. A write first counts itself in <c>w</c> and deletes <c>s</c>, with an expiry on the whole hash; its end
/// counts itself out and, the last one out, sets a fresh <c>s</c> and drops the expiry. A read trusts <c>s</c> only
/// while no write is counted; with no <c>s</c> it sets one for the next read (if still none) and answers null. A write
/// whose end never reaches Redis (a crash, an outage) leaves <c>w</c> counted, so the hash, stamp and all, expires
/// after <see cref="WriteMark"/> and the next read starts a fresh stamp. Each stamp handed out carries this node's
/// connection epoch, which moves on whenever the connection to Redis fails or Redis does not answer, so what a node
/// remembered from before an outage (a Redis restored from an old snapshot included) is never taken as current.
/// </summary>
internal sealed class RedisRepositoryStamps : IRepositoryStamps
{
    /// <summary>How long a write's mark lasts when its end never comes: longer than any metadata write takes.</summary>
    public static readonly TimeSpan WriteMark = TimeSpan.FromMinutes(10);

    private const string Prefix = "dockyard:stamp:";
    private static readonly RedisValue[] Fields = ["s", "w"];

    private const string BeginScript = """
        redis.call('HINCRBY', KEYS[1], 'w', 1)
        redis.call('HDEL', KEYS[1], 's')
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 0
        """;

    private const string EndScript = """
        if redis.call('HINCRBY', KEYS[1], 'w', -1) <= 0 then
          redis.call('HDEL', KEYS[1], 'w')
          redis.call('HSET', KEYS[1], 's', ARGV[1])
          redis.call('PERSIST', KEYS[1])
        end
        return 0
        """;

    private readonly IConnectionMultiplexer redis;
    private readonly RedisOutage outage;
    private long epoch;

    public RedisRepositoryStamps(IConnectionMultiplexer redis, RedisOutage outage)
    {
        this.redis = redis;
        this.outage = outage;
        redis.ConnectionFailed += (_, _) => NextEpoch();
        redis.ConnectionRestored += (_, _) => NextEpoch();
    }

    public async ValueTask<string?> CurrentAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        // Read before Redis is asked: a failure noticed meanwhile makes what this read returns already outdated.
        var current = Interlocked.Read(ref epoch);
        if (!redis.IsConnected)
        {
            // Without a connection every command would fail anyway; a pull must not wait for it.
            NextEpoch();
            return null;
        }
        try
        {
            var key = Key(repository);
            var values = await redis.GetDatabase().HashGetAsync(key, Fields);
            outage.Answered();
            if (!values[1].IsNull)
            {
                return null;
            }
            if (values[0].IsNull)
            {
                await redis.GetDatabase().HashSetAsync(key, "s", NewStamp(), When.NotExists);
                return null;
            }
            return string.Concat(values[0].ToString(), "@", current.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            Failed(e);
            return null;
        }
    }

    public async Task BeginWriteAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(BeginScript, [Key(repository)], [(long)WriteMark.TotalMilliseconds]);
            outage.Answered();
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            Failed(e);
            throw new StorageUnavailableException(
                $"Redis ([db] redis) cannot mark the write to {repository.Value}, so nodes could go on serving what it replaces; nothing was written: {e.Message}",
                e, "redis");
        }
    }

    public async Task EndWriteAsync(RepositoryName repository)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(EndScript, [Key(repository)], [NewStamp()]);
            outage.Answered();
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            // The mark stays until it expires: no node trusts a stamp of this repository meanwhile.
            Failed(e);
        }
    }

    private void Failed(Exception e)
    {
        NextEpoch();
        outage.Failed(e);
    }

    private void NextEpoch() => Interlocked.Increment(ref epoch);

    private static RedisKey Key(RepositoryName repository) => Prefix + repository.Value;

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
