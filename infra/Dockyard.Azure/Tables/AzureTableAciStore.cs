using Azure.Data.Tables;
using Dockyard.Core.Appc;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The appc/rkt metadata (<see cref="IAciStore"/>) in four tables, PartitionKey = repository throughout, every key
/// escaped by <see cref="TableKey"/>:
/// <list type="bullet">
/// <item><c>aciimages</c>: RowKey = (version, os, arch) joined by <see cref="TableKey.Join"/>, so listings run in
/// that order; Aci, AciSize, Signature, ImageId, Manifest (<see cref="PackedText"/>) and CreatedAt.</item>
/// <item><c>aciuploads</c>: RowKey = push id; the announced file (Base, Version, Os, Arch), Manifest, AciPart and
/// SignaturePart (<c>id:size</c>) and StartedAt. The conditional update replaces the row with the ETag that was read.</item>
/// <item><c>acikeys</c>: RowKey = fingerprint; Armored and AddedAt.</item>
/// <item><c>aciconversions</c>: RowKey = image manifest digest; Aci and Size.</item>
/// </list>
/// Inserts that must not overwrite are adds, which Tables refuses (409) when the key is taken.
/// </summary>
public sealed class AzureTableAciStore(AzureTables tables) : IAciStore
{
    private TableClient Images => tables["aciimages"];
    private TableClient Uploads => tables["aciuploads"];
    private TableClient Keys => tables["acikeys"];
    private TableClient Conversions => tables["aciconversions"];

