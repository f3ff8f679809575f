namespace Dockyard.Core.Volumes;

/// <summary>
/// The names of the volume format (docs/volumes.md): a version is an OCI image manifest with
/// <see cref="ArtifactType"/>, its config the file index, its layers the content-defined chunks.
/// </summary>
public static class VolumeArtifact
{
    public const string ArtifactType = "application/vnd.dockyard.volume.v1";

    public const string IndexMediaType = "application/vnd.dockyard.volume.index.v1+json";

    public const string ChunkMediaType = "application/vnd.dockyard.volume.chunk.v1";

    /// <summary>The request header a volume manifest PUT carries its lease's fencing token in.</summary>
    public const string FencingTokenHeader = "Dockyard-Volume-Fencing-Token";

    /// <summary>The manifest annotation holding the version number (1, 2, …).</summary>
    public const string VersionAnnotation = "org.dockyard.volume.version";
}
