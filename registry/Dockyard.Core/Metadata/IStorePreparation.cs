namespace Dockyard.Core.Metadata;

/// <summary>
/// Work a store must finish before its first statement (the SQLite file's schema and migrations), which the host starts
/// while it begins to serve rather than before. Every operation of the store waits for it, so a request that arrives
/// first is answered late, never on a half-made schema. Stores with nothing to prepare, or that prepare while they are
/// registered (MySQL migrates there), register none.
/// </summary>
public interface IStorePreparation
{
    /// <summary>The store as metrics and logs name it (<c>sqlite</c>).</summary>
    string Store { get; }

    /// <summary>True once the work has completed; false before it starts, while it runs and after it failed.</summary>
    bool IsPrepared { get; }

    /// <summary>
    /// Starts the work unless it has started (the store's first operation starts it too) and returns it: it completes
    /// when the store is ready and faults with the reason it never will be (a file that is not a database, a read-only
    /// folder), naming the file or key to check.
    /// </summary>
    Task PrepareAsync();
}
