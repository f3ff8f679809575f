using Dockyard.Core.Access;
using StackExchange.Redis;

namespace Dockyard.Redis;

/// <summary>
/// The login throttle's failure counts in Redis, shared by every node: one key per count (<c>dockyard:login:…</c>),
/// created by the first failure with the window as its expiry, so Redis forgets it when the window passes and no sweep
/// is needed. Every failure is also counted in this node's memory: while Redis cannot be reached (see
/// <see cref="RedisOutage"/>) the node answers from those counts, still limiting what reaches it, and a login never
/// fails because Redis is down. When Redis answers, its counts alone are used, so that a success on any node clears the
/// user's count on every node; failures a node counted only in memory during an outage are then no longer seen (each
/// node allowed its own share meanwhile, as a node without Redis does).
/// </summary>
internal sealed class RedisLoginFailureCounts(IConnectionMultiplexer redis, InProcessLoginFailureCounts local, RedisOutage outage) : ILoginFailureCounts
{
    private const string Prefix = "dockyard:login:";

    // INCR and the expiry in one script, so no crash or lost reply between them can leave a count that never expires.
    // PTTL < 0 also mends a key left without an expiry by anything else.
    private const string AddScript = """
        for _, key in ipairs(KEYS) do
          if redis.call('INCR', key) == 1 or redis.call('PTTL', key) < 0 then
            redis.call('PEXPIRE', key, ARGV[1])
          end
        end
        return 0
        """;

    public async Task<int[]> CountAsync(string[] keys, CancellationToken cancellationToken)
    {
        try
        {
            var shared = await redis.GetDatabase().StringGetAsync(Array.ConvertAll(keys, Key));
            outage.Answered();
            return Array.ConvertAll(shared, value => value.TryParse(out int count) ? count : 0);
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            outage.Failed(e);
            return await local.CountAsync(keys, cancellationToken);
        }
    }

    public async Task AddAsync(string[] keys, TimeSpan window, CancellationToken cancellationToken)
    {
        await local.AddAsync(keys, window, cancellationToken);
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(AddScript, Array.ConvertAll(keys, Key),
                [(long)Math.Ceiling(window.TotalMilliseconds)]);
            outage.Answered();
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            outage.Failed(e);
        }
    }

    public async Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        await local.ForgetAsync(key, cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(key));
            outage.Answered();
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            outage.Failed(e);
        }
    }

    private static RedisKey Key(string key) => Prefix + key;
}
