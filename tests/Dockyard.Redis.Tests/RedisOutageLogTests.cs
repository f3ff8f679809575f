using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Dockyard.Redis.Tests;

/// <summary>An outage is logged once when it starts and once when it ends, not on every login in between.</summary>
public sealed class RedisOutageLogTests
{
    [Fact]
    public void One_warning_per_outage_and_one_line_when_redis_is_back()
    {
        var log = new ListLogger();
        var outage = new RedisOutage(log);
        var down = Closed(ConnectionFailureType.SocketClosed);

        outage.Failed(down);
        outage.Failed(down);
        outage.Failed(new RedisTimeoutException(CommandFlags.None, "slow", CommandStatus.Sent));
        Assert.True(outage.IsDown);
        outage.Answered();
        outage.Answered();
        Assert.False(outage.IsDown);
        outage.Failed(down);

        Assert.Equal([LogLevel.Warning, LogLevel.Information, LogLevel.Warning], log.Levels);
        Assert.Contains("[db] redis", log.Messages[0]);
    }

    [Fact]
    public void Only_failures_of_redis_itself_count_as_unavailable()
    {
        Assert.True(RedisOutage.IsUnavailable(Closed(ConnectionFailureType.UnableToConnect)));
        Assert.True(RedisOutage.IsUnavailable(new RedisTimeoutException(CommandFlags.None, "slow", CommandStatus.Sent)));
        Assert.True(RedisOutage.IsUnavailable(new RedisServerException(RedisErrorKind.OutOfMemory, CommandFlags.None, "OOM command not allowed")));
        Assert.False(RedisOutage.IsUnavailable(new InvalidOperationException("a bug")));
        Assert.False(RedisOutage.IsUnavailable(new ArgumentNullException("key")));
    }

    private static RedisConnectionException Closed(ConnectionFailureType type) =>
        new(type, CommandFlags.None, type.ToString(), null, CommandStatus.Unknown);

    private sealed class ListLogger : ILogger<RedisOutage>
    {
        public List<LogLevel> Levels { get; } = [];

        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Messages.Add(formatter(state, exception));
        }
    }
}
