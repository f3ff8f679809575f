using Dockyard.Core.Names;
using Dockyard.Core.Signatures;
using MySqlConnector;

namespace Dockyard.MySql.Signatures;

/// <summary>The signature API extension's index (<see cref="IImageSignatureStore"/>) in the same database as the registry metadata.</summary>
public sealed class MySqlImageSignatureStore(MySqlDatabase db) : IImageSignatureStore
{
    private const string Columns = "repository, manifest, name, type, schema_version, content, size, created_at";

    public Task<bool> TryAddAsync(ImageSignature signature, CancellationToken cancellationToken) =>
        db.TryInsertAsync($"INSERT INTO image_signatures ({Columns}) VALUES (@r, @m, @n, @t, @v, @c, @s, @at)", cancellationToken,
            ("@r", signature.Repository.Value), ("@m", signature.Manifest.Value), ("@n", signature.Name), ("@t", signature.Type),
            ("@v", signature.SchemaVersion), ("@c", signature.Content.Value), ("@s", signature.Size), ("@at", MySqlText.Time(signature.CreatedAt)));

    public Task<ImageSignature?> GetAsync(RepositoryName repository, Digest manifest, string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM image_signatures WHERE repository = @r AND manifest = @m AND name = @n", Read, cancellationToken,
            ("@r", repository.Value), ("@m", manifest.Value), ("@n", name));

    public async Task<IReadOnlyList<ImageSignature>> ListAsync(RepositoryName repository, Digest manifest, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM image_signatures WHERE repository = @r AND manifest = @m ORDER BY name LIMIT @limit", Read, cancellationToken,
            ("@r", repository.Value), ("@m", manifest.Value), ("@limit", limit));

    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM image_signatures WHERE repository = @r", cancellationToken, ("@r", repository.Value));

    private static ImageSignature Read(MySqlDataReader r) => new(
        RepositoryName.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt32(4),
        Digest.Parse(r.GetString(5)), r.GetInt64(6), MySqlText.ReadTime(r, 7));
}
