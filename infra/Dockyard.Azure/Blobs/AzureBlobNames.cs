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

    /// <summary>The prefix of every blob of an upload, marker included.</summary>
    public static string Upload(string uploadId) => $"uploads/{CheckId(uploadId, nameof(uploadId))}/";

    public static string Marker(string uploadId) => Upload(uploadId) + ".upload";

    public static string Part(string uploadId, string partId) => Upload(uploadId) + CheckId(partId, nameof(partId));

    private static string CheckId(string id, string parameter) =>
        id.Length == 0 || id.Length > 128 || id.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-')
            ? throw new ArgumentException("invalid upload or part id", parameter)
            : id;
}
