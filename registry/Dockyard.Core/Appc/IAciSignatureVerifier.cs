namespace Dockyard.Core.Appc;

/// <summary>The outcome of checking an ACI's detached signature; <see cref="Reason"/> says why it is (in)valid.</summary>
public sealed record AciSignatureCheck(bool IsValid, string Reason);

/// <summary>Checks armored detached OpenPGP signatures (<c>.aci.asc</c>) of ACIs; implemented by the signing module.</summary>
public interface IAciSignatureVerifier
{
    /// <summary>The fingerprints (upper-case hex) of the primary keys in an exported public key ring; empty when it is not one.</summary>
    IReadOnlyList<string> ReadFingerprints(byte[] publicKeyRing);

    /// <summary>Checks <paramref name="signature"/> over all of <paramref name="data"/>, read once to its end, against any of <paramref name="publicKeys"/>.</summary>
    Task<AciSignatureCheck> VerifyAsync(IReadOnlyList<byte[]> publicKeys, Stream data, byte[] signature, CancellationToken cancellationToken);
}

/// <summary>The verifier used when no signing module is registered: every signature is refused.</summary>
public sealed class UnavailableAciSignatureVerifier : IAciSignatureVerifier
{
    public IReadOnlyList<string> ReadFingerprints(byte[] publicKeyRing) => [];

    public Task<AciSignatureCheck> VerifyAsync(IReadOnlyList<byte[]> publicKeys, Stream data, byte[] signature, CancellationToken cancellationToken) =>
        Task.FromResult(new AciSignatureCheck(false, "this registry has no OpenPGP verifier"));
}
