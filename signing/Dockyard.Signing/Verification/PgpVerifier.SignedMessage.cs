using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Dockyard.Signing.Verification;

/// <summary>What a signed OpenPGP message held: the check of its signature and, when it verified, the signed bytes.</summary>
public sealed record PgpSignedMessage(SignatureCheck Check, byte[]? Payload);

public sealed partial class PgpVerifier
{
    /// <summary>Signed payloads (simple-signing documents) are small; a message carrying more is refused.</summary>
    public const int MaxSignedPayloadBytes = 1024 * 1024;

    /// <summary>
    /// Verifies an OpenPGP signed message (not a detached signature), as <c>gpg --sign</c> and containers/image's
    /// simple signing make it: optionally compressed, a one-pass signature packet, the literal data, the signature
    /// packet. The first one-pass signature by a configured key is checked (with the refusals of detached signatures:
    /// binary documents only, no revoked or expired key); its payload is returned only when the signature verified.
    /// </summary>
    public PgpSignedMessage VerifySignedMessage(byte[] message)
    {
        try
        {
            using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(message));
            var factory = new PgpObjectFactory(decoder);
            var first = factory.NextPgpObject();
            if (first is PgpCompressedData compressed)
            {
                factory = new PgpObjectFactory(compressed.GetDataStream());
                first = factory.NextPgpObject();
            }
            if (first is not PgpOnePassSignatureList onePassList || onePassList.Count == 0)
            {
                return Refused(first is PgpSignatureList ? "a detached OpenPGP signature, not a signed message" : "not an OpenPGP signed message");
            }
            if (factory.NextPgpObject() is not PgpLiteralData literal)
            {
                return Refused("the signed message holds no literal data");
            }
            PgpOnePassSignature? onePass = null;
            for (var i = 0; i < onePassList.Count && onePass is null; i++)
            {
                onePass = keys.GetPublicKey(onePassList[i].KeyId) is null ? null : onePassList[i];
            }
            if (onePass is null)
            {
                return Refused($"signed by key {onePassList[0].KeyId:X16}, which is not configured");
            }
            var keyId = onePass.KeyId.ToString("X16");
            onePass.InitVerify(keys.GetPublicKey(onePass.KeyId));
            var payload = ReadPayload(literal.GetInputStream());
            if (payload is null)
            {
                return Refused($"the signed payload exceeds {MaxSignedPayloadBytes} bytes");
            }
            onePass.Update(payload);
            var signature = FindSignature(factory.NextPgpObject() as PgpSignatureList, onePass.KeyId);
            if (signature is null)
            {
                return Refused($"the signed message has no signature packet for key {keyId}");
            }
            if (Refusal(signature) is { } refusal)
            {
                return new PgpSignedMessage(refusal, null);
            }
            return onePass.Verify(signature)
                ? new PgpSignedMessage(SignatureCheck.Valid($"OpenPGP signature by key {keyId}"), payload)
                : Refused($"OpenPGP signature by key {keyId} does not match the signed payload");
        }
        catch (Exception e) when (e is PgpException or IOException or InvalidCastException or ArgumentException)
        {
            return Refused($"not an OpenPGP signed message: {e.Message}");
        }
    }

    private static byte[]? ReadPayload(Stream literal)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = literal.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > MaxSignedPayloadBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static PgpSignature? FindSignature(PgpSignatureList? list, long keyId)
    {
        for (var i = 0; list is not null && i < list.Count; i++)
        {
            if (list[i].KeyId == keyId)
            {
                return list[i];
            }
        }
        return null;
    }

    private static PgpSignedMessage Refused(string why) => new(SignatureCheck.Invalid(why), null);
}
