using System.Globalization;
using System.Text.Json;
using Dockyard.Core.Appc;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using MySqlConnector;

namespace Dockyard.MySql.Appc;

/// <summary>The appc/rkt metadata (<see cref="IAciStore"/>) in the same database as the registry metadata.</summary>
public sealed class MySqlAciStore(MySqlDatabase db) : IAciStore
{
    private const string ImageColumns = "repository, version, os, arch, aci, aci_size, signature, image_id, manifest, created_at";

    private const string UploadColumns = "repository, id, file_name, manifest, aci_part, signature_part, started_at";

    public Task<AciImage?> GetAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {ImageColumns} FROM aci_images WHERE repository = @r AND version = @v AND os = @o AND arch = @a",
            ReadImage, cancellationToken, ("@r", repository.Value), ("@v", version), ("@o", os), ("@a", arch));

    public Task<bool> TryAddAsync(AciImage image, CancellationToken cancellationToken) =>
        db.TryInsertAsync($"INSERT INTO aci_images ({ImageColumns}) VALUES (@r, @v, @o, @a, @aci, @size, @sig, @id, @m, @t)", cancellationToken,
            ("@r", image.Repository.Value), ("@v", image.Version), ("@o", image.Os), ("@a", image.Arch), ("@aci", image.Aci.Value),
            ("@size", image.AciSize), ("@sig", image.Signature.Value), ("@id", image.ImageId), ("@m", image.Manifest),
            ("@t", MySqlText.Time(image.CreatedAt)));

    public async Task<IReadOnlyList<AciImage>> ListAsync(RepositoryName repository, (string Version, string Os, string Arch)? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {ImageColumns} FROM aci_images WHERE repository = @r AND (version, os, arch) > (@v, @o, @a) ORDER BY version, os, arch LIMIT @limit",
            ReadImage, cancellationToken, ("@r", repository.Value), ("@v", after?.Version ?? ""), ("@o", after?.Os ?? ""), ("@a", after?.Arch ?? ""), ("@limit", limit));

    public async Task<bool> DeleteAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM aci_images WHERE repository = @r AND version = @v AND os = @o AND arch = @a", cancellationToken,
            ("@r", repository.Value), ("@v", version), ("@o", os), ("@a", arch)) > 0;

    public Task<bool> TryCreateUploadAsync(AciUpload upload, CancellationToken cancellationToken) =>
        db.TryInsertAsync($"INSERT INTO aci_uploads ({UploadColumns}) VALUES (@r, @id, @f, @m, @ap, @sp, @t)", cancellationToken, UploadParameters(upload));

    public Task<AciUpload?> GetUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {UploadColumns} FROM aci_uploads WHERE repository = @r AND id = @id",
            ReadUpload, cancellationToken, ("@r", repository.Value), ("@id", id));

    public async Task<IReadOnlyList<AciUpload>> ListUploadsStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {UploadColumns} FROM aci_uploads WHERE started_at < @t ORDER BY started_at LIMIT @limit",
            ReadUpload, cancellationToken, ("@t", MySqlText.CutOff(before)), ("@limit", limit));

    /// <summary>Compares the expected parts null-safely (<c>&lt;=&gt;</c>): the update wins only over the state its caller read.</summary>
    public async Task<bool> TryUpdateUploadAsync(AciUpload expected, AciUpload upload, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            UPDATE aci_uploads SET manifest = @m, aci_part = @ap, signature_part = @sp
            WHERE repository = @r AND id = @id AND aci_part <=> @eap AND signature_part <=> @esp AND manifest <=> @em
            """, cancellationToken,
            [.. UploadParameters(upload), ("@eap", Part(expected.AciPart)), ("@esp", Part(expected.SignaturePart)), ("@em", expected.Manifest)]) > 0;

    public async Task<bool> DeleteUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM aci_uploads WHERE repository = @r AND id = @id", cancellationToken, ("@r", repository.Value), ("@id", id)) > 0;

    public Task<bool> TryAddKeyAsync(AciPublicKey key, CancellationToken cancellationToken) =>
        db.TryInsertAsync("INSERT INTO aci_keys (repository, fingerprint, armored, added_at) VALUES (@r, @f, @k, @t)", cancellationToken,
            ("@r", key.Repository.Value), ("@f", key.Fingerprint), ("@k", key.Armored), ("@t", MySqlText.Time(key.AddedAt)));

    public async Task<IReadOnlyList<AciPublicKey>> ListKeysAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository, fingerprint, armored, added_at FROM aci_keys WHERE repository = @r ORDER BY fingerprint",
            r => new AciPublicKey(RepositoryName.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), MySqlText.ReadTime(r, 3)),
            cancellationToken, ("@r", repository.Value));

    public Task<AciConversion?> GetConversionAsync(RepositoryName repository, Digest manifest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT repository, manifest, aci, size FROM aci_conversions WHERE repository = @r AND manifest = @m",
            r => new AciConversion(RepositoryName.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), Digest.Parse(r.GetString(2)), r.GetInt64(3)),
            cancellationToken, ("@r", repository.Value), ("@m", manifest.Value));

    /// <summary>The first conversion recorded stays (another node may have converted the same manifest at the same time).</summary>
    public Task PutConversionAsync(AciConversion conversion, CancellationToken cancellationToken) =>
        db.TryInsertAsync("INSERT INTO aci_conversions (repository, manifest, aci, size) VALUES (@r, @m, @a, @s)", cancellationToken,
            ("@r", conversion.Repository.Value), ("@m", conversion.Manifest.Value), ("@a", conversion.Aci.Value), ("@s", conversion.Size));

    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.DeleteRepositoryRowsAsync(repository.Value, cancellationToken, "aci_images", "aci_uploads", "aci_keys", "aci_conversions");

    private static AciImage ReadImage(MySqlDataReader r) => new(
        RepositoryName.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), Digest.Parse(r.GetString(4)), r.GetInt64(5),
        Digest.Parse(r.GetString(6)), r.GetString(7), r.GetString(8), MySqlText.ReadTime(r, 9));

    private static AciUpload ReadUpload(MySqlDataReader r)
    {
        var repository = RepositoryName.Parse(r.GetString(0));
        var file = JsonSerializer.Deserialize(r.GetString(2), MySqlAciJson.Default.StringArray)!;
        return new AciUpload(r.GetString(1), repository, new AciFileName(file[0], file[1], file[2], file[3]), MySqlText.Nullable(r, 3),
            ParsePart(MySqlText.Nullable(r, 4)), ParsePart(MySqlText.Nullable(r, 5)), MySqlText.ReadTime(r, 6));
    }

    private static (string, object?)[] UploadParameters(AciUpload upload) =>
    [
        ("@r", upload.Repository.Value), ("@id", upload.Id),
        ("@f", JsonSerializer.Serialize([upload.File.Base, upload.File.Version, upload.File.Os, upload.File.Arch], MySqlAciJson.Default.StringArray)),
        ("@m", upload.Manifest), ("@ap", Part(upload.AciPart)), ("@sp", Part(upload.SignaturePart)), ("@t", MySqlText.Time(upload.StartedAt)),
    ];

    private static string? Part(UploadPart? part) => part is null ? null : $"{part.Id}:{part.Size}";

    private static UploadPart? ParsePart(string? text) =>
        text is null ? null : new UploadPart(text[..text.IndexOf(':')], long.Parse(text[(text.IndexOf(':') + 1)..], CultureInfo.InvariantCulture));
}
