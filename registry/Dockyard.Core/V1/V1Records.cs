using Dockyard.Core.Names;

namespace Dockyard.Core.V1;

/// <summary>
/// A Docker Registry V1 image: its JSON exactly as pushed, its parent, and (once uploaded) its layer. An image is
/// <see cref="Complete"/> after its checksum was verified; until then it is being pushed and is not served.
/// </summary>
/// <param name="Parent">The parent image id; null for a base image.</param>
/// <param name="Layer">The uploaded layer; null until <c>PUT /v1/images/&lt;id&gt;/layer</c>.</param>
/// <param name="Checksum">The checksum the client declared (<c>X-Docker-Checksum</c>, else the payload one); null until verified.</param>
public sealed record V1Image(string Id, string Json, string? Parent, V1Layer? Layer, string? Checksum, bool Complete, DateTimeOffset CreatedAt);

/// <summary>
/// A V1 layer stored as a content-addressed blob of the bytes as sent. <paramref name="DiffId"/> is the sha256 of the
/// uncompressed tar (equal to <paramref name="Digest"/> when the layer was sent uncompressed);
/// <paramref name="PayloadChecksum"/> is <c>sha256:</c> of the image JSON, a newline and the layer bytes (docker ≥ 0.10).
/// </summary>
public sealed record V1Layer(Digest Digest, long Size, Digest DiffId, bool Gzip, string PayloadChecksum);

/// <summary>A V1 tag of a repository and the image id it points at.</summary>
public sealed record V1Tag(string Name, string ImageId);
