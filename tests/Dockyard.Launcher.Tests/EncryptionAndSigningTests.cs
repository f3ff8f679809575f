using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.Encryption;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Signing.Tests.Verification;
using Dockyard.Testing;

namespace Dockyard.Launcher.Tests;

/// <summary>Images skopeo encrypted (run with the right key, refused with a wrong one) and repositories that require cosign signatures.</summary>
public sealed class EncryptionAndSigningTests
{
    [Fact]
    public async Task Encrypted_images_run_with_the_right_key_and_are_refused_with_a_wrong_one_leaving_nothing()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var right = KeyFiles.Rsa(workspace.Folder("right"));
        var wrong = KeyFiles.Ec(workspace.Folder("wrong"));
        await using var server = await RegistryServer.StartAsync();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/enc/busybox:v1",
            "--encryption-key", "jwe:" + right.PublicPem)).EnsureSuccess();
        var image = $"{server.HostAndPort}/enc/busybox:v1";
        launcher.Track(image);
        string[] run = ["--registry", server.BaseAddress.ToString(), "--network", "none", "enc/busybox:v1", "--", "sh", "-c", "echo secret; exit 4"];

        var refused = await launcher.RunAsync(["run", "--decryption-key", wrong.PrivatePem, .. run]);
        Assert.True(refused.ExitCode == 6, $"exit {refused.ExitCode}\n{refused.Output}\n{refused.Error}");
        Assert.Contains("launcher: decryption failed: wrong decryption key", refused.Error);
        Assert.False(await launcher.ImageExistsAsync(image));
        Assert.Empty(await launcher.ContainersAsync(image));

        var keyless = await launcher.RunAsync(["run", .. run]);
        Assert.Equal(6, keyless.ExitCode);
        Assert.Contains("--decryption-key", keyless.Error);

        var ran = await launcher.RunAsync(new Dictionary<string, string> { ["DOCKYARD_DECRYPTION_KEYS"] = $"{wrong.PrivatePem}:{right.PrivatePem}" }, ["run", "--rm", .. run]);
        Assert.True(ran.ExitCode == 4, $"exit {ran.ExitCode}\n{ran.Output}\n{ran.Error}");
        Assert.Equal("secret\n", ran.Output);
        Assert.Contains("(decrypting)", ran.Error);
        Assert.True(await launcher.ImageExistsAsync(image));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Repositories_that_require_signatures_run_signed_images_and_refuse_unsigned_ones(bool enforcedByServer)
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer
            || ToolFolder.For("openssl") is not { } keys)
        {
            return;
        }
        await using var _ = launcher;
        using var __ = keys;
        using var workspace = new TestWorkspace();
        var built = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        OciLayoutBuilder.WriteMultiArch(workspace.Folder("multi"), layer, "v1"); // another digest (an index), never signed
        await OpenSslPki.EcKeyAsync(keys, "cosign");
        await OpenSslPki.EcKeyAsync(keys, "intruder");
        keys.Write("policy.json", """{ "rules": [ { "repositories": "secure/*", "require": "cosign", "keys": ["cosign.pub"] } ] }""");
        var settings = enforcedByServer ? new Dictionary<string, string?> { ["signing:policyfile"] = keys.File("policy.json") } : null;
        await using var server = await RegistryServer.StartAsync(settings);
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/secure/app:signed")).EnsureSuccess();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("multi")}:v1", $"docker://{server.HostAndPort}/secure/app:unsigned", "--all")).EnsureSuccess();
        var digest = built.Root.Digest;
        await PushCosignSignatureAsync(server.Client, "secure/app", digest, keys, "cosign");
        launcher.Track($"{server.HostAndPort}/secure/app:signed");
        launcher.Track($"{server.HostAndPort}/secure/app:unsigned");
        string[] policy = enforcedByServer ? [] : ["--signature-policy", keys.File("policy.json")];

        var ok = await launcher.RunAsync(["run", "--rm", "--network", "none", .. policy, $"{server.HostAndPort}/secure/app:signed", "--", "echo", "trusted"]);
        Assert.True(ok.ExitCode == 0, $"exit {ok.ExitCode}\n{ok.Output}\n{ok.Error}");
        Assert.Equal("trusted\n", ok.Output);

        var unsigned = await launcher.RunAsync(["run", "--rm", "--network", "none", .. policy, $"{server.HostAndPort}/secure/app:unsigned", "--", "echo", "x"]);
        Assert.True(unsigned.ExitCode == 5, $"exit {unsigned.ExitCode}\n{unsigned.Output}\n{unsigned.Error}");
        Assert.Contains("launcher: signature check failed:", unsigned.Error);
        Assert.Contains("none found", unsigned.Error);
        Assert.False(await launcher.ImageExistsAsync($"{server.HostAndPort}/secure/app:unsigned"));

        if (!enforcedByServer)
        {
            // A signature by a key the policy does not name, checked on the client side.
            var otherRepo = $"{server.HostAndPort}/secure/other:v1";
            (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{otherRepo}")).EnsureSuccess();
            await PushCosignSignatureAsync(server.Client, "secure/other", digest, keys, "intruder");
            var forged = await launcher.RunAsync(["pull", .. policy, otherRepo]);
            Assert.Equal(5, forged.ExitCode);
            Assert.Contains("invalid (signature does not verify with any configured key)", forged.Error);
        }
    }

    /// <summary>A cosign-style <c>sha256-HEX.sig</c> manifest whose payload openssl signed with <paramref name="key"/>.</summary>
    private static async Task PushCosignSignatureAsync(HttpClient client, string repository, string digest, ToolFolder keys, string key)
    {
        var payload = Encoding.UTF8.GetBytes(
            $$"""{"critical":{"identity":{"docker-reference":"{{repository}}"},"image":{"docker-manifest-digest":"{{digest}}"},"type":"cosign container image signature"},"optional":null}""");
        var signature = await OpenSslPki.SignAsync(keys, key, payload);
        var config = "{}"u8.ToArray();
        await PushBlobAsync(client, repository, config);
        await PushBlobAsync(client, repository, payload);
        var manifest = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"{{{Digest(config)}}}"},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":{{{payload.Length}}},"digest":"{{{Digest(payload)}}}","annotations":{"dev.cosignproject.cosign/signature":"{{{Convert.ToBase64String(signature)}}}"}}]}""";
        using var content = new StringContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{digest.Replace(':', '-')}.sig", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task PushBlobAsync(HttpClient client, string repository, byte[] data)
    {
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={Digest(data)}", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Digest(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
}
