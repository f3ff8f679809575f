using System.Security.Cryptography;
using Dockyard.Core.Blobs;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Signing.Verification;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>cosign-style signatures made with <c>openssl dgst -sha256 -sign</c>, pushed over HTTP, verified from the stores.</summary>
public sealed class CosignVerifierTests
{
    private const string Repository = "secure/app";

    [Fact]
    public async Task Openssl_signed_payload_verifies_and_tampering_wrong_keys_and_digests_are_refused()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.EcKeyAsync(dir, "signer");
        await OpenSslPki.EcKeyAsync(dir, "other");
        await using var server = await RegistryServer.StartAsync();
        var verifier = new CosignVerifier(ContentOf(server));
        var keys = new[] { LoadKey(dir, "signer") };
        var name = RepositoryName.Parse(Repository);

        var image = await SignaturePush.PushImageAsync(server.Client, Repository, "v1");
        var digest = Digest.Parse(image.Digest);
        Assert.Equal(SignatureOutcome.NoneFound, (await verifier.VerifyAsync(name, digest, keys, null, default)).Outcome);

        var payload = SignaturePush.CosignPayload($"{server.HostAndPort}/{Repository}", image.Digest);
        var signature = await OpenSslPki.SignAsync(dir, "signer", payload);
        await SignaturePush.PushCosignSignatureAsync(server.Client, Repository, image.Digest, (payload, signature));
        var valid = await verifier.VerifyAsync(name, digest, keys, null, default);
        Assert.True(valid.IsValid, valid.Reason);
        Assert.True((await verifier.VerifyAsync(name, digest, keys, $"{server.HostAndPort}/{Repository}", default)).IsValid);

        var wrongIdentity = await verifier.VerifyAsync(name, digest, keys, "registry.example.com/secure/app", default);
        Assert.Equal(SignatureOutcome.Invalid, wrongIdentity.Outcome);
        Assert.Contains("identity", wrongIdentity.Reason);

        var wrongKey = await verifier.VerifyAsync(name, digest, [LoadKey(dir, "other")], null, default);
        Assert.Equal(SignatureOutcome.Invalid, wrongKey.Outcome);
        Assert.Contains("does not verify", wrongKey.Reason);
    }

    [Fact]
    public void Payload_checks_refuse_tampered_payloads_other_digests_and_garbage()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var digest = Digest.Compute("manifest"u8);
        var payload = SignaturePush.CosignPayload("r/x", digest.Value);
        var signature = key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var sig64 = Convert.ToBase64String(signature);
        Assert.True(CosignVerifier.VerifyPayload(payload, sig64, digest, [key], null).IsValid);

        var tampered = (byte[])payload.Clone();
        tampered[^3] ^= 1;
        Assert.Equal(SignatureOutcome.Invalid, CosignVerifier.VerifyPayload(tampered, sig64, digest, [key], null).Outcome);
        Assert.Contains("signs", CosignVerifier.VerifyPayload(payload, sig64, Digest.Compute("other"u8), [key], null).Reason);
        Assert.Contains("annotation", CosignVerifier.VerifyPayload(payload, null, digest, [key], null).Reason);
        Assert.Contains("base64", CosignVerifier.VerifyPayload(payload, "%%%", digest, [key], null).Reason);
    }

    [Fact]
    public async Task A_signature_naming_another_digest_is_invalid_even_when_the_key_is_right()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.EcKeyAsync(dir, "signer");
        await using var server = await RegistryServer.StartAsync();
        var image = await SignaturePush.PushImageAsync(server.Client, Repository, "v1");
        var other = await SignaturePush.PushImageAsync(server.Client, Repository, "v2");
        var payload = SignaturePush.CosignPayload(Repository, other.Digest);
        // The signature of v2's payload stored under v1's .sig tag.
        await SignaturePush.PushCosignSignatureAsync(server.Client, Repository, image.Digest, (payload, await OpenSslPki.SignAsync(dir, "signer", payload)));
        var check = await new CosignVerifier(ContentOf(server)).VerifyAsync(RepositoryName.Parse(Repository), Digest.Parse(image.Digest),
            [LoadKey(dir, "signer")], null, default);
        Assert.Equal(SignatureOutcome.Invalid, check.Outcome);
        Assert.Contains(other.Digest, check.Reason);
    }

    internal static SignatureContent ContentOf(RegistryServer server) => new(server.Services.GetRequiredService<IBlobStore>(),
        server.Services.GetRequiredService<IMetadataStore>(), server.Services.GetRequiredService<ManifestService>());

    private static ECDsa LoadKey(ToolFolder dir, string name)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(dir.File(name + ".pub")));
        return key;
    }
}
