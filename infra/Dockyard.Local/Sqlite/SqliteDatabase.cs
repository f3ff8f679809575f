using System.Runtime.CompilerServices;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// The SQLite file holding Dockyard's metadata: schema creation, connections (pooled by Microsoft.Data.Sqlite) and
/// small command helpers. WAL mode lets readers proceed while a writer commits. A lock held past the busy timeout, an
/// I/O error or a full disk surfaces as <see cref="StorageUnavailableException"/> (503 with Retry-After).
/// </summary>
public sealed class SqliteDatabase : IStorePreparation, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS repositories (name TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS blob_links (
            repository TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
            PRIMARY KEY (repository, digest)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS manifests (
            repository TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
            subject TEXT, artifact_type TEXT, annotations TEXT, created_at TEXT NOT NULL,
            PRIMARY KEY (repository, digest)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS referrers (
            repository TEXT NOT NULL, subject TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL,
            size INTEGER NOT NULL, artifact_type TEXT, annotations TEXT,
            PRIMARY KEY (repository, subject, digest)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tags (
            repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL,
            PRIMARY KEY (repository, tag)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tags_by_digest ON tags (repository, digest);
        CREATE TABLE IF NOT EXISTS uploads (
            repository TEXT NOT NULL, id TEXT NOT NULL, size INTEGER NOT NULL, parts TEXT NOT NULL, started_at TEXT NOT NULL,
            PRIMARY KEY (repository, id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS uploads_by_start ON uploads (started_at);
        """;

    private static readonly object Marker = new();

    // The native connections already configured (see Configure); weak, so a connection the pool closes drops out.
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = new();

    // The connections write transactions run on, each with its prepared statements; looked up by the statement helpers.
    private static readonly ConditionalWeakTable<SqliteConnection, SqliteSession> Writers = new();

    private readonly string connectionString;
    private readonly string writerConnectionString;
    private readonly SqliteReadSessions reads;
    private readonly SqliteSchema schema;
    private readonly SqliteWriteGate writes;

    // This process's write connection between two turns of the gate (null while a turn uses it, or before the first).
    private SqliteSession? writer;
    private volatile bool disposed;

    public SqliteDatabase(string path, SqliteDatabaseOptions? options = null)
    {
        options ??= new();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        CreateOwnerOnly(path);
        var busySeconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // The driver retries a busy or locked statement for this long (BeginTransaction's BEGIN included).
            DefaultTimeout = busySeconds,
        }.ToString();
        // Not pooled: the write connection is kept open anyway, and one closed after a failed write must not come back.
        writerConnectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        reads = new SqliteReadSessions(OpenAsync);
        writes = new SqliteWriteGate(TimeSpan.FromSeconds(busySeconds));
        schema = new SqliteSchema(connectionString, path, options.DeferSchema);
        EnsureSchema(Schema);
    }

    // The file holds password hashes. SQLite would create it 0644 (less the umask), and it gives the -wal and -shm files
    // the mode of the database file, so creating that one 0600 first keeps all three to the server's own user.
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; its creator chose the mode.
        }
    }

    /// <summary>
    /// Adds idempotent DDL (CREATE … IF NOT EXISTS) for a store that keeps its tables in this file, run in the schema's
    /// write transaction (so without BEGIN or COMMIT of its own): at once, or with the others when the schema is deferred
    /// (<see cref="SqliteDatabaseOptions.DeferSchema"/>).
    /// </summary>
    public void EnsureSchema(string ddl) => schema.Add((connection, transaction) => Execute(connection, transaction, ddl));

    /// <summary>As <see cref="EnsureSchema"/>, run only when the file has a table named <paramref name="table"/> (a schema an older version wrote).</summary>
    public void EnsureSchemaIfTableExists(string table, string ddl) => schema.Add((connection, transaction) =>
    {
        using var probe = Command(connection, transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $table", [("$table", table)]);
        if ((long)probe.ExecuteScalar()! > 0)
        {
            Execute(connection, transaction, ddl);
        }
    });

    /// <summary>Adds a nullable column to a table of a file written by an older version; no effect when it is there.</summary>
    public void EnsureColumn(string table, string column, string type) => schema.Add((connection, transaction) =>
    {
        using var probe = Command(connection, transaction, "SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column",
            [("$table", table), ("$column", column)]);
        if ((long)probe.ExecuteScalar()! == 0)
        {
            Execute(connection, transaction, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
        }
    });

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql, []);
        command.ExecuteNonQuery();
    }

    string IStorePreparation.Store => "sqlite";

    /// <inheritdoc/>
    public bool IsPrepared => schema.IsPrepared;

    /// <inheritdoc/>
    public Task PrepareAsync() => schema.Start();

    /// <exception cref="StorageUnavailableException">The schema could not be created.</exception>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(connectionString, cancellationToken);

    private async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        await schema.WaitAsync(cancellationToken);
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!Configured.TryGetValue(connection.Handle!, out _))
        {
            await Configure(connection, cancellationToken);
        }
        return connection;
    }

    // Per-connection settings, applied once to each pooled connection rather than on every use. WAL with
    // synchronous=NORMAL stays consistent after any crash; only the last commits can roll back on power loss.
    // Not memory-mapped reads: each pooled connection maps the file on its own and faults its pages in again, which
    // measured three times slower on manifest GETs over a 900 MiB file, and counts the pages in the process's RSS.
    // The query planner stability guarantee (QPSG) keeps a kept statement prepared: without it SQLite (3.4x and later)
    // reads a bound LIMIT when it plans, and then expires the statement whenever that parameter is bound again, so every
    // listing (`LIMIT $limit`: tags, catalog, referrers…) was parsed and planned anew on each run. No statement here
    // relies on a bound value for its plan (no LIKE; this SQLite has no STAT4), so the plans are the same.
    private static async Task Configure(SqliteConnection connection, CancellationToken cancellationToken)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_db_config(connection.Handle!, raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out _), connection.Handle);
        await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL", cancellationToken);
        Configured.AddOrUpdate(connection.Handle!, Marker);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE, so writers queue instead of failing later),
    /// after this process's earlier writers (<see cref="SqliteWriteGate"/>).
    /// </summary>
    /// <remarks>
    /// Writers take turns, so one connection serves them all, kept open with its prepared statements: opening a pooled
    /// connection and parsing every statement again held the gate about as long as the writing did, four times per
    /// pushed layer. A write that did not commit leaves its connection in any state: it is closed (not pooled), the next
    /// write opens another.
    /// </remarks>
    /// <exception cref="StorageUnavailableException">The write lock stayed taken past the busy timeout, or the disk failed or is full; nothing was written.</exception>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) => Guard(async () =>
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        var session = Interlocked.Exchange(ref writer, null) ?? await OpenWriterAsync(cancellationToken);
        var committed = false;
        try
        {
            await using var transaction = session.Connection.BeginTransaction(deferred: false);
            var result = await work(session.Connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            committed = true;
            return result;
        }
        finally
        {
            if (committed && !disposed)
            {
                writer = session;
                if (disposed)
                {
                    Interlocked.Exchange(ref writer, null)?.Dispose();
                }
            }
            else
            {
                session.Dispose();
            }
        }
    });

    private async Task<SqliteSession> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var session = new SqliteSession(await OpenAsync(writerConnectionString, cancellationToken));
        Writers.AddOrUpdate(session.Connection, session);
        return session;
    }

    /// <summary>One statement in its own write transaction; returns the rows changed.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        WriteAsync((c, t) => ExecuteAsync(c, t, sql, cancellationToken, parameters), cancellationToken);

    /// <summary>One statement on <paramref name="connection"/> (in <paramref name="transaction"/>, null: none); returns the rows changed.</summary>
    public static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        if (Writers.TryGetValue(connection, out var session))
        {
            return await session.Command(sql, parameters, transaction).ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <exception cref="StorageUnavailableException">The file could not be read for now (locked past the busy timeout, an I/O error).</exception>
    public Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Guard(async () =>
        {
            var session = await reads.RentAsync(cancellationToken);
            var completed = false;
            try
            {
                var result = new List<T>();
                await using (var reader = await session.Command(sql, parameters).ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        result.Add(map(reader));
                    }
                }
                completed = true;
                return result;
            }
            finally
            {
                // A query that failed or was cancelled part-way may leave its statement in any state: not reused.
                if (completed)
                {
                    reads.Return(session);
                }
                else
                {
                    session.Dispose();
                }
            }
        });

    /// <summary>
    /// Closes the connections kept open for reads and writes (a write still running closes its own when it ends; the
    /// pooled ones close with Microsoft.Data.Sqlite's pool).
    /// </summary>
    public void Dispose()
    {
        disposed = true;
        Interlocked.Exchange(ref writer, null)?.Dispose();
        reads.Dispose();
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        var rows = await QueryAsync(sql, map, cancellationToken, parameters);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Deletes the rows of <paramref name="repository"/> from each of <paramref name="tables"/> (all with a <c>repository</c> column) in one transaction.</summary>
    public Task DeleteRepositoryRowsAsync(string repository, CancellationToken cancellationToken, params string[] tables) =>
        WriteAsync(async (c, t) =>
        {
            foreach (var table in tables)
            {
                await ExecuteAsync(c, t, $"DELETE FROM {table} WHERE repository = $repository", cancellationToken, ("$repository", repository));
            }
            return tables.Length;
        }, cancellationToken);

    /// <summary>
    /// Every statement of the stores runs in <see cref="WriteAsync"/> or <see cref="QueryAsync"/>, which hand their
    /// transient failures here: one place for the mapping to 503, none in the stores.
    /// </summary>
    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (SqliteException e) when (SqliteFaults.IsTransient(e))
        {
            throw SqliteFaults.Unavailable(e);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
