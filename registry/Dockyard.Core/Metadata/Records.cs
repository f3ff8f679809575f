using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata;

/// <summary>
/// A manifest stored in a repository. Its bytes live in the blob store under <see cref="Digest"/>.
/// <see cref="Subject"/> is null unless it refers to another manifest; <see cref="ArtifactType"/> is what the
/// referrers API reports (null for an index without one); <see cref="AnnotationsJson"/> is null without annotations.
/// </summary>
public sealed record ManifestRecord(
    Digest Digest,
    string MediaType,
    long Size,
    Digest? Subject,
    string? ArtifactType,
    string? AnnotationsJson,
    DateTimeOffset CreatedAt);

/// <summary>
/// A manifest's record as a read returns it, with its exact bytes when the store keeps them beside the record (the
/// SQLite store does for manifests up to <see cref="InlineLimit"/>, so a pull reads one row and opens no file).
/// <see cref="Content"/> is null when the store does not keep them: they are then read from the blob store, which
/// always holds them too.
/// </summary>
public sealed record StoredManifest(ManifestRecord Record, byte[]? Content)
{
    /// <summary>The largest manifest a store keeps inline; larger ones are read from the blob store only.</summary>
    public const int InlineLimit = 64 * 1024;
}

/// <summary>An entry of the referrers index: a manifest of a repository whose subject is <see cref="Subject"/>.</summary>
public sealed record ReferrerRecord(Digest Subject, Digest Digest, string MediaType, long Size, string? ArtifactType, string? AnnotationsJson);

/// <summary>
/// One immutable piece of a staged upload: the bytes of one PATCH (or of the final PUT body, or of a monolithic
/// POST), written once under <see cref="Id"/> by exactly one writer and never overwritten.
/// </summary>
public sealed record UploadPart(string Id, long Size);

/// <summary>
/// A blob upload in progress. <see cref="Parts"/> are the committed parts in upload order (empty when nothing is
/// committed yet); the upload's bytes are their concatenation. The list only grows, through a conditional write, so
/// two nodes never both extend the same upload and a committed size always names one and the same prefix.
/// <see cref="Client"/> is who opened it (see <c>UploadAdmission.ClientKey</c>), for the per-client cap; null for
/// uploads the registry opens itself and for sessions recorded before clients were.
/// </summary>
public sealed record UploadSession(string Id, RepositoryName Repository, IReadOnlyList<UploadPart> Parts, DateTimeOffset StartedAt, string? Client = null)
{
    /// <summary>The number of bytes committed so far: the sum of the sizes of <see cref="Parts"/>.</summary>
    public long Size
    {
        get
        {
            long size = 0;
            foreach (var part in Parts)
            {
                size += part.Size;
            }
            return size;
        }
    }

    /// <summary>Value equality, including the parts in order (a record would compare the list by reference).</summary>
    public bool Equals(UploadSession? other) =>
        other is not null
        && Id == other.Id
        && Repository == other.Repository
        && StartedAt == other.StartedAt
        && Client == other.Client
        && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => HashCode.Combine(Id, Repository, StartedAt, Parts.Count);
}

/// <summary>A blob linked into a repository: its size and when it was last linked (garbage collection's grace clock).</summary>
public sealed record BlobLink(Digest Digest, long Size, DateTimeOffset LinkedAt);

/// <summary>A tag and the manifest it points at.</summary>
public sealed record TagTarget(string Tag, Digest Digest);
