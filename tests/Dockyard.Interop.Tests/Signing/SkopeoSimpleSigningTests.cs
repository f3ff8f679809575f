using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Signing;

/// <summary>
/// <c>skopeo copy --sign-by</c> (real skopeo and gpg) stores simple signatures through Dockyard's signature API
/// extension; a signing policy requiring simple signing then serves only images signed by its GPG key, and skopeo's own
/// <c>signedBy</c> policy verifies the signatures it reads back from Dockyard.
/// </summary>
public sealed class SkopeoSimpleSigningTests
{
    [Fact]
    public async Task Skopeo_signed_images_pass_the_policy_and_verify_in_skopeo_unsigned_and_foreign_ones_are_denied()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer || GpgHome.Create() is not { } gpg)
        {
            return;
        }
        using var home = gpg;
        using var workspace = new TestWorkspace();
        var signer = await gpg.NewKeyAsync("signer", "signer@example.org");
        var intruder = await gpg.NewKeyAsync("intruder", "intruder@example.org");
        var policyPath = Path.Combine(workspace.Root, "signing-policy.json");
        await File.WriteAllTextAsync(policyPath, $$"""
            { "rules": [ { "repositories": "secure/*", "require": "simplesigning", "keys": [{{JsonSerializer.Serialize(gpg.File("signer.asc"))}}] } ] }
            """);
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["signing:policyfile"] = policyPath });
        var registriesD = Directory.CreateDirectory(workspace.Folder("registries.d")).FullName;
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var source = $"oci:{workspace.Folder("src")}:v1";

        using (var ping = await server.Client.GetAsync("/v2/"))
        {
            Assert.Equal("1", ping.Headers.GetValues("X-Registry-Supports-Signatures").Single());
        }

        // Signed by the configured key, stored through PUT /extensions/v2/secure/app/signatures/<digest>.
        var remote = $"docker://{server.HostAndPort}/secure/app:1";
        (await skopeo.RunAsync(gpg.Environment, true, "--registries.d", registriesD, "copy", "--dest-tls-verify=false",
            "--sign-by", signer, source, remote)).EnsureSuccess();
        var digest = await DigestOfAsync(server, "secure/app", "1");
        using (var list = await server.Client.GetAsync($"/extensions/v2/secure/app/signatures/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var signature = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["signatures"]!.AsArray().Single()!;
            Assert.Equal(2, (int)signature["schemaVersion"]!);
            Assert.Equal("atomic", (string?)signature["type"]);
            Assert.StartsWith(digest + "@", (string?)signature["name"], StringComparison.Ordinal);
            Assert.NotEmpty(Convert.FromBase64String((string)signature["content"]!));
        }
        using (var pull = await server.Client.GetAsync("/v2/secure/app/manifests/1"))
        {
            Assert.True(pull.StatusCode == HttpStatusCode.OK, $"GET secure/app:1 → {(int)pull.StatusCode} {await pull.Content.ReadAsStringAsync()}");
        }

        // skopeo itself reads the signature back from Dockyard and verifies it with a signedBy policy.
        var skopeoPolicy = Path.Combine(workspace.Root, "policy.json");
        await File.WriteAllTextAsync(skopeoPolicy, SignedByPolicy($"{server.HostAndPort}/secure", gpg.File("signer.gpg")));
        (await skopeo.RunAsync(gpg.Environment, false, "--policy", skopeoPolicy, "--registries.d", registriesD, "copy", "--src-tls-verify=false",
            remote, $"dir:{workspace.Folder("back")}")).EnsureSuccess();
        Assert.True(File.Exists(Path.Combine(workspace.Folder("back"), "signature-1")), "skopeo kept the signature it read from Dockyard");
        var intruderPolicy = Path.Combine(workspace.Root, "intruder-policy.json");
        await File.WriteAllTextAsync(intruderPolicy, SignedByPolicy($"{server.HostAndPort}/secure", gpg.File("intruder.gpg")));
        var refused = await skopeo.RunAsync(gpg.Environment, false, "--policy", intruderPolicy, "--registries.d", registriesD, "copy",
            "--src-tls-verify=false", remote, $"dir:{workspace.Folder("refused")}");
        Assert.False(refused.Succeeded, refused.Output);
        Assert.Contains("rejected", refused.Error, StringComparison.OrdinalIgnoreCase);

        // Unsigned: 403 DENIED naming the policy.
        (await skopeo.CopyAsync(source, $"docker://{server.HostAndPort}/secure/unsigned:1")).EnsureSuccess();
        var denied = await DeniedAsync(server, "secure/unsigned", "1");
        Assert.Contains("repository 'secure/unsigned' requires a simple signing (GPG) signature by a configured key: none found", denied.Message);
        Assert.Equal(policyPath, denied.Policy);

        // Signed by a key the policy does not name: refused.
        (await skopeo.RunAsync(gpg.Environment, true, "--registries.d", registriesD, "copy", "--dest-tls-verify=false",
            "--sign-by", intruder, source, $"docker://{server.HostAndPort}/secure/other:1")).EnsureSuccess();
        var foreign = await DeniedAsync(server, "secure/other", "1");
        Assert.Contains("invalid (signed by key", foreign.Message);
        Assert.Contains("not configured", foreign.Message);
    }

    private static string SignedByPolicy(string scope, string keyPath) => new JsonObject
    {
        ["default"] = new JsonArray(new JsonObject { ["type"] = "reject" }),
        ["transports"] = new JsonObject
        {
            ["docker"] = new JsonObject
            {
                [scope] = new JsonArray(new JsonObject { ["type"] = "signedBy", ["keyType"] = "GPGKeys", ["keyPath"] = keyPath }),
            },
        },
    }.ToJsonString();

    private static async Task<string> DigestOfAsync(RegistryServer server, string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await server.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HEAD {repository}:{tag} → {(int)response.StatusCode}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    private static async Task<(string Message, string? Policy)> DeniedAsync(RegistryServer server, string repository, string tag)
    {
        using var response = await server.Client.GetAsync($"/v2/{repository}/manifests/{tag}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {repository}:{tag} → {(int)response.StatusCode} {text}");
        var error = JsonNode.Parse(text)!["errors"]![0]!;
        Assert.Equal("DENIED", (string?)error["code"]);
        return ((string)error["message"]!, (string?)error["detail"]?["policy"]);
    }
}
