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

/// <summary>An entry of the referrers index: a manifest of a repository whose subject is <see cref="Subject"/>.</summary>
public sealed record ReferrerRecord(Digest Subject, Digest Digest, string MediaType, long Size, string? ArtifactType, string? AnnotationsJson);

/// <summary>
/// A blob upload in progress. <see cref="Size"/> is the number of bytes committed so far; it only changes through
/// a conditional write, so two nodes never both extend the same upload.
/// </summary>
public sealed record UploadSession(string Id, RepositoryName Repository, long Size, DateTimeOffset StartedAt);
