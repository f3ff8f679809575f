using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Signing.Verification;
using Dockyard.Testing;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>
/// Simple-signing signatures made as OpenPGP signed messages by real <c>gpg --sign</c>, stored through the signature
/// API extension, enforced by a <c>require: "simplesigning"</c> (or <c>any</c>) policy.
/// </summary>
public sealed class SimpleSigningTests
{
    private static readonly string[] Batch = ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""];

    public static byte[] Payload(string reference, string digest, string type = SimpleSigningVerifier.PayloadType) => Encoding.UTF8.GetBytes(
        $$$"""{"critical":{"type":"{{{type}}}","image":{"docker-manifest-digest":"{{{digest}}}"},"identity":{"docker-reference":"{{{reference}}}"}},"optional":{"creator":"test"}}""");

    [Fact]
    public async Task Gpg_signed_messages_pass_the_policy_and_wrong_keys_digests_and_detached_signatures_do_not()
    {
        using var dir = ToolFolder.For("gpg");
        if (dir is null)
        {
            return;
        }
        var home = new Dictionary<string, string> { ["GNUPGHOME"] = dir.File("home") };
        Directory.CreateDirectory(home["GNUPGHOME"]);
        try
        {
            await dir.RunAsync(home, [.. Batch, "--quick-gen-key", "Signer <signer@example.org>", "default", "default", "never"]);
            await dir.RunAsync(home, [.. Batch, "--quick-gen-key", "Other <other@example.org>", "default", "default", "never"]);
            await dir.RunAsync(home, "--batch", "--armor", "--output", dir.File("signer.asc"), "--export", "signer@example.org");
            dir.Write("policy.json", """
                { "rules": [
                    { "repositories": "atomic/*", "require": "simplesigning", "keys": ["signer.asc"] },
                    { "repositories": "either/*", "require": "any", "keys": ["signer.asc"], "identity": "registry.test/{repository}" } ] }
                """);
            await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["signing:policyfile"] = dir.File("policy.json") });
            var client = server.Client;

            async Task<byte[]> SignAsync(string signer, byte[] payload, bool detached = false)
            {
                var path = dir.File(Guid.NewGuid().ToString("N"));
                dir.Write(path, payload);
                await dir.RunAsync(home, [.. Batch, "--local-user", signer, detached ? "--detach-sign" : "--sign", "--output", path + ".sig", path]);
                return File.ReadAllBytes(path + ".sig");
            }

            var image = await SignaturePush.PushImageAsync(client, "atomic/app", "v1");
            await ExpectDeniedAsync(client, "atomic/app", "requires a simple signing (GPG) signature by a configured key: none found");
            var payload = Payload("registry.test/atomic/app:v1", image.Digest);
            await PutAsync(client, "atomic/app", image.Digest, "a-other", await SignAsync("other@example.org", payload));
            await ExpectDeniedAsync(client, "atomic/app", "which is not configured");
            await PutAsync(client, "atomic/app", image.Digest, "b-wrongdigest", await SignAsync("signer@example.org", Payload("registry.test/atomic/app:v1", "sha256:" + new string('1', 64))));
            await ExpectDeniedAsync(client, "atomic/app", "payload signs sha256:1111");
            await PutAsync(client, "atomic/app", image.Digest, "c-detached", await SignAsync("signer@example.org", payload, detached: true));
            // The last failure is reported (signatures in name order).
            await ExpectDeniedAsync(client, "atomic/app", "not a signed message");
            await PutAsync(client, "atomic/app", image.Digest, "zgood", await SignAsync("signer@example.org", payload));
            await ExpectOkAsync(client, "atomic/app");

            // any: a GPG key is enough; the identity must name the repository (any tag).
            var either = await SignaturePush.PushImageAsync(client, "either/app", "v1");
            await PutAsync(client, "either/app", either.Digest, "a", await SignAsync("signer@example.org", Payload("registry.test/elsewhere:v1", either.Digest)));
            await ExpectDeniedAsync(client, "either/app", "not the required 'registry.test/either/app'");
            await PutAsync(client, "either/app", either.Digest, "b", await SignAsync("signer@example.org", Payload("registry.test/either/app:v1", either.Digest)));
            await ExpectOkAsync(client, "either/app");
        }
        finally
        {
            if (RequiredTool.Find("gpgconf") is { } gpgconf)
            {
                await RequiredTool.RunAsync(gpgconf, ["--kill", "gpg-agent"], home);
            }
        }
    }

    [Theory]
    [InlineData("host/ns/app:1", "host/ns/app:1", true)]
    [InlineData("host/ns/app:1", "host/ns/app", true)]
    [InlineData("host/ns/app@sha256:00", "host/ns/app", true)]
    [InlineData("host/ns/app:1", "host/ns/app:2", false)]
    [InlineData("host/ns/app2:1", "host/ns/app", false)]
    [InlineData("host:5000/ns/app", "host:5000/ns/app", true)]
    public void Identities_match_exactly_or_by_repository(string reference, string identity, bool matches)
    {
        var digest = Digest.Compute([1]);
        Assert.Equal(matches, SimpleSigningVerifier.CheckClaims(Payload(reference, digest.Value), digest, identity) is null);
        Assert.Contains("payload type", SimpleSigningVerifier.CheckClaims(Payload(reference, digest.Value, "cosign container image signature"), digest, null));
        Assert.Contains("not a simple-signing", SimpleSigningVerifier.CheckClaims("{}"u8.ToArray(), digest, null));
    }

    [Fact]
    public async Task Policy_keys_must_suit_the_rule_kind()
    {
        using var dir = ToolFolder.For("openssl");
        if (dir is null)
        {
            return;
        }
        await OpenSslPki.EcKeyAsync(dir, "cosign");
        dir.Write("fake.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n");
        dir.Write("policy.json", """
            { "rules": [
                { "repositories": "a", "require": "simplesigning", "keys": ["cosign.pub"] },
                { "repositories": "b", "require": "cosign", "keys": ["fake.asc"] },
                { "repositories": "c", "require": "simplesigning", "keys": ["fake.asc"] },
                { "repositories": "d", "require": "simplesigning" } ] }
            """);
        var error = Assert.Throws<SignaturePolicyException>(() => SignaturePolicyLoader.Load(dir.File("policy.json")));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[0].keys[0] = 'cosign.pub': not an OpenPGP public key", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[1].keys[0] = 'fake.asc': an OpenPGP key; require = cosign", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[2].keys: not an OpenPGP public key ring", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rules[3].keys: required when require = simplesigning", StringComparison.Ordinal));
    }

    private static async Task PutAsync(HttpClient client, string repository, string digest, string suffix, byte[] signature)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2, ["name"] = $"{digest}@{suffix}", ["type"] = "atomic", ["content"] = Convert.ToBase64String(signature),
        });
        using var response = await client.PutAsync($"/extensions/v2/{repository}/signatures/{digest}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task ExpectOkAsync(HttpClient client, string repository)
    {
        using var response = await client.GetAsync($"/v2/{repository}/manifests/v1");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task ExpectDeniedAsync(HttpClient client, string repository, string message)
    {
        using var response = await client.GetAsync($"/v2/{repository}/manifests/v1");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, text);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("errors")[0];
        Assert.Equal("DENIED", error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
    }
}
