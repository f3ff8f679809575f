using Dockyard.Core.Metadata;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Registry metadata in Azure Tables. Every index but the repository list is partitioned by repository
/// (PartitionKey = the escaped repository name, see <see cref="TableKey"/>), so a repository's rows are listed by
/// range queries on RowKey and changed together by entity group transactions. A repository's manifests, referrer
/// entries and tags share the <c>manifests</c> table (RowKey prefixes <c>m</c>, <c>r</c>, <c>t</c>) so that storing
/// a manifest with its referrer entry, and deleting it with its tags, are single transactions. Garbage collection adds
/// <c>bloblinkrefs</c> (which repositories link a digest, see <see cref="BlobLinkRefs"/>) and <c>gcledger</c>.
/// </summary>
public sealed class AzureTableMetadataStore(AzureTables tables) : IMetadataStore
{
    public IRepositoryIndex Repositories { get; } = new AzureTableRepositoryIndex(tables);

    public IBlobLinkIndex BlobLinks { get; } = new AzureTableBlobLinkIndex(tables);

    public IManifestIndex Manifests { get; } = new AzureTableManifestIndex(tables);

    public ITagIndex Tags { get; } = new AzureTableTagIndex(tables);

    public IUploadSessionStore Uploads { get; } = new AzureTableUploadSessionStore(tables);

    public ICollectionLedger Collection { get; } = new AzureTableCollectionLedger(tables);
}
