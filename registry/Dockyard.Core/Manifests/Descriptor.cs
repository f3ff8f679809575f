using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// An OCI content descriptor as read from a manifest. <see cref="Urls"/> is empty unless the content lives
/// outside the registry (foreign layers), in which case its presence is not required.
/// </summary>
public sealed record Descriptor(
    string MediaType,
    Digest Digest,
    long Size,
    string? ArtifactType,
    IReadOnlyList<string> Urls,
    IReadOnlyDictionary<string, string>? Annotations,
    Platform? Platform = null);

/// <summary>The platform of an index entry; absent for entries that name none.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant);
