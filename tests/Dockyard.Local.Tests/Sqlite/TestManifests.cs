using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>Small manifests and their records for the SQLite layout tests, in repository <c>team/app</c>.</summary>
internal static class TestManifests
{
    public static readonly RepositoryName Repository = RepositoryName.Parse("team/app");

    /// <summary>The bytes of <paramref name="json"/> and a record of them; with <paramref name="annotations"/>, a subject and an artifact type too.</summary>
    public static (byte[] Bytes, ManifestRecord Record) Manifest(string json, string? annotations = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return (bytes, new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length,
            annotations is null ? null : Digest.Compute([1]), annotations is null ? null : "application/vnd.example", annotations,
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    }

    /// <summary>Stores <paramref name="json"/> with its bytes in <see cref="Repository"/>.</summary>
    public static async Task<(byte[] Bytes, ManifestRecord Record)> PutAsync(SqliteMetadataStore store, string json, string? annotations = null)
    {
        var manifest = Manifest(json, annotations);
        await store.Manifests.PutAsync(Repository, manifest.Record, manifest.Bytes, CancellationToken.None);
        return manifest;
    }

    /// <summary>Asserts <paramref name="served"/> is <paramref name="record"/> with <paramref name="bytes"/>.</summary>
    public static void AssertServed(StoredManifest? served, ManifestRecord record, byte[] bytes)
    {
        Assert.NotNull(served);
        Assert.Equal(record, served.Record);
        Assert.Equal(bytes, served.Content);
    }
}
