using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Verifies OpenPGP detached signatures (armored or binary, as <c>gpg --detach-sign [--armor]</c> makes them, e.g. an
/// ACI's <c>.aci.asc</c> or a simple-signing signature) over bytes, with configured public keys (armored or binary
/// key rings, as <c>gpg --export [--armor]</c> writes them). Only binary-document signatures are accepted; the signing
/// key (primary or subkey) must not be revoked and must not have expired when it signed.
/// </summary>
public sealed partial class PgpVerifier
{
    private readonly PgpPublicKeyRingBundle keys;

    /// <param name="publicKeys">One or more exported key rings; each may hold several keys.</param>
    /// <exception cref="ArgumentException">When a key ring cannot be read.</exception>
    public PgpVerifier(IEnumerable<byte[]> publicKeys)
    {
        var rings = new List<PgpPublicKeyRing>();
        foreach (var data in publicKeys)
        {
            try
            {
                using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(data));
                rings.AddRange(new PgpPublicKeyRingBundle(decoder).GetKeyRings());
            }
            catch (Exception e) when (e is PgpException or IOException)
            {
                throw new ArgumentException($"not an OpenPGP public key ring: {e.Message}", nameof(publicKeys), e);
            }
        }
        if (rings.Count == 0)
        {
            throw new ArgumentException("no OpenPGP public key given", nameof(publicKeys));
        }
        keys = new PgpPublicKeyRingBundle(rings);
    }

    /// <summary>Reads armored or binary key ring files.</summary>
    public static PgpVerifier FromFiles(IEnumerable<string> paths) => new(paths.Select(File.ReadAllBytes));

    /// <summary>Verifies a detached signature given as armored text.</summary>
    public SignatureCheck Verify(ReadOnlySpan<byte> data, string armoredSignature) => Verify(data, Encoding.ASCII.GetBytes(armoredSignature));

    /// <summary>Verifies a detached signature (armored or binary) over <paramref name="data"/>.</summary>
    public SignatureCheck Verify(ReadOnlySpan<byte> data, byte[] signature)
    {
        PgpSignatureList list;
        try
        {
            list = ReadSignatures(signature);
        }
        catch (Exception e) when (e is PgpException or IOException or InvalidCastException)
        {
            return SignatureCheck.Invalid($"not an OpenPGP signature: {e.Message}");
        }
        var checks = new List<SignatureCheck>();
        for (var i = 0; i < list.Count; i++)
        {
            checks.Add(VerifyOne(list[i], data));
            if (checks[^1].IsValid)
            {
                return checks[^1];
            }
        }
        return SignatureCheck.Best(checks, "no OpenPGP signature in the data");
    }

    /// <summary>
    /// Verifies a detached signature over <paramref name="data"/>, read once to its end in chunks (for files too big
    /// to hold, like ACIs). The first signature made by a configured key is the one checked.
    /// </summary>
    public async Task<SignatureCheck> VerifyAsync(Stream data, byte[] signature, CancellationToken cancellationToken)
    {
        PgpSignatureList list;
        try
        {
            list = ReadSignatures(signature);
        }
        catch (Exception e) when (e is PgpException or IOException or InvalidCastException)
        {
            return SignatureCheck.Invalid($"not an OpenPGP signature: {e.Message}");
        }
        var checks = new List<SignatureCheck>();
        for (var i = 0; i < list.Count; i++)
        {
            var candidate = list[i];
            var refusal = Refusal(candidate);
            if (refusal is not null)
            {
                checks.Add(refusal);
                continue;
            }
            var keyId = candidate.KeyId.ToString("X16");
            try
            {
                candidate.InitVerify(keys.GetPublicKey(candidate.KeyId));
                var buffer = new byte[1 << 17];
                int n;
                while ((n = await data.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    candidate.Update(buffer, 0, n);
                }
                return candidate.Verify()
                    ? SignatureCheck.Valid($"OpenPGP signature by key {keyId}")
                    : SignatureCheck.Invalid($"OpenPGP signature by key {keyId} does not match the data");
            }
            catch (PgpException e)
            {
                return SignatureCheck.Invalid($"OpenPGP signature by key {keyId} cannot be checked: {e.Message}");
            }
        }
        return SignatureCheck.Best(checks, "no OpenPGP signature in the data");
    }

    /// <summary>The fingerprints (upper-case hex) of the primary keys of exported key rings; empty when the data holds none.</summary>
    public static IReadOnlyList<string> ReadFingerprints(byte[] publicKeyRing)
    {
        try
        {
            using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(publicKeyRing));
            return new PgpPublicKeyRingBundle(decoder).GetKeyRings()
                .Select(r => Convert.ToHexString(r.GetPublicKey().GetFingerprint())).ToList();
        }
        catch (Exception e) when (e is PgpException or IOException or InvalidCastException or ArgumentException)
        {
            return [];
        }
    }

    private SignatureCheck? Refusal(PgpSignature signature)
    {
        var keyId = signature.KeyId.ToString("X16");
        var key = keys.GetPublicKey(signature.KeyId);
        if (key is null)
        {
            return SignatureCheck.Invalid($"signed by key {keyId}, which is not configured");
        }
        if (signature.SignatureType != PgpSignature.BinaryDocument)
        {
            return SignatureCheck.Invalid($"signature type {signature.SignatureType} is not a binary-document signature");
        }
        if (key.HasRevocation())
        {
            return SignatureCheck.Invalid($"key {keyId} is revoked");
        }
        var validSeconds = key.GetValidSeconds();
        return validSeconds > 0 && signature.CreationTime > key.CreationTime.AddSeconds(validSeconds)
            ? SignatureCheck.Invalid($"key {keyId} had expired when it signed")
            : null;
    }

    private SignatureCheck VerifyOne(PgpSignature signature, ReadOnlySpan<byte> data)
    {
        if (Refusal(signature) is { } refusal)
        {
            return refusal;
        }
        var keyId = signature.KeyId.ToString("X16");
        var key = keys.GetPublicKey(signature.KeyId);
        try
        {
            signature.InitVerify(key);
            signature.Update(data);
            return signature.Verify()
                ? SignatureCheck.Valid($"OpenPGP signature by key {keyId}")
                : SignatureCheck.Invalid($"OpenPGP signature by key {keyId} does not match the data");
        }
        catch (PgpException e)
        {
            return SignatureCheck.Invalid($"OpenPGP signature by key {keyId} cannot be checked: {e.Message}");
        }
    }

    private static PgpSignatureList ReadSignatures(byte[] signature)
    {
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(signature));
        var factory = new PgpObjectFactory(decoder);
        var first = factory.NextPgpObject();
        if (first is PgpCompressedData compressed)
        {
            first = new PgpObjectFactory(compressed.GetDataStream()).NextPgpObject();
        }
        return first as PgpSignatureList ?? throw new PgpException("no signature packet");
    }
}
