using Azure.Data.Tables;
using Dockyard.Core.Names;
using Dockyard.Core.Signatures;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>signatures</c> table (<see cref="IImageSignatureStore"/>): PartitionKey = repository, RowKey = (manifest,
/// name) joined by <see cref="TableKey.Join"/>, so one manifest's signatures are a key range listed in name order;
/// properties Type, SchemaVersion, Content, Size and CreatedAt. An insert is an add, which Tables refuses (409) when
/// the name is taken: of concurrent adders exactly one wins.
/// </summary>
public sealed class AzureTableImageSignatureStore(AzureTables tables) : IImageSignatureStore
{
    private TableClient Table => tables["signatures"];

    public Task<bool> TryAddAsync(ImageSignature signature, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Table, new TableEntity(TableKey.Escape(signature.Repository.Value), TableKey.Join(signature.Manifest.Value, signature.Name))
        {
            ["Type"] = signature.Type,
            ["SchemaVersion"] = signature.SchemaVersion,
            ["Content"] = signature.Content.Value,
            ["Size"] = signature.Size,
            ["CreatedAt"] = AzureTables.Time(signature.CreatedAt),
        }, cancellationToken);

    public async Task<ImageSignature?> GetAsync(RepositoryName repository, Digest manifest, string name, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Join(manifest.Value, name), cancellationToken) is { } row
            ? Map(row, repository)
            : null;

    public async Task<IReadOnlyList<ImageSignature>> ListAsync(RepositoryName repository, Digest manifest, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(repository.Value), manifest.Value), limit, cancellationToken))
            .Select(row => Map(row, repository))];

    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        AzureTables.DeleteAllAsync(Table, AzureTables.Rows(TableKey.Escape(repository.Value)), cancellationToken);

    private static ImageSignature Map(TableEntity row, RepositoryName repository)
    {
        var key = TableKey.Split(row.RowKey);
        return new ImageSignature(repository, Digest.Parse(key[0]), key[1], row.GetString("Type"), row.GetInt32("SchemaVersion") ?? 0,
            Digest.Parse(row.GetString("Content")), row.GetInt64("Size") ?? 0, AzureTables.ParseTime(row.GetString("CreatedAt")));
    }
}
