using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Hosting.Configuration;
using Dockyard.Signing.Verification;
using Dockyard.Testing;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>The signing policy file, its start-up validation, and its enforcement on pulls over HTTP.</summary>
public sealed class SigningPolicyTests
{
    [Theory]
    [InlineData("secure/*", "secure/app", true)]
    [InlineData("secure/*", "secure/a/b", false)]
    [InlineData("secure/*", "secureapp", false)]
    [InlineData("prod/**", "prod/team/app", true)]
    [InlineData("prod/**", "prod", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("library/nginx", "library/nginx", true)]
    [InlineData("library/nginx", "library/nginx2", false)]
    public void Patterns_match_names_and_globs(string pattern, string repository, bool matches) =>
        Assert.Equal(matches, RepositoryPattern.TryParse(pattern)!.Matches(RepositoryName.Parse(repository)));

    [Fact]
    public void Faults_are_named_by_rule_index_and_key()
    {
        using var dir = new TempPolicy("""{"rules":[{"repositories":"Secure/*","require":"cosign","keys":["missing.pub"]},{"repositories":"x","require":"gpg"},{"repositories":"y","require":"notation","colour":"red"}]}""");
        var error = Assert.Throws<SignaturePolicyException>(() => SignaturePolicyLoader.Load(dir.PolicyPath));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[0].repositories = 'Secure/*'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[0].keys[0] = 'missing.pub': file not found", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[1].require = 'gpg'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[2].colour: unknown key", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[2].trustroots: required", StringComparison.Ordinal));

        var settings = RuntimeSettings.Load(null, new Dictionary<string, string?> { ["signing:policyfile"] = dir.PolicyPath });
        var startup = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(settings));
        Assert.Contains($"[signing] policyfile = '{dir.PolicyPath}': rules[1].require = 'gpg'", startup.Message);
    }

