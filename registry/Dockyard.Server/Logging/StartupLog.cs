namespace Dockyard.Server.Logging;

/// <summary>
/// The logger start-up hands the composition (<c>AddDockyardRegistry</c>) before the host's logging exists. It keeps
/// each entry, structured state included, and writes them to the host's own logger once that is built
/// (<see cref="WriteTo"/>): a second LoggerFactory with its own console provider and queue thread, built on every
/// start for the one or two lines most starts never write, cost about a tenth of a cold start.
/// </summary>
internal sealed class StartupLog : ILogger
{
    private readonly List<Action<ILogger>> entries = [];

    public bool HasEntries
    {
        get
        {
            lock (entries)
            {
                return entries.Count > 0;
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    // The host's logger filters by level when the entries are written to it.
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add(logger => logger.Log(logLevel, eventId, state, exception, formatter));
        }
    }

    /// <summary>Writes the entries kept so far to <paramref name="logger"/>, in order, and forgets them.</summary>
    public void WriteTo(ILogger logger)
    {
        Action<ILogger>[] kept;
        lock (entries)
        {
            kept = [.. entries];
            entries.Clear();
        }
        foreach (var entry in kept)
        {
            entry(logger);
        }
    }
}
