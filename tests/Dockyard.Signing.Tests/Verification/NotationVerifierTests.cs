using System.Security.Cryptography.X509Certificates;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Signing.Verification;
using Dockyard.Testing;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>Notation-style JWS envelopes built from openssl-made CA and leaf certificates, signed with openssl.</summary>
public sealed class NotationVerifierTests
{
    private const string MediaType = "application/vnd.oci.image.manifest.v1+json";
    private static readonly Digest Target = Digest.Compute("the signed manifest"u8);
    private static readonly ManifestRecord Manifest = new(Target, MediaType, 1234, null, null, null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Es256_and_ps256_envelopes_chained_to_the_root_verify()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.RootCaAsync(dir, "root");
        await OpenSslPki.LeafAsync(dir, "ecleaf", "root");
        await OpenSslPki.LeafAsync(dir, "rsaleaf", "root", rsa: true);
        var roots = Roots(dir, "root");

        var es256 = await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["ecleaf", "root"]);
        var check = NotationVerifier.VerifyEnvelope(es256, Manifest, roots, DateTimeOffset.UtcNow);
        Assert.True(check.IsValid, check.Reason);
        Assert.Contains("CN=ecleaf", check.Reason);

        var ps256 = await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["rsaleaf"], rsa: true);
        check = NotationVerifier.VerifyEnvelope(ps256, Manifest, roots, DateTimeOffset.UtcNow);
        Assert.True(check.IsValid, check.Reason);
    }

    [Fact]
    public async Task Tampering_other_targets_untrusted_roots_expired_and_unfit_certificates_are_refused()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.RootCaAsync(dir, "root");
        await OpenSslPki.RootCaAsync(dir, "stranger");
        await OpenSslPki.LeafAsync(dir, "leaf", "root");
        await OpenSslPki.LeafAsync(dir, "expired", "root", start: "20200101000000Z", end: "20200201000000Z");
        await OpenSslPki.LeafAsync(dir, "encipher", "root", extensions: "nousage");
        await OpenSslPki.LeafAsync(dir, "foreign", "stranger");
        var roots = Roots(dir, "root");
        var now = DateTimeOffset.UtcNow;

        var good = await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["leaf"]);
        var tampered = System.Text.Encoding.UTF8.GetString(good).Replace("\"payload\":\"", "\"payload\":\"e", StringComparison.Ordinal);
        Assert.False(NotationVerifier.VerifyEnvelope(System.Text.Encoding.UTF8.GetBytes(tampered), Manifest, roots, now).IsValid);

        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Digest.Compute("other"u8).Value, 1234, ["leaf"]), roots, "is for");
        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 999, ["leaf"]), roots, "999 bytes");
        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["foreign", "stranger"]), roots, "trust root");
        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["expired"], signingTime: "2020-01-15T00:00:00Z"),
            roots, "not valid now");
        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["encipher"]), roots, "digitalSignature");
        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["leaf"],
            headerExtra: ",\"io.cncf.notary.expiry\":\"2021-01-01T00:00:00Z\"", crit: "[\"io.cncf.notary.signingScheme\",\"io.cncf.notary.expiry\"]"), roots, "expired");
        AssertRefused(await NotationEnvelopes.BuildAsync(dir, MediaType, Target.Value, 1234, ["leaf"],
            headerExtra: ",\"x-unknown\":1", crit: "[\"io.cncf.notary.signingScheme\",\"x-unknown\"]"), roots, "not understood");
        AssertRefused(good, Roots(dir, "stranger"), "trust root");
    }

    [Fact]
    public async Task Signatures_are_found_among_the_referrers_pushed_over_http()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.RootCaAsync(dir, "root");
        await OpenSslPki.LeafAsync(dir, "leaf", "root");
        await using var server = await RegistryServer.StartAsync();
        var verifier = new NotationVerifier(CosignVerifierTests.ContentOf(server), TimeProvider.System);
        var image = await SignaturePush.PushImageAsync(server.Client, "prod/app", "v1");
        var record = new ManifestRecord(Digest.Parse(image.Digest), image.MediaType, image.Size, null, null, null, DateTimeOffset.UtcNow);
        var name = RepositoryName.Parse("prod/app");
        Assert.Equal(SignatureOutcome.NoneFound, (await verifier.VerifyAsync(name, record, Roots(dir, "root"), default)).Outcome);

        var envelope = await NotationEnvelopes.BuildAsync(dir, image.MediaType, image.Digest, image.Size, ["leaf", "root"]);
        await SignaturePush.PushNotationSignatureAsync(server.Client, "prod/app", image, envelope);
        var check = await verifier.VerifyAsync(name, record, Roots(dir, "root"), default);
        Assert.True(check.IsValid, check.Reason);
    }

    internal static X509Certificate2Collection Roots(ToolFolder dir, string name)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(dir.File(name + ".crt"));
        return roots;
    }

    private static void AssertRefused(byte[] envelope, X509Certificate2Collection roots, string reason)
    {
        var check = NotationVerifier.VerifyEnvelope(envelope, Manifest, roots, DateTimeOffset.UtcNow);
        Assert.Equal(SignatureOutcome.Invalid, check.Outcome);
        Assert.Contains(reason, check.Reason);
    }
}
