using Azure.Data.Tables;
using Dockyard.Core.Names;
using Dockyard.Core.V1;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Docker Registry V1 metadata (<see cref="IV1ImageStore"/>) in four tables, every key escaped by <see cref="TableKey"/>:
/// <list type="bullet">
/// <item><c>v1images</c>: PartitionKey = repository, RowKey = image id; the JSON (<see cref="PackedText"/>), Parent,
/// the layer's LayerDigest, LayerSize, DiffId, Gzip and PayloadChecksum, Checksum, Complete and CreatedAt. The
/// writes that must not touch a complete image replace the row with the ETag that was read (If-Match), or add it.</item>
/// <item><c>v1repositoryimages</c> (PartitionKey = repository, RowKey = image id) and its reverse
/// <c>v1imagerepositories</c> (PartitionKey = image id, RowKey = repository): the image lists pushes announce.</item>
/// <item><c>v1tags</c>: PartitionKey = repository, RowKey = tag; property Image.</item>
/// </list>
/// </summary>
public sealed class AzureTableV1ImageStore(AzureTables tables) : IV1ImageStore
{
    private TableClient Images => tables["v1images"];
    private TableClient RepositoryImages => tables["v1repositoryimages"];
    private TableClient ImageRepositories => tables["v1imagerepositories"];
    private TableClient Tags => tables["v1tags"];

    public async Task<V1Image?> GetImageAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Images, TableKey.Escape(repository.Value), TableKey.Escape(id), cancellationToken) is { } row ? Map(row) : null;

    public async Task<bool> TryPutIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken)
    {
        var next = Row(repository, image);
        while (true)
        {
            var current = await AzureTables.GetAsync(Images, next.PartitionKey, next.RowKey, cancellationToken);
            if (current is null)
            {
                if (await AzureTables.TryAddAsync(Images, next, cancellationToken))
                {
                    return true;
                }
                continue; // Added meanwhile: look at what is there now.
            }
            if (current.GetBoolean("Complete") == true)
            {
                return false;
            }
            if (await AzureTables.TryReplaceAsync(Images, next, current.ETag, cancellationToken))
            {
                return true;
            }
        }
    }

    public async Task<bool> TryUpdateIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken)
    {
        var next = Row(repository, image);
        while (true)
        {
            var current = await AzureTables.GetAsync(Images, next.PartitionKey, next.RowKey, cancellationToken);
            if (current is null || current.GetBoolean("Complete") == true)
            {
                return false;
            }
            if (await AzureTables.TryReplaceAsync(Images, next, current.ETag, cancellationToken))
            {
                return true;
            }
        }
    }

    public async Task AddRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken)
    {
        var (repositoryKey, imageKey) = (TableKey.Escape(repository.Value), TableKey.Escape(imageId));
        await RepositoryImages.UpsertEntityAsync(new TableEntity(repositoryKey, imageKey), TableUpdateMode.Replace, cancellationToken);
        await ImageRepositories.UpsertEntityAsync(new TableEntity(imageKey, repositoryKey), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListRepositoryImagesAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await ListRowKeysAsync(RepositoryImages, repository.Value, after, limit, cancellationToken);

    public async Task<IReadOnlyList<string>> ListImageRepositoriesAsync(string imageId, string? after, int limit, CancellationToken cancellationToken) =>
        await ListRowKeysAsync(ImageRepositories, imageId, after, limit, cancellationToken);

    private static async Task<List<string>> ListRowKeysAsync(TableClient table, string partition, string? after, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(table, AzureTables.Rows(TableKey.Escape(partition), after is null ? null : TableKey.Escape(after)), limit, cancellationToken))
            .Select(r => TableKey.Unescape(r.RowKey))];

    public async Task<string?> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        (await AzureTables.GetAsync(Tags, TableKey.Escape(repository.Value), TableKey.Escape(tag), cancellationToken))?.GetString("Image");

    public async Task SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken) =>
        await Tags.UpsertEntityAsync(new TableEntity(TableKey.Escape(repository.Value), TableKey.Escape(tag)) { ["Image"] = imageId },
            TableUpdateMode.Replace, cancellationToken);

    public Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Tags, TableKey.Escape(repository.Value), TableKey.Escape(tag), cancellationToken);

    public async Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Tags, AzureTables.Rows(TableKey.Escape(repository.Value), after is null ? null : TableKey.Escape(after)), limit, cancellationToken))
            .Select(r => new V1Tag(TableKey.Unescape(r.RowKey), r.GetString("Image")))];

    public async Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(repository.Value);
        // The reverse listings first, read from the forward ones, which go next (so a retry after a failure finds them again).
        foreach (var image in await AzureTables.QueryAsync(RepositoryImages, AzureTables.Rows(partition), null, cancellationToken))
        {
            await AzureTables.DeleteAsync(ImageRepositories, image.RowKey, partition, cancellationToken);
        }
        foreach (var table in new[] { Tags, RepositoryImages, Images })
        {
            await AzureTables.DeleteAllAsync(table, AzureTables.Rows(partition), cancellationToken);
        }
    }

    private static TableEntity Row(RepositoryName repository, V1Image image)
    {
        var row = new TableEntity(TableKey.Escape(repository.Value), TableKey.Escape(image.Id))
        {
            ["Parent"] = image.Parent,
            ["LayerDigest"] = image.Layer?.Digest.Value,
            ["LayerSize"] = image.Layer?.Size,
            ["DiffId"] = image.Layer?.DiffId.Value,
            ["Gzip"] = image.Layer?.Gzip,
            ["PayloadChecksum"] = image.Layer?.PayloadChecksum,
            ["Checksum"] = image.Checksum,
            ["Complete"] = image.Complete,
            ["CreatedAt"] = AzureTables.Time(image.CreatedAt),
        };
        PackedText.Write(row, "Json", image.Json);
        return row;
    }

    private static V1Image Map(TableEntity row)
    {
        V1Layer? layer = row.GetString("LayerDigest") is { } digest
            ? new V1Layer(Digest.Parse(digest), row.GetInt64("LayerSize") ?? 0, Digest.Parse(row.GetString("DiffId")), row.GetBoolean("Gzip") == true,
                row.GetString("PayloadChecksum"))
            : null;
        return new V1Image(TableKey.Unescape(row.RowKey), PackedText.Read(row, "Json") ?? "", row.GetString("Parent"), layer, row.GetString("Checksum"),
            row.GetBoolean("Complete") == true, AzureTables.ParseTime(row.GetString("CreatedAt")));
    }
}