    public async Task<AciImage?> GetAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Images, TableKey.Escape(repository.Value), TableKey.Join(version, os, arch), cancellationToken) is { } row
            ? MapImage(row, repository)
            : null;

    public Task<bool> TryAddAsync(AciImage image, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TableKey.Escape(image.Repository.Value), TableKey.Join(image.Version, image.Os, image.Arch))
        {
            ["Aci"] = image.Aci.Value,
            ["AciSize"] = image.AciSize,
            ["Signature"] = image.Signature.Value,
            ["ImageId"] = image.ImageId,
            ["CreatedAt"] = AzureTables.Time(image.CreatedAt),
        };
        PackedText.Write(row, "Manifest", image.Manifest);
        return AzureTables.TryAddAsync(Images, row, cancellationToken);
    }

    public async Task<IReadOnlyList<AciImage>> ListAsync(RepositoryName repository, (string Version, string Os, string Arch)? after, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Images, AzureTables.Rows(TableKey.Escape(repository.Value), after is { } a ? TableKey.Join(a.Version, a.Os, a.Arch) : null),
            limit, cancellationToken)).Select(row => MapImage(row, repository))];

    public Task<bool> DeleteAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Images, TableKey.Escape(repository.Value), TableKey.Join(version, os, arch), cancellationToken);

    public Task<bool> TryCreateUploadAsync(AciUpload upload, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Uploads, UploadRow(upload), cancellationToken);

    public async Task<AciUpload?> GetUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Uploads, TableKey.Escape(repository.Value), TableKey.Escape(id), cancellationToken) is { } row ? MapUpload(row) : null;

    public async Task<bool> TryUpdateUploadAsync(AciUpload expected, AciUpload upload, CancellationToken cancellationToken)
    {
        var current = await AzureTables.GetAsync(Uploads, TableKey.Escape(upload.Repository.Value), TableKey.Escape(upload.Id), cancellationToken);
        if (current is null || MapUpload(current) is not { } stored
            || stored.AciPart != expected.AciPart || stored.SignaturePart != expected.SignaturePart || stored.Manifest != expected.Manifest)
        {
            return false;
        }
        // The file and start time stay as created, as SQLite's UPDATE leaves them.
        // False when another request updated the push since the read, or it completed or was aborted meanwhile.
        return await AzureTables.TryReplaceAsync(Uploads, UploadRow(upload with { File = stored.File, StartedAt = stored.StartedAt }), current.ETag, cancellationToken);
    }

    public Task<bool> DeleteUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Uploads, TableKey.Escape(repository.Value), TableKey.Escape(id), cancellationToken);

    public async Task<IReadOnlyList<AciUpload>> ListUploadsStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        // A filtered scan of the (small) table of pushes in progress, sorted here, as for the V2 upload sessions.
        var rows = await AzureTables.QueryAsync(Uploads, TableClient.CreateQueryFilter($"StartedAt lt {AzureTables.Time(before)}"), null, cancellationToken);
        return [.. rows.OrderBy(r => r.GetString("StartedAt"), StringComparer.Ordinal).Take(limit).Select(MapUpload)];
    }

    public Task<bool> TryAddKeyAsync(AciPublicKey key, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TableKey.Escape(key.Repository.Value), TableKey.Escape(key.Fingerprint)) { ["AddedAt"] = AzureTables.Time(key.AddedAt) };
        PackedText.Write(row, "Armored", key.Armored);
        return AzureTables.TryAddAsync(Keys, row, cancellationToken);
    }

    public async Task<IReadOnlyList<AciPublicKey>> ListKeysAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Keys, AzureTables.Rows(TableKey.Escape(repository.Value)), null, cancellationToken))
            .Select(r => new AciPublicKey(repository, TableKey.Unescape(r.RowKey), PackedText.Read(r, "Armored") ?? "", AzureTables.ParseTime(r.GetString("AddedAt"))))];

    public async Task<AciConversion?> GetConversionAsync(RepositoryName repository, Digest manifest, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Conversions, TableKey.Escape(repository.Value), TableKey.Escape(manifest.Value), cancellationToken) is { } row
            ? new AciConversion(repository, manifest, Digest.Parse(row.GetString("Aci")), row.GetInt64("Size") ?? 0)
            : null;

    // A second writer's add is refused (409), which keeps the first record.
    public Task PutConversionAsync(AciConversion conversion, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Conversions, new TableEntity(TableKey.Escape(conversion.Repository.Value), TableKey.Escape(conversion.Manifest.Value))
        {
            ["Aci"] = conversion.Aci.Value,
            ["Size"] = conversion.Size,
        }, cancellationToken);

    public async Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var rows = AzureTables.Rows(TableKey.Escape(repository.Value));
        foreach (var table in new[] { Images, Uploads, Keys, Conversions })
        {
            await AzureTables.DeleteAllAsync(table, rows, cancellationToken);
        }
    }

    private static AciImage MapImage(TableEntity row, RepositoryName repository)
    {
        var key = TableKey.Split(row.RowKey);
        return new AciImage(repository, key[0], key[1], key[2], Digest.Parse(row.GetString("Aci")), row.GetInt64("AciSize") ?? 0,
            Digest.Parse(row.GetString("Signature")), row.GetString("ImageId"), PackedText.Read(row, "Manifest") ?? "", AzureTables.ParseTime(row.GetString("CreatedAt")));
    }

    private static TableEntity UploadRow(AciUpload upload)
    {
        var row = new TableEntity(TableKey.Escape(upload.Repository.Value), TableKey.Escape(upload.Id))
        {
            ["Base"] = upload.File.Base,
            ["Version"] = upload.File.Version,
            ["Os"] = upload.File.Os,
            ["Arch"] = upload.File.Arch,
            ["AciPart"] = Part(upload.AciPart),
            ["SignaturePart"] = Part(upload.SignaturePart),
            ["StartedAt"] = AzureTables.Time(upload.StartedAt),
        };
        if (upload.Manifest is { } manifest)
        {
            PackedText.Write(row, "Manifest", manifest);
        }
        return row;
    }

    private static AciUpload MapUpload(TableEntity row) => new(
        TableKey.Unescape(row.RowKey), RepositoryName.Parse(TableKey.Unescape(row.PartitionKey)),
        new AciFileName(row.GetString("Base"), row.GetString("Version"), row.GetString("Os"), row.GetString("Arch")),
        PackedText.Read(row, "Manifest"), ParsePart(row.GetString("AciPart")), ParsePart(row.GetString("SignaturePart")), AzureTables.ParseTime(row.GetString("StartedAt")));

    private static string? Part(UploadPart? part) => part is null ? null : UploadPartsText.FormatPart(part);

    private static UploadPart? ParsePart(string? text) => text is null ? null : UploadPartsText.Parse(text).Single();
}
