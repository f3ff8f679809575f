using System.Formats.Asn1;
using System.Text;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>
/// Builds Notary Project JWS envelopes (flattened JSON) the way notation does, signing the JWS signing input with
/// openssl: ES256 (DER ECDSA turned into JWS's raw r||s) or PS256.
/// </summary>
public static class NotationEnvelopes
{
    public const string ArtifactType = "application/vnd.cncf.notary.signature";

    /// <param name="chain">Certificate names (leaf first) for x5c; the leaf's key signs.</param>
    /// <param name="headerExtra">Raw JSON members appended to the protected header.</param>
    public static async Task<byte[]> BuildAsync(ToolFolder dir, string mediaType, string digest, long size, string[] chain, bool rsa = false,
        string? signingTime = null, string? headerExtra = null, string? crit = null)
    {
        var payload = $$$"""{"targetArtifact":{"mediaType":"{{{mediaType}}}","digest":"{{{digest}}}","size":{{{size}}}}}""";
        var header = $$"""{"alg":"{{(rsa ? "PS256" : "ES256")}}","cty":"application/vnd.cncf.notary.payload.v1+json","crit":{{crit ?? "[\"io.cncf.notary.signingScheme\"]"}},"io.cncf.notary.signingScheme":"notary.x509","io.cncf.notary.signingTime":"{{signingTime ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ")}}"{{headerExtra}}}""";
        var signingInput = B64Url(Encoding.UTF8.GetBytes(header)) + "." + B64Url(Encoding.UTF8.GetBytes(payload));
        var der = await OpenSslPki.SignAsync(dir, chain[0], Encoding.ASCII.GetBytes(signingInput), pss: rsa);
        var signature = rsa ? der : DerToRaw(der, 32);
        var x5c = new List<string>();
        foreach (var certificate in chain)
        {
            x5c.Add("\"" + await OpenSslPki.DerBase64Async(dir, certificate) + "\"");
        }
        var parts = signingInput.Split('.');
        return Encoding.UTF8.GetBytes(
            $$"""{"payload":"{{parts[1]}}","protected":"{{parts[0]}}","header":{"x5c":[{{string.Join(",", x5c)}}],"io.cncf.notary.signingAgent":"openssl-test"},"signature":"{{B64Url(signature)}}"}""");
    }

    /// <summary>An OCI image manifest of artifact type notary signature, a subject manifest, one JWS layer.</summary>
    public static string ManifestJson(string emptyConfigDigest, string envelopeDigest, long envelopeSize, string subjectMediaType, string subjectDigest, long subjectSize) =>
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"{{{ArtifactType}}}","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{emptyConfigDigest}}}","size":2},"layers":[{"mediaType":"application/jose+json","digest":"{{{envelopeDigest}}}","size":{{{envelopeSize}}}}],"subject":{"mediaType":"{{{subjectMediaType}}}","digest":"{{{subjectDigest}}}","size":{{{subjectSize}}}}}""";

    public static string B64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>ASN.1 <c>SEQUENCE { r INTEGER, s INTEGER }</c> → r||s, each left-padded to <paramref name="size"/> bytes.</summary>
    public static byte[] DerToRaw(byte[] der, int size)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var raw = new byte[2 * size];
        for (var i = 0; i < 2; i++)
        {
            var value = sequence.ReadIntegerBytes().Span.TrimStart((byte)0);
            value.CopyTo(raw.AsSpan((i + 1) * size - value.Length));
        }
        return raw;
    }
}
