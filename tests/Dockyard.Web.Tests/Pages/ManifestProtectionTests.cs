using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Testing;
using Dockyard.Web.Browsing;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// The manifest page's protection facts: ocicrypt-encrypted layers and their recipients, signatures stored as
/// referrers or under cosign's tag, the configured signing policy's verdict, and the <c>launcher run</c> command.
/// </summary>
public sealed class ManifestProtectionTests
{
    [Fact]
    public async Task Encrypted_layers_signatures_and_the_launcher_command_are_shown()
    {
        await using var registry = await WebRegistry.StartAsync(standalone: true);
        using var api = registry.ApiClient();
        var encrypted = await PushAsync(api, "team/app", "v1", [
            Layer("application/vnd.oci.image.layer.v1.tar+gzip+encrypted", new() { ["org.opencontainers.image.enc.keys.jwe"] = "a2V5MQ==,a2V5Mg==" }),
            Layer("application/vnd.oci.image.layer.v1.tar+gzip", null),
        ]);
        var notation = await PushAsync(api, "team/app", null, [Layer("application/jose+json", null)],
            ManifestProtection.NotationArtifactType, encrypted);
        var cosignTag = "sha256-" + encrypted.Digest["sha256:".Length..] + ".sig";
        var cosign = await PushAsync(api, "team/app", cosignTag, [Layer(ManifestProtection.CosignPayloadMediaType, null)]);
        var plain = await PushAsync(api, "team/app", "plain", [Layer("application/vnd.oci.image.layer.v1.tar+gzip", null)]);
        using var session = new WebSession(registry.BaseAddress);

        var html = (await session.GetAsync("/manifests/team/app?reference=v1")).Html;
        Assert.Contains("1 of 2 layers, for 2 recipient keys", Section(html, "encryption"));
        var signatures = Section(html, "signatures");
        Assert.Contains("notation (referrer)", signatures);
        Assert.Contains(Format.ShortDigest(Core.Names.Digest.Parse(notation.Digest)), signatures);
        Assert.Contains("cosign (tag)", signatures);
        Assert.Contains(Format.ShortDigest(Core.Names.Digest.Parse(cosign.Digest)), signatures);
        Assert.Contains("none configured", Section(html, "signing-policy"));
        Assert.Contains($"value=\"launcher run --rm --decryption-key key.pem {registry.Server.HostAndPort}/team/app:v1\"", html);

        var plainHtml = (await session.GetAsync("/manifests/team/app?reference=plain")).Html;
        Assert.Contains("none of 1 layers", Section(plainHtml, "encryption"));
        Assert.Contains("none stored", Section(plainHtml, "signatures"));
        Assert.Contains($"value=\"launcher run --rm {registry.Server.HostAndPort}/team/app:plain\"", plainHtml);
        Assert.NotEqual(plain.Digest, encrypted.Digest);
    }

