using MySqlConnector;

namespace Dockyard.MySql;

/// <summary>
/// The MySQL/MariaDB database holding Dockyard's metadata: pooled connections, one transaction helper and small
/// command helpers. Statements run with the found-rows count (MySqlConnector's default), so an UPDATE reports the rows
/// its WHERE matched, as SQLite does, whether or not a value changed. A server that cannot be reached, runs out of
/// connections or does not grant a lock surfaces as <see cref="Core.Errors.StorageUnavailableException"/> (503 with Retry-After).
/// </summary>
public sealed class MySqlDatabase
{
    private const int DeadlockAttempts = 3;

    public MySqlDatabase(MySqlStoreOptions options)
    {
        var (host, port) = MySqlStoreOptions.ParseUri(options.Uri ?? "") ?? throw new ArgumentException($"[db] uri = '{options.Uri}': expected host or host:port");
        ConnectionString = new MySqlConnectionStringBuilder
        {
            Server = host,
            Port = (uint)port,
            UserID = options.User,
            Password = options.Password ?? "",
            Database = options.Database,
            CharacterSet = "utf8mb4",
            ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(options.ConnectTimeout.TotalSeconds)),
            Pooling = true,
            MaximumPoolSize = (uint)options.MaxConnections,
            // No reset (and the SET NAMES that follows it) each time a pooled connection is taken: two round trips
            // of the three a manifest GET cost. Safe because the stores leave no session state behind: every
            // transaction ends before the connection goes back, and the migrator releases its named lock.
            ConnectionReset = false,
        }.ConnectionString;
        DatabaseName = options.Database!;
    }

    public string ConnectionString { get; }

    public string DatabaseName { get; }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, again from the start when InnoDB chose it as a deadlock's victim
    /// (it was rolled back whole), up to three times in all.
    /// </summary>
    /// <exception cref="Core.Errors.StorageUnavailableException">The server is unreachable or the locks stayed contended; nothing was written.</exception>
    public Task<T> WriteAsync<T>(Func<MySqlConnection, MySqlTransaction, Task<T>> work, CancellationToken cancellationToken) => Guard(async () =>
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (MySqlException e) when (MySqlFaults.IsDeadlock(e) && attempt < DeadlockAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)), cancellationToken);
            }
        }
    });

    /// <summary>One statement on its own (autocommit); returns the rows it matched.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        OnConnectionAsync(c => ExecuteAsync(c, null, sql, cancellationToken, parameters), cancellationToken);

    public static async Task<int> ExecuteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An INSERT on its own; false when a row with its key is there (the insert-if-absent of the ports).</summary>
    public Task<bool> TryInsertAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        OnConnectionAsync(c => TryInsertAsync(c, null, sql, cancellationToken, parameters), cancellationToken);

    /// <summary>
    /// As above inside a transaction. A duplicate key fails only the statement (InnoDB keeps the transaction), unlike
    /// INSERT IGNORE, which would also turn a too-long value into a silent truncation.
    /// </summary>
    public static async Task<bool> TryInsertAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        try
        {
            return await ExecuteAsync(connection, transaction, sql, cancellationToken, parameters) > 0;
        }
        catch (MySqlException e) when (MySqlFaults.IsDuplicateKey(e))
        {
            return false;
        }
    }

    /// <summary>The rows of a SELECT, each read by <paramref name="map"/>.</summary>
    /// <exception cref="Core.Errors.StorageUnavailableException">The server could not answer for now.</exception>
    public Task<List<T>> QueryAsync<T>(string sql, Func<MySqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(sql, prepared: false, map, cancellationToken, parameters);

    /// <summary>
    /// As <see cref="QuerySingleAsync"/>, as a server-side prepared statement, for the reads every pull makes: the
    /// server parses and plans the SQL once per pooled connection (which keeps its statements, connections not being
    /// reset) instead of once per request, and the rows come back in the binary protocol.
    /// </summary>
    public async Task<T?> QueryPreparedSingleAsync<T>(string sql, Func<MySqlDataReader, T> map, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
        where T : class =>
        (await QueryAsync(sql, prepared: true, map, cancellationToken, parameters)).FirstOrDefault();

    private Task<List<T>> QueryAsync<T>(string sql, bool prepared, Func<MySqlDataReader, T> map, CancellationToken cancellationToken,
        (string Name, object? Value)[] parameters) =>
        OnConnectionAsync(async connection =>
        {
            await using var command = Command(connection, null, sql, parameters);
            if (prepared)
            {
                // A no-op once this connection has prepared the same text.
                await command.PrepareAsync(cancellationToken);
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }
            return rows;
        }, cancellationToken);

    /// <summary>The first row of a SELECT by key; null when there is none.</summary>
    public async Task<T?> QuerySingleAsync<T>(string sql, Func<MySqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class =>
        (await QueryAsync(sql, map, cancellationToken, parameters)).FirstOrDefault();

    /// <summary>Deletes the rows of <paramref name="repository"/> from each of <paramref name="tables"/> (all with a <c>repository</c> column) in one transaction.</summary>
    public Task DeleteRepositoryRowsAsync(string repository, CancellationToken cancellationToken, params string[] tables) =>
        WriteAsync((c, t) => ExecuteAsync(c, t, string.Concat(tables.Select(table => $"DELETE FROM {table} WHERE repository = @repository;")),
            cancellationToken, ("@repository", repository)), cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a pooled connection of its own (autocommit), mapping transient failures to 503.</summary>
    private Task<T> OnConnectionAsync<T>(Func<MySqlConnection, Task<T>> work, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    });

    /// <summary>Every statement of the stores runs through here: one place maps the transient failures to 503.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (MySqlFaults.IsTransient(e))
        {
            throw MySqlFaults.Unavailable(e);
        }
    }

    private static MySqlCommand Command(MySqlConnection connection, MySqlTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new MySqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters.Select(p => new MySqlParameter(p.Name, p.Value ?? DBNull.Value)).ToArray());
        return command;
    }
}
