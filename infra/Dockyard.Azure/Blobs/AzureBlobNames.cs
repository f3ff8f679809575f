using Dockyard.Core.Names;

namespace Dockyard.Azure.Blobs;

/// <summary>
/// Blob names inside the store's container:
/// <code>
/// blobs/&lt;algorithm&gt;/&lt;hex&gt;              published, immutable
/// uploads/&lt;upload id&gt;/.upload            the marker that says the upload exists
/// uploads/&lt;upload id&gt;/&lt;part id&gt;         staged parts, each written once
/// </code>
/// Ids are checked (ASCII letters, digits and '-') before they become names, so the marker's '.' can never collide
/// with a part and no id can escape its prefix.
/// </summary>
internal static class AzureBlobNames
{
    public static string Blob(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    /// <summary>The prefix of the published blobs of one algorithm.</summary>
    public static string Blobs(string algorithm) => $"blobs/{algorithm}/";

    /// <summary>The published blob a name under <see cref="Blobs"/> is; null for any other name (a stray blob).</summary>
    public static Digest? DigestOf(string name, string algorithm) =>
        name.StartsWith(Blobs(algorithm), StringComparison.Ordinal) && Digest.TryParse($"{algorithm}:{name[Blobs(algorithm).Length..]}", out var digest)
            ? digest
            : null;

    /// <summary>The prefix of every blob of every upload.</summary>
    public const string Uploads = "uploads/";

    /// <summary>The prefix of every blob of an upload, marker included.</summary>
    public static string Upload(string uploadId) => $"{Uploads}{CheckId(uploadId, nameof(uploadId))}/";

    /// <summary>The upload a blob under <see cref="Uploads"/> belongs to; null for a name no upload makes.</summary>
    public static string? UploadOf(string name)
    {
        var slash = name.StartsWith(Uploads, StringComparison.Ordinal) ? name.IndexOf('/', Uploads.Length) : -1;
        return slash > Uploads.Length && IsId(name[Uploads.Length..slash]) ? name[Uploads.Length..slash] : null;
    }

    public static string Marker(string uploadId) => Upload(uploadId) + ".upload";

    public static string Part(string uploadId, string partId) => Upload(uploadId) + CheckId(partId, nameof(partId));

    private static string CheckId(string id, string parameter) =>
        IsId(id) ? id : throw new ArgumentException("invalid upload or part id", parameter);

    private static bool IsId(string id) => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
