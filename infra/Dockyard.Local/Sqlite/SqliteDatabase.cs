using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// The SQLite file holding Dockyard's metadata: schema creation, connections (pooled by Microsoft.Data.Sqlite) and
/// small command helpers. WAL mode lets readers proceed while a writer commits.
/// </summary>
public sealed class SqliteDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
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

    private readonly string connectionString;

    public SqliteDatabase(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        CreateOwnerOnly(path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
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

    /// <summary>Runs idempotent DDL (CREATE … IF NOT EXISTS) for a store that keeps its tables in this file.</summary>
    public void EnsureSchema(string ddl)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = ddl;
        command.ExecuteNonQuery();
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE, so writers queue instead of failing later).</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // WAL with synchronous=NORMAL stays consistent after any crash; only the last commits can roll back on power loss.
        await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL", cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>One statement in its own write transaction; returns the rows changed.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        WriteAsync((c, t) => ExecuteAsync(c, t, sql, cancellationToken, parameters), cancellationToken);

    public static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(map(reader));
        }
        return result;
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        var rows = await QueryAsync(sql, map, cancellationToken, parameters);
        return rows.Count == 0 ? null : rows[0];
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
