using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Appc;

/// <summary>
/// A published ACI of a repository, one per (version, os, arch). <see cref="Aci"/> is the blob holding the file as
/// pushed (possibly compressed); <see cref="Signature"/> the blob of its armored <c>.aci.asc</c>;
/// <see cref="ImageId"/> is <c>sha512-</c> and the hex SHA-512 of the uncompressed tar; <see cref="Manifest"/> the
/// image manifest JSON found in the ACI.
/// </summary>
public sealed record AciImage(
    RepositoryName Repository,
    string Version,
    string Os,
    string Arch,
    Digest Aci,
    long AciSize,
    Digest Signature,
    string ImageId,
    string Manifest,
    DateTimeOffset CreatedAt);

/// <summary>
/// An ACI push in progress (the acpush protocol): the file it announced, the manifest the client sent (null until
/// sent), and the staged parts of the ACI and of its signature in the blob store (null until uploaded). The ACI is
/// staged under the blob-store upload <see cref="Id"/>, the signature under <see cref="SignatureUploadId"/>.
/// </summary>
public sealed record AciUpload(
    string Id,
    RepositoryName Repository,
    AciFileName File,
    string? Manifest,
    UploadPart? AciPart,
    UploadPart? SignaturePart,
    DateTimeOffset StartedAt)
{
    public string SignatureUploadId => Id + "-asc";
}

/// <summary>An armored OpenPGP public key trusted for a repository's ACIs, by its fingerprint (upper-case hex).</summary>
public sealed record AciPublicKey(RepositoryName Repository, string Fingerprint, string Armored, DateTimeOffset AddedAt);

/// <summary>
/// A Docker/OCI image manifest converted to an ACI: the uncompressed ACI tar is the blob <see cref="Aci"/> (a
/// <c>sha512</c> digest, so its hex is also the image id).
/// </summary>
public sealed record AciConversion(RepositoryName Repository, Digest Manifest, Digest Aci, long Size);
