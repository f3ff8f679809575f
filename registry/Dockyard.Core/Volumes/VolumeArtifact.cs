namespace Dockyard.Core.Volumes;

/// <summary>
/// The names of the volume format (docs/volumes.md): a version is an OCI image manifest with
/// <see cref="ArtifactType"/>, its config the file index, its layers the packs of content-defined chunks (and
/// chunks stored alone by versions made before packs).
/// </summary>
public static class VolumeArtifact
{
    public const string ArtifactType = "application/vnd.dockyard.volume.v1";

    public const string IndexMediaType = "application/vnd.dockyard.volume.index.v1+json";

    /// <summary>A chunk stored as a blob of its own (every chunk of versions made before packs).</summary>
    public const string ChunkMediaType = "application/vnd.dockyard.volume.chunk.v1";

    /// <summary>A pack: many chunks back to back in one blob, located by the index.</summary>
    public const string PackMediaType = "application/vnd.dockyard.volume.pack.v1";

    /// <summary>The request header a volume manifest PUT carries its lease's fencing token in.</summary>
    public const string FencingTokenHeader = "Dockyard-Volume-Fencing-Token";

    /// <summary>The manifest annotation holding the version number (1, 2, …).</summary>
    public const string VersionAnnotation = "org.dockyard.volume.version";
}