    [Fact]
    public async Task Pulls_from_protected_repositories_need_a_valid_signature_and_signatures_stay_pullable()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.EcKeyAsync(dir, "cosign");
        await OpenSslPki.EcKeyAsync(dir, "intruder");
        await OpenSslPki.RootCaAsync(dir, "root");
        await OpenSslPki.LeafAsync(dir, "leaf", "root");
        dir.Write("policy.json", """
            { "rules": [
                { "repositories": "secure/*", "require": "cosign", "keys": ["cosign.pub"] },
                { "repositories": "prod/**", "require": "notation", "trustroots": ["root.crt"] } ] }
            """);
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["signing:policyfile"] = dir.File("policy.json") });
        var client = server.Client;

        var unsigned = await SignaturePush.PushImageAsync(client, "secure/app", "unsigned");
        await AssertDeniedAsync(client, "secure/app", "unsigned", "repository 'secure/app' requires a cosign signature by a configured key: none found");
        await AssertDeniedAsync(client, "secure/app", unsigned.Digest, "none found", HttpMethod.Head);

        var signed = await SignaturePush.PushImageAsync(client, "secure/app", "signed");
        var payload = SignaturePush.CosignPayload($"{server.HostAndPort}/secure/app", signed.Digest);
        var signature = await SignaturePush.PushCosignSignatureAsync(client, "secure/app", signed.Digest, (payload, await OpenSslPki.SignAsync(dir, "cosign", payload)));
        await AssertOkAsync(client, "secure/app", "signed");
        await AssertOkAsync(client, "secure/app", "signed", HttpMethod.Head);
        await AssertOkAsync(client, "secure/app", signed.Digest.Replace(':', '-') + ".sig");
        await AssertOkAsync(client, "secure/app", signature.Digest);

        var forged = await SignaturePush.PushImageAsync(client, "secure/app", "forged");
        var forgedPayload = SignaturePush.CosignPayload("secure/app", forged.Digest);
        await SignaturePush.PushCosignSignatureAsync(client, "secure/app", forged.Digest, (forgedPayload, await OpenSslPki.SignAsync(dir, "intruder", forgedPayload)));
        await AssertDeniedAsync(client, "secure/app", "forged", "requires a cosign signature by a configured key: invalid (signature does not verify");

        var prod = await SignaturePush.PushImageAsync(client, "prod/team/app", "v1");
        await AssertDeniedAsync(client, "prod/team/app", "v1", "requires a notation signature chained to a configured trust root: none found");
        var envelope = await NotationEnvelopes.BuildAsync(dir, prod.MediaType, prod.Digest, prod.Size, ["leaf", "root"]);
        var notarySignature = await SignaturePush.PushNotationSignatureAsync(client, "prod/team/app", prod, envelope);
        using (var referrers = await client.GetAsync($"/v2/prod/team/app/referrers/{prod.Digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, referrers.StatusCode);
        }
        await AssertOkAsync(client, "prod/team/app", notarySignature.Digest);
        await AssertOkAsync(client, "prod/team/app", "v1");

        await SignaturePush.PushImageAsync(client, "open/app", "v1");
        await AssertOkAsync(client, "open/app", "v1");
    }

    /// <summary>
    /// A pusher without the signing key cannot dress an image as a signature: a manifest whose <c>layers</c> hold only a
    /// cosign payload (exempt from the policy) and whose <c>Layers</c> (or a second <c>layers</c>) hold a runnable layer
    /// would be served, and docker, containerd and skopeo (Go's case-insensitive, last-wins decoding) would run that layer.
    /// </summary>
    [Fact]
    public async Task A_manifest_whose_layers_clients_read_otherwise_is_not_stored_in_a_protected_repository()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.EcKeyAsync(dir, "cosign");
        dir.Write("policy.json", """{ "rules": [ { "repositories": "secure/*", "require": "cosign", "keys": ["cosign.pub"] } ] }""");
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["signing:policyfile"] = dir.File("policy.json") });
        var client = server.Client;
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
        var layer = Encoding.UTF8.GetBytes("runnable layer");
        var payload = SignaturePush.CosignPayload("secure/app", SignaturePush.DigestOf(layer));
        var configDigest = await SignaturePush.PushBlobAsync(client, "secure/app", config);
        var layerDigest = await SignaturePush.PushBlobAsync(client, "secure/app", layer);
        var payloadDigest = await SignaturePush.PushBlobAsync(client, "secure/app", payload);
        var configDescriptor = $$"""{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}}""";
        var payloadLayers = $$"""[{"mediaType":"{{SignaturePush.SimpleSigning}}","digest":"{{payloadDigest}}","size":{{payload.Length}}}]""";
        var runnableLayers = $$"""[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layerDigest}}","size":{{layer.Length}}}]""";

        foreach (var smuggled in new[] { "Layers", "layers", "LAYERS", "layer\u017f" })
        {
            var json = $$"""{"schemaVersion":2,"mediaType":"{{SignaturePush.OciManifest}}","config":{{configDescriptor}},"layers":{{payloadLayers}},"{{smuggled}}":{{runnableLayers}}}""";
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(SignaturePush.OciManifest);
            using var put = await client.PutAsync("/v2/secure/app/manifests/smuggled", content);
            Assert.True(put.StatusCode == HttpStatusCode.BadRequest, $"{smuggled}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            using var error = JsonDocument.Parse(await put.Content.ReadAsStringAsync());
            Assert.Equal("MANIFEST_INVALID", error.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
            using var pull = await client.GetAsync("/v2/secure/app/manifests/smuggled");
            Assert.Equal(HttpStatusCode.NotFound, pull.StatusCode);
        }
    }

    private static async Task AssertOkAsync(HttpClient client, string repository, string reference, HttpMethod? method = null)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, $"/v2/{repository}/manifests/{reference}"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{repository}:{reference} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertDeniedAsync(HttpClient client, string repository, string reference, string message, HttpMethod? method = null)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, $"/v2/{repository}/manifests/{reference}"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        if (method == HttpMethod.Head)
        {
            return;
        }
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal("DENIED", error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
    }

    private sealed class TempPolicy : IDisposable
    {
        public TempPolicy(string json)
        {
            Folder = Path.Combine(Path.GetTempPath(), "dy-policy-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Folder);
            PolicyPath = Path.Combine(Folder, "policy.json");
            File.WriteAllText(PolicyPath, json, Encoding.UTF8);
        }

        public string Folder { get; }

        public string PolicyPath { get; }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
