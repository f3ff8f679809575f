using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Manifests (rows <c>m␣!digest</c>) and referrer entries (rows <c>r␣!subject␣!digest</c>) in the repository's
/// partition of the <c>manifests</c> table, next to the tags, so that every multi-row step is one entity group
/// transaction.
/// </summary>
internal sealed class AzureTableManifestIndex(AzureTables tables) : IManifestIndex
{
    private const string Kind = "m";
    private const string ReferrerKind = "r";
    private const int MaxAttempts = 10;

    private TableClient Table => tables["manifests"];

    public async Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Join(Kind, digest.Value), cancellationToken) is { } row
            ? new ManifestRecord(digest, row.GetString("MediaType"), row.GetInt64("Size") ?? 0, ParseDigest(row.GetString("Subject")),
                row.GetString("ArtifactType"), LongText.Read(row, "Annotations"), AzureTables.ParseTime(row.GetString("CreatedAt")))
            : null;

    public Task<bool> TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

    public Task<bool> DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

    public Task<IReadOnlyList<ManifestRecord>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

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
        try
        {
            // Add fails when the digest is stored already, and then the referrer entry is not touched either.
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
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

    private static Digest? ParseDigest(string? value) => value is null ? null : Digest.Parse(value);
}
