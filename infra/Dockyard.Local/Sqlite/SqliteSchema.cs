using Dockyard.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>One schema step: statements run inside the schema's write transaction.</summary>
internal delegate void SchemaStep(SqliteConnection connection, SqliteTransaction transaction);

/// <summary>
/// The schema steps of the stores sharing one SQLite file (CREATE … IF NOT EXISTS, added columns, migrations), in the
/// order the stores add them. Eager: each runs when it is added, in its own write transaction, as a store built on its
/// own expects. Deferred (the registry's composition): they are queued and run together in one write transaction, one
/// commit and one fsync, on a pool thread when <see cref="Start"/> is first called — by the host as it starts Kestrel,
/// otherwise by the first statement — and every statement waits for that run (<see cref="WaitAsync"/>).
/// </summary>
internal sealed class SqliteSchema(string connectionString, string path, bool deferred)
{
    private readonly object gate = new();
    private List<SchemaStep>? queued = deferred ? [] : null;
    private Task run = Task.CompletedTask;
    private volatile bool prepared = !deferred;
    private bool journalSet;

    /// <summary>True once the queued steps are committed (always, when eager).</summary>
    public bool IsPrepared => prepared;

    public void Add(SchemaStep step)
    {
        Task before;
        lock (gate)
        {
            if (queued is not null)
            {
                queued.Add(step);
                return;
            }
            before = run;
        }
        // Eager, or a store built after the deferred run started (the web UI's key store on the first page): now, as
        // store constructors always did, once that run is done.
        before.GetAwaiter().GetResult();
        Run([step]);
    }

    /// <summary>Starts the queued steps unless they have started; the task completes when they are committed.</summary>
    public Task Start()
    {
        lock (gate)
        {
            if (queued is { } steps)
            {
                queued = null;
                run = Task.Run(() =>
                {
                    try
                    {
                        Run(steps);
                    }
                    catch (Exception e)
                    {
                        throw new InvalidOperationException($"the SQLite metadata file '{path}' could not be prepared: {e.Message}", e);
                    }
                    prepared = true;
                });
            }
            return run;
        }
    }

    /// <summary>Waits for the schema before a statement; starts it when nothing has.</summary>
    /// <exception cref="StorageUnavailableException">The schema could not be created (the host stops when it started the run).</exception>
    public ValueTask WaitAsync(CancellationToken cancellationToken) => prepared ? default : new ValueTask(WaitForRunAsync(cancellationToken));

    private async Task WaitForRunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Start().WaitAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new StorageUnavailableException(e.Message, e, "sqlite");
        }
    }

    private void Run(IReadOnlyList<SchemaStep> steps)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        if (!journalSet)
        {
            using var wal = connection.CreateCommand();
            // Outside any transaction: SQLite cannot change the journal mode inside one. It stays set in the file.
            wal.CommandText = "PRAGMA journal_mode = WAL";
            wal.ExecuteNonQuery();
            journalSet = true;
        }
        // One transaction for all the steps: each statement on its own would be a commit of its own, with its own fsync,
        // and a fresh registry's stores ran about forty of them before the first request. A crash part-way leaves no
        // half-made schema.
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var step in steps)
        {
            step(connection, transaction);
        }
        transaction.Commit();
    }
}