    [Fact]
    public async Task The_configured_policy_verdict_is_shown_refused_under_its_rule_for_an_unsigned_protected_image_and_not_covered_elsewhere()
    {
        var folder = Directory.CreateTempSubdirectory("dockyard-web-policy-").FullName;
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(Path.Combine(folder, "cosign.pub"), key.ExportSubjectPublicKeyInfoPem());
            File.WriteAllText(Path.Combine(folder, "policy.json"),
                """{ "rules": [ { "repositories": "secure/*", "require": "cosign", "keys": ["cosign.pub"] } ] }""");
            await using var registry = await WebRegistry.StartAsync(standalone: true,
                extra: new Dictionary<string, string?> { ["signing:policyfile"] = Path.Combine(folder, "policy.json") });
            using var api = registry.ApiClient();
            await PushAsync(api, "secure/app", "v1", [Layer("application/vnd.oci.image.layer.v1.tar+gzip", null)]);
            await PushAsync(api, "open/app", "v1", [Layer("application/vnd.oci.image.layer.v1.tar+gzip", null)]);
            using var session = new WebSession(registry.BaseAddress);

            var refused = (await session.GetAsync("/manifests/secure/app?reference=v1")).Html;
            Assert.Contains("badge private\">refused", Section(refused, "signing-policy"));
            Assert.Contains("requires a cosign signature", Section(refused, "signing-policy"));
            Assert.Contains("(under rule 1 (secure/*): cosign signature by a configured key)", Section(refused, "signing-policy"));
            Assert.DoesNotContain("<caption>Layers</caption>", refused);
            var accepted = (await session.GetAsync("/manifests/open/app?reference=v1")).Html;
            // Not "verified": the policy has no rule for this repository, which the page says rather than implying a check.
            Assert.Contains("badge\">not covered", Section(accepted, "signing-policy"));
            Assert.Contains("no rule of the configured policy covers this repository", Section(accepted, "signing-policy"));
            Assert.DoesNotContain("verified", Section(accepted, "signing-policy"));

            var signed = await PushAsync(api, "secure/signed", "v1", [Layer("application/vnd.oci.image.layer.v1.tar+gzip", null)]);
            await PushCosignSignatureAsync(api, "secure/signed", signed.Digest, key);
            var verified = (await session.GetAsync("/manifests/secure/signed?reference=v1")).Html;
            Assert.Contains("badge public\">verified", Section(verified, "signing-policy"));
            Assert.Contains("under rule 1 (secure/*): cosign signature by a configured key", Section(verified, "signing-policy"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The text of the <dd id="..."> the page gives each fact.
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<dd id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {id} on the page");
        return html[start..html.IndexOf("</dd>", start, StringComparison.Ordinal)];
    }

    // A cosign signature as cosign stores it: the simple-signing payload as a layer of the sha256-<hex>.sig manifest, its
    // DER ECDSA signature in the layer's annotation.
    private static async Task PushCosignSignatureAsync(HttpClient api, string repository, string signedDigest, ECDsa key)
    {
        var reference = $"{api.BaseAddress!.Host}:{api.BaseAddress.Port}/{repository}";
        var payload = Encoding.UTF8.GetBytes(
            $$"""{"critical":{"identity":{"docker-reference":"{{reference}}"},"image":{"docker-manifest-digest":"{{signedDigest}}"},"type":"cosign container image signature"},"optional":null}""");
        var blob = await TestImage.PushBlobAsync(api, repository, payload);
        var config = await TestImage.PushBlobAsync(api, repository, Encoding.UTF8.GetBytes("{}"));
        var signature = Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = TestImage.OciManifest,
            ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config.Digest, size = config.Size },
            ["layers"] = new[]
            {
                new
                {
                    mediaType = ManifestProtection.CosignPayloadMediaType, digest = blob.Digest, size = blob.Size,
                    annotations = new Dictionary<string, string> { ["dev.cosignproject.cosign/signature"] = signature },
                },
            },
        });
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(TestImage.OciManifest);
        using var response = await api.PutAsync($"/v2/{repository}/manifests/{signedDigest.Replace(':', '-')}.sig", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static (string MediaType, Dictionary<string, string>? Annotations) Layer(string mediaType, Dictionary<string, string>? annotations) =>
        (mediaType, annotations);

    // An OCI manifest over fresh random layers of the given kinds, tagged (or pushed by digest when tag is null).
    private static async Task<TestImage> PushAsync(HttpClient api, string repository, string? tag,
        (string MediaType, Dictionary<string, string>? Annotations)[] layers, string? artifactType = null, TestImage? subject = null)
    {
        var config = await TestImage.PushBlobAsync(api, repository, Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"{Guid.NewGuid()}\"}}"));
        var descriptors = new List<object>();
        foreach (var (mediaType, annotations) in layers)
        {
            var blob = await TestImage.PushBlobAsync(api, repository, RandomNumberGenerator.GetBytes(48));
            descriptors.Add(annotations is null
                ? new { mediaType, digest = blob.Digest, size = blob.Size }
                : new { mediaType, digest = blob.Digest, size = blob.Size, annotations });
        }
        var manifest = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = TestImage.OciManifest,
            ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config.Digest, size = config.Size },
            ["layers"] = descriptors,
        };
        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }
        if (subject is not null)
        {
            manifest["subject"] = new { mediaType = subject.MediaType, digest = subject.Digest, size = subject.Size };
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
        var digest = TestImage.DigestOf(bytes);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(TestImage.OciManifest);
        using var response = await api.PutAsync($"/v2/{repository}/manifests/{tag ?? digest}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new TestImage(repository, digest, TestImage.OciManifest, bytes.Length);
    }
}
