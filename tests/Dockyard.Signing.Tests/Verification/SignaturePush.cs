using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>A manifest as pushed: media type, digest and size.</summary>
public sealed record PushedManifest(string MediaType, string Digest, long Size);

/// <summary>Pushes images and signature artifacts to a registry over HTTP, as cosign and notation do.</summary>
public static class SignaturePush
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string SimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";

    public static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<string> PushBlobAsync(HttpClient client, string repository, byte[] data)
    {
        var digest = DigestOf(data);
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    public static async Task<PushedManifest> PushManifestAsync(HttpClient client, string repository, string reference, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return new PushedManifest(OciManifest, DigestOf(bytes), bytes.Length);
    }

    /// <summary>A small image: a config and one random layer, under <paramref name="tag"/>.</summary>
    public static async Task<PushedManifest> PushImageAsync(HttpClient client, string repository, string tag)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","n":"{{Guid.NewGuid()}}"}""");
        var layer = RandomNumberGenerator.GetBytes(512);
        var configDigest = await PushBlobAsync(client, repository, config);
        var layerDigest = await PushBlobAsync(client, repository, layer);
        return await PushManifestAsync(client, repository, tag,
            $$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layerDigest}}","size":{{layer.Length}}}]}""");
    }

    /// <summary>The simple-signing payload cosign signs for <paramref name="digest"/>.</summary>
    public static byte[] CosignPayload(string reference, string digest) => Encoding.UTF8.GetBytes(
        $$"""{"critical":{"identity":{"docker-reference":"{{reference}}"},"image":{"docker-manifest-digest":"{{digest}}"},"type":"cosign container image signature"},"optional":null}""");

    /// <summary>Pushes a cosign <c>sha256-&lt;hex&gt;.sig</c> manifest with one layer per (payload, DER signature).</summary>
    public static async Task<PushedManifest> PushCosignSignatureAsync(HttpClient client, string repository, string signedDigest,
        params (byte[] Payload, byte[] Signature)[] layers)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"","config":{},"created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = await PushBlobAsync(client, repository, config);
        var descriptors = new List<string>();
        foreach (var (payload, signature) in layers)
        {
            var digest = await PushBlobAsync(client, repository, payload);
            descriptors.Add($$$"""{"mediaType":"{{{SimpleSigning}}}","size":{{{payload.Length}}},"digest":"{{{digest}}}","annotations":{"dev.cosignproject.cosign/signature":"{{{Convert.ToBase64String(signature)}}}"}}""");
        }
        var tag = signedDigest.Replace(':', '-') + ".sig";
        return await PushManifestAsync(client, repository, tag,
            $$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":{{config.Length}},"digest":"{{configDigest}}"},"layers":[{{string.Join(",", descriptors)}}]}""");
    }

    /// <summary>Pushes a notation signature manifest (a referrer of <paramref name="subject"/>) holding <paramref name="envelope"/>.</summary>
    public static async Task<PushedManifest> PushNotationSignatureAsync(HttpClient client, string repository, PushedManifest subject, byte[] envelope)
    {
        var empty = await PushBlobAsync(client, repository, "{}"u8.ToArray());
        var envelopeDigest = await PushBlobAsync(client, repository, envelope);
        var json = NotationEnvelopes.ManifestJson(empty, envelopeDigest, envelope.Length, subject.MediaType, subject.Digest, subject.Size);
        return await PushManifestAsync(client, repository, DigestOf(Encoding.UTF8.GetBytes(json)), json);
    }
}
