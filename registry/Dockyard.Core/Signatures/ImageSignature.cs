using Dockyard.Core.Names;

namespace Dockyard.Core.Signatures;

/// <summary>
/// A signature stored through the registry's signature API extension (the OpenShift / containers-image
/// <c>X-Registry-Supports-Signatures</c> API): for the manifest <see cref="Manifest"/> of <see cref="Repository"/>, named
/// <see cref="Name"/> (<c>&lt;manifest digest&gt;@&lt;client-chosen suffix&gt;</c>), of <see cref="Type"/> (<c>atomic</c>
/// for simple signing). <see cref="Content"/> is the blob holding the signature bytes exactly as the client sent them
/// (<see cref="Size"/> bytes; for simple signing an OpenPGP signed message).
/// </summary>
public sealed record ImageSignature(
    RepositoryName Repository,
    Digest Manifest,
    string Name,
    string Type,
    int SchemaVersion,
    Digest Content,
    long Size,
    DateTimeOffset CreatedAt);
