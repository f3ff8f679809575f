using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Dockyard.Bench.Scale;

/// <summary>
/// Writes the plan fast: the rows <see cref="StoreWriter"/> would make, with the SQL of the SQLite stores, in large
/// transactions on one connection, and the blob files at the paths of the file-system store, written on a second
/// thread. The schema is the stores' own (they are constructed on the folder first). bench/lib/scale_check.sh
/// compares the result with <see cref="StoreWriter"/>'s, row by row and file by file.
/// </summary>
internal sealed class DirectWriter(string dataPath)
{
    private const int RepositoriesPerTransaction = 2000;

    private readonly string blobsRoot = Path.Combine(dataPath, "blobs");

    public async Task WriteAsync(ScalePlan plan, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var files = Channel.CreateBounded<Blob>(new BoundedChannelOptions(20_000) { SingleWriter = true });
        var fileWriter = Task.Run(() => WriteFiles(files.Reader, cancellationToken), cancellationToken);
        try
        {
            await WriteRowsAsync(plan, files.Writer, cancellationToken);
            Console.WriteLine($"rows written: {clock.Elapsed.TotalSeconds:F1} s");
            for (var index = 0; index < plan.Orphans; index++)
            {
                await files.Writer.WriteAsync(ScalePlan.Orphan(index), cancellationToken);
            }
        }
        finally
        {
            files.Writer.TryComplete();
        }
        await fileWriter;
    }

    private async Task WriteRowsAsync(ScalePlan plan, ChannelWriter<Blob> files, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataPath, "metadata.db") }.ToString());
        await connection.OpenAsync(cancellationToken);
        Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
        var now = Format(DateTimeOffset.UtcNow);
        var rows = new Rows(connection);
        for (var first = 0; first < plan.Repositories; first += RepositoriesPerTransaction)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            rows.Use(transaction);
            for (var index = first; index < Math.Min(plan.Repositories, first + RepositoriesPerTransaction); index++)
            {
                var repository = plan.Repository(index);
                var name = repository.Name.Value;
                rows.Repository(name);
                foreach (var blob in repository.StaleLinks.Prepend(repository.Layer).Prepend(repository.Config))
                {
                    rows.Link(name, blob, now);
                    await files.WriteAsync(blob, cancellationToken);
                }
                foreach (var image in repository.Manifests)
                {
                    var parsed = ManifestParser.Parse(image.Manifest.Bytes, ScalePlan.ManifestMediaType);
                    rows.Manifest(name, parsed, image.Manifest.Bytes, now);
                    rows.Link(name, image.Manifest, now);
                    if (image.Tag is { } tag)
                    {
                        rows.Tag(name, tag, parsed.Digest);
                    }
                    await files.WriteAsync(image.Manifest, cancellationToken);
                }
            }
            transaction.Commit();
        }
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    // Published blobs are immutable and content-addressed: one already there (a shared layer) is left as it is.
    // Synchronous writes on a few threads: a file costs a few system calls, and a busy host shares its cores per thread.
    private void WriteFiles(ChannelReader<Blob> blobs, CancellationToken cancellationToken)
    {
        var folders = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Parallel.ForEach(blobs.ReadAllAsync(cancellationToken).ToBlockingEnumerable(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, blob =>
            {
                var folder = Path.Combine(blobsRoot, blob.Digest.Algorithm, blob.Digest.Hex[..2]);
                if (!folders.ContainsKey(folder))
                {
                    Directory.CreateDirectory(folder); // safe when another thread creates it at the same time
                    folders.TryAdd(folder, true);
                }
                try
                {
                    using var file = new FileStream(Path.Combine(folder, blob.Digest.Hex), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 0);
                    file.Write(blob.Bytes);
                }
                catch (IOException) when (File.Exists(Path.Combine(folder, blob.Digest.Hex)))
                {
                    // written before (a layer shared by several repositories)
                }
            });
    }

    // As SqliteTime.Format in Dockyard.Local: round-trip text in UTC.
    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The stores' insert statements, prepared once and rebound per row.</summary>
    private sealed class Rows(SqliteConnection connection)
    {
        private readonly SqliteCommand repository = Prepare(connection, "INSERT OR IGNORE INTO repositories (name) VALUES ($repository)");
        private readonly SqliteCommand link = Prepare(connection,
            "INSERT OR REPLACE INTO blob_links (repository, digest, size, linked_at) VALUES ($repository, $digest, $size, $now)");
        // The store starts a manifest's collection clock when it stores it (touched_at = now), tagged or not.
        private readonly SqliteCommand manifest = Prepare(connection, """
            INSERT OR IGNORE INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, created_at, touched_at)
            VALUES ($repository, $digest, $media_type, $size, $subject, $artifact_type, $annotations, $created_at, $touched_at)
            """);
        // As the store's ManifestBytes: the bytes and a copy of the record in their own rowid table, the record
        // pointing at them, and each tag pointing at them too.
        private readonly SqliteCommand bytes = Prepare(connection, """
            INSERT INTO manifest_bytes (content, digest, media_type, size, subject, artifact_type, annotations, created_at)
            SELECT $content, digest, media_type, size, subject, artifact_type, annotations, created_at FROM manifests
            WHERE repository = $repository AND digest = $digest
            """);
        private readonly SqliteCommand attach = Prepare(connection,
            "UPDATE manifests SET content_id = last_insert_rowid() WHERE repository = $repository AND digest = $digest");
        private readonly SqliteCommand tag = Prepare(connection, """
            INSERT OR REPLACE INTO tags (repository, tag, digest, content_id)
            VALUES ($repository, $tag, $digest, (SELECT content_id FROM manifests WHERE repository = $repository AND digest = $digest))
            """);

        public void Use(SqliteTransaction transaction)
        {
            repository.Transaction = link.Transaction = manifest.Transaction = bytes.Transaction = attach.Transaction = tag.Transaction = transaction;
        }

        public void Repository(string name) => Run(repository, name);

        public void Link(string name, Blob blob, string now) => Run(link, name, blob.Digest.Value, (long)blob.Bytes.Length, now);

        // The record as ManifestService.PutAsync builds it, with the bytes SQLite keeps inline (StoredManifest.InlineLimit).
        public void Manifest(string name, ParsedManifest parsed, byte[] content, string now)
        {
            var inserted = Run(manifest, name, parsed.Digest.Value, parsed.MediaType, parsed.Size, parsed.Subject?.Digest.Value, parsed.EffectiveArtifactType,
                parsed.Annotations is null ? null : JsonSerializer.Serialize(parsed.Annotations), now, now);
            if (inserted > 0 && content.Length <= StoredManifest.InlineLimit)
            {
                Run(bytes, content, name, parsed.Digest.Value);
                Run(attach, name, parsed.Digest.Value);
            }
        }

        public void Tag(string name, string tagName, Digest digest) => Run(tag, name, tagName, digest.Value);

        private static SqliteCommand Prepare(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in sql.Split(['(', ')', ',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith('$')).Distinct())
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }
            return command;
        }

        private static int Run(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            return command.ExecuteNonQuery();
        }
    }
}
