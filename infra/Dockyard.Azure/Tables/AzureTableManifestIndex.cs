using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Manifests (rows <c>m␣!digest</c>) and referrer entries (rows <c>r␣!subject␣!digest</c>) in the repository's
/// partition of the <c>manifests</c> table, next to the tags, so that every multi-row step is one entity group
/// transaction. A manifest row's TouchedAt (set when stored, re-put, tagged or touched) is garbage collection's clock.
/// </summary>
internal sealed class AzureTableManifestIndex(AzureTables tables) : IManifestIndex
{
    private const string Kind = "m";
    private const string ReferrerKind = "r";
    private const int MaxAttempts = 10;

    private TableClient Table => tables["manifests"];

    public async Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Join(Kind, digest.Value), cancellationToken) is { } row
            ? Read(digest, row)
            : null;

    public async Task<IReadOnlyList<ManifestRecord>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(repository.Value);
        var (low, high) = TableKey.Range(Kind);
        var rows = await AzureTables.QueryAsync(Table, AzureTables.Rows(partition, after is null ? low : TableKey.Join(Kind, after), high), limit, cancellationToken);
        return [.. rows.Select(r => Read(Digest.Parse(TableKey.Split(r.RowKey)[1]), r))];
    }

    public Task<bool> TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        TouchAsync(Table, TableKey.Escape(repository.Value), digest, cancellationToken);

    /// <summary>
    /// Garbage collection's delete. The manifest row is deleted only in the version read before the tags were checked:
    /// a tag set, a re-put or a touch in between rewrites the row (TouchedAt), so the delete fails (412) and nothing
    /// is removed; one that comes after finds the row gone (404) and writes nothing.
    /// </summary>
    public async Task<bool> DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(repository.Value);
        if (await AzureTables.GetAsync(Table, partition, TableKey.Join(Kind, digest.Value), cancellationToken) is not { } manifest
            || LastUsed(manifest) >= untouchedSince)
        {
            return false;
        }
        var tagFilter = AzureTables.Prefixed(partition, AzureTableTagIndex.Kind) + " and " + TableClient.CreateQueryFilter($"Digest eq {digest.Value}");
        if ((await AzureTables.QueryAsync(Table, tagFilter, 1, cancellationToken)).Count > 0)
        {
            return false;
        }
        var actions = new List<TableTransactionAction>();
        if (ParseDigest(manifest.GetString("Subject")) is { } subject)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, TableKey.Join(ReferrerKind, subject.Value, digest.Value)), ETag.All));
        }
        actions.Add(new(TableTransactionActionType.Delete, manifest, manifest.ETag));
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Sets the manifest row's TouchedAt to now; false when the partition holds no such manifest.</summary>
    internal static async Task<bool> TouchAsync(TableClient table, string partition, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(Touch(partition, digest), ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The merge that marks the manifest as used now (what <see cref="TouchAsync(TableClient, string, Digest, CancellationToken)"/> and a tag set write).</summary>
    internal static TableEntity Touch(string partition, Digest digest) =>
        new(partition, TableKey.Join(Kind, digest.Value)) { ["TouchedAt"] = AzureTables.Time(DateTimeOffset.UtcNow) };

    public async Task PutAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        // The repository entry is another table, so it is written first: a crash in between leaves an empty
        // repository listed, never a manifest in an unlisted one.
        await AzureTableRepositoryIndex.EnsureAsync(tables, repository, cancellationToken);
        var partition = TableKey.Escape(repository.Value);
        var row = new TableEntity(partition, TableKey.Join(Kind, manifest.Digest.Value))
        {
            ["MediaType"] = manifest.MediaType,
            ["Size"] = manifest.Size,
            ["Subject"] = manifest.Subject?.Value,
            ["ArtifactType"] = manifest.ArtifactType,
            ["CreatedAt"] = AzureTables.Time(manifest.CreatedAt),
            ["TouchedAt"] = AzureTables.Time(DateTimeOffset.UtcNow),
        };
        LongText.Write(row, "Annotations", manifest.AnnotationsJson);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, row) };
        if (manifest.Subject is { } subject)
        {
            var referrer = new TableEntity(partition, TableKey.Join(ReferrerKind, subject.Value, manifest.Digest.Value))
            {
                ["MediaType"] = manifest.MediaType,
                ["Size"] = manifest.Size,
                ["ArtifactType"] = manifest.ArtifactType,
            };
            LongText.Write(referrer, "Annotations", manifest.AnnotationsJson);
            actions.Add(new(TableTransactionActionType.UpsertReplace, referrer));
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Add fails when the digest is stored already, and then the referrer entry is not touched either.
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
            }
            // Stored already: a re-put is a use. Gone again (collected in between): add it after all.
            if (await TouchAsync(Table, partition, manifest.Digest, cancellationToken) || attempt == MaxAttempts)
            {
                return;
            }
        }
    }

    public async Task<bool> DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(repository.Value);
        var tagFilter = AzureTables.Prefixed(partition, AzureTableTagIndex.Kind) + " and " + TableClient.CreateQueryFilter($"Digest eq {digest.Value}");
        for (var attempt = 1; ; attempt++)
        {
            var manifest = await AzureTables.GetAsync(Table, partition, TableKey.Join(Kind, digest.Value), cancellationToken);
            var tags = await AzureTables.QueryAsync(Table, tagFilter, null, cancellationToken);
            // Each tag is deleted only in the version that was read: a tag moved to another manifest meanwhile fails
            // the transaction (412) and the next attempt reads again.
            var actions = tags.Select(t => new TableTransactionAction(TableTransactionActionType.Delete, t, t.ETag)).ToList();
            if (manifest is not null)
            {
                if (ParseDigest(manifest.GetString("Subject")) is { } subject)
                {
                    actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, TableKey.Join(ReferrerKind, subject.Value, digest.Value)), ETag.All));
                }
                // The manifest row goes in the last batch, so that it disappears only with (or after) every tag.
                actions.Add(new(TableTransactionActionType.Delete, manifest, manifest.ETag));
            }
            try
            {
                await AzureTables.SubmitAsync(Table, actions, cancellationToken);
                return manifest is not null;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412 && attempt < MaxAttempts)
            {
            }
        }
    }

    public async Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken)
    {
        var rows = await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(repository.Value), ReferrerKind, subject.Value), null, cancellationToken);
        return [.. rows.Select(r => new ReferrerRecord(subject, Digest.Parse(TableKey.Split(r.RowKey)[2]), r.GetString("MediaType"),
            r.GetInt64("Size") ?? 0, r.GetString("ArtifactType"), LongText.Read(r, "Annotations")))];
    }

    private static ManifestRecord Read(Digest digest, TableEntity row) =>
        new(digest, row.GetString("MediaType"), row.GetInt64("Size") ?? 0, ParseDigest(row.GetString("Subject")),
            row.GetString("ArtifactType"), LongText.Read(row, "Annotations"), AzureTables.ParseTime(row.GetString("CreatedAt")));

    /// <summary>When the manifest was last stored or touched; rows written before garbage collection have only CreatedAt.</summary>
    private static DateTimeOffset LastUsed(TableEntity row) =>
        AzureTables.ParseTime(row.GetString("TouchedAt") ?? row.GetString("CreatedAt"));

    private static Digest? ParseDigest(string? value) => value is null ? null : Digest.Parse(value);
}
