using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// A validated manifest or index. For an image manifest <see cref="Config"/> is set and
/// <see cref="Layers"/> lists its blobs; for an index <see cref="Manifests"/> lists its children.
/// <see cref="Subject"/> is null unless the document refers to another manifest (OCI 1.1 referrers).
/// </summary>
public sealed record ParsedManifest(
    string MediaType,
    Digest Digest,
    long Size,
    Descriptor? Config,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<Descriptor> Manifests,
    Descriptor? Subject,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>
    /// What the referrers API reports as this manifest's artifact type: its own artifactType, else its
    /// config's media type (distribution-spec v1.1); null for an index without artifactType.
    /// </summary>
    public string? EffectiveArtifactType => ArtifactType ?? Config?.MediaType;

    /// <summary>The blobs that must already be in the repository: config and layers hosted here.</summary>
    public IEnumerable<Descriptor> RequiredBlobs =>
        (Config is null ? Layers : Layers.Prepend(Config)).Where(d => d.Urls.Count == 0);
}
