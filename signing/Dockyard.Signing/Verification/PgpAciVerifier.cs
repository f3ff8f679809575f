using Dockyard.Core.Appc;

namespace Dockyard.Signing.Verification;

/// <summary>Checks ACI signatures (<c>.aci.asc</c>) with <see cref="PgpVerifier"/> against a repository's trusted keys, streaming the ACI.</summary>
public sealed class PgpAciVerifier : IAciSignatureVerifier
{
    public IReadOnlyList<string> ReadFingerprints(byte[] publicKeyRing) => PgpVerifier.ReadFingerprints(publicKeyRing);

    public async Task<AciSignatureCheck> VerifyAsync(IReadOnlyList<byte[]> publicKeys, Stream data, byte[] signature, CancellationToken cancellationToken)
    {
        PgpVerifier verifier;
        try
        {
            verifier = new PgpVerifier(publicKeys);
        }
        catch (ArgumentException e)
        {
            return new AciSignatureCheck(false, $"the trusted keys cannot be read: {e.Message}");
        }
        var check = await verifier.VerifyAsync(data, signature, cancellationToken);
        return new AciSignatureCheck(check.IsValid, check.Reason);
    }
}
