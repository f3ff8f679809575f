using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Signing.Encryption;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Interop.Tests.Encryption;

/// <summary>
/// ocicrypt interoperability with real skopeo 1.9, both ways: what skopeo encrypts (--encryption-key jwe:…) Dockyard
/// decrypts to the original layers, and what Dockyard encrypts skopeo decrypts (--decryption-key) to the originals.
/// </summary>
public sealed class SkopeoEncryptionTests
{
    private const string EncryptedGzip = "application/vnd.oci.image.layer.v1.tar+gzip+encrypted";

    [Theory]
    [InlineData("rsa+ec")]
    [InlineData("ec")]
    public async Task Image_skopeo_encrypted_decrypts_with_dockyard_to_the_original_layer(string recipients)
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var rsa = KeyFiles.Rsa(workspace.Folder("rsa"));
        var ec = KeyFiles.Ec(workspace.Folder("ec"));
        await using var server = await RegistryServer.StartAsync();
        string[] keys = recipients == "ec" ? ["--encryption-key", "jwe:" + ec.PublicPem]
            : ["--encryption-key", "jwe:" + rsa.PublicPem, "--encryption-key", "jwe:" + ec.PublicPem];
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/enc/busybox:locked", keys)).EnsureSuccess();

        var encryptor = Encryptor(server);
        var repository = RepositoryName.Parse("enc/busybox");
        var locked = new ManifestReference(null, "locked");
        Assert.Equal(EncryptedGzip, (await Layers(server, "enc/busybox", "locked")).Single().MediaType);
        var usable = recipients == "ec" ? new[] { ec } : [rsa, ec];
        foreach (var (keyFiles, index) in usable.Select((k, i) => (k, i)))
        {
            using var key = JwePrivateKey.FromPemFile(keyFiles.PrivatePem);
            await encryptor.DecryptAsync(repository, locked, RepositoryName.Parse("plain/busybox"), $"open{index}", key, CancellationToken.None);
            var decrypted = (await Layers(server, "plain/busybox", $"open{index}")).Single();
            Assert.Equal(layer.Digest, decrypted.Digest.Value);
            Assert.Equal(OciBlob.LayerType, decrypted.MediaType);
            Assert.Null(decrypted.Annotations);

            (await skopeo.CopyAsync($"docker://{server.HostAndPort}/plain/busybox:open{index}", $"oci:{workspace.Folder("back" + index)}:v1")).EnsureSuccess();
            var back = new OciLayoutReader(workspace.Folder("back" + index));
            Assert.Equal([layer.Digest], back.LayerDigests((string)back.Resolve("v1")["digest"]!));
        }

        using var wrong = JwePrivateKey.FromPemFile(KeyFiles.Rsa(workspace.Folder("wrong")).PrivatePem);
        await Assert.ThrowsAsync<LayerDecryptionException>(() =>
            encryptor.DecryptAsync(repository, locked, repository, "wrong", wrong, CancellationToken.None));
        await Assert.ThrowsAsync<RegistryException>(() => Layers(server, "enc/busybox", "wrong"));
    }

    [Fact]
    public async Task Image_dockyard_encrypted_decrypts_with_skopeo_to_the_original_layer()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var rsa = KeyFiles.Rsa(workspace.Folder("rsa"));
        var ec = KeyFiles.Ec(workspace.Folder("ec"));
        await using var server = await RegistryServer.StartAsync();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/app/busybox:v1")).EnsureSuccess();

        using (var rsaPublic = JweRecipient.FromPemFile(rsa.PublicPem))
        using (var ecPublic = JweRecipient.FromPemFile(ec.PublicPem))
        {
            await Encryptor(server).EncryptAsync(RepositoryName.Parse("app/busybox"), new ManifestReference(null, "v1"),
                RepositoryName.Parse("app/locked"), "v1", [rsaPublic, ecPublic], CancellationToken.None);
        }
        var encrypted = (await Layers(server, "app/locked", "v1")).Single();
        Assert.Equal(EncryptedGzip, encrypted.MediaType);
        Assert.NotEqual(layer.Digest, encrypted.Digest.Value);
        Assert.Contains(LayerEncryptor.KeysAnnotation, encrypted.Annotations!.Keys);

        var remote = $"docker://{server.HostAndPort}/app/locked:v1";
        foreach (var (keyFiles, name) in new[] { (rsa, "rsa"), (ec, "ec") })
        {
            (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back-" + name)}:v1", "--decryption-key", keyFiles.PrivatePem)).EnsureSuccess();
            var back = new OciLayoutReader(workspace.Folder("back-" + name));
            var manifest = back.Json((string)back.Resolve("v1")["digest"]!);
            Assert.Equal([layer.Digest], back.LayerDigests((string)back.Resolve("v1")["digest"]!));
            Assert.Equal(OciBlob.LayerType, (string?)manifest["layers"]![0]!["mediaType"]);
            Assert.Equal(image.Configs[0].Digest, (string?)manifest["config"]!["digest"]);
        }

        var wrong = KeyFiles.Rsa(workspace.Folder("wrong"));
        var refused = await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back-wrong")}:v1", "--decryption-key", wrong.PrivatePem);
        Assert.False(refused.Succeeded, $"skopeo decrypted with a key that is no recipient:\n{refused.Output}\n{refused.Error}");
    }

    internal static ImageEncryptor Encryptor(RegistryServer server) => new(server.Services.GetRequiredService<ManifestService>(),
        server.Services.GetRequiredService<BlobService>(), server.Services.GetRequiredService<BlobUploadService>());

    /// <summary>The layer descriptors of REPO:TAG as stored in the registry.</summary>
    internal static async Task<IReadOnlyList<Descriptor>> Layers(RegistryServer server, string repository, string tag)
    {
        var content = await server.Services.GetRequiredService<ManifestService>()
            .GetAsync(RepositoryName.Parse(repository), new ManifestReference(null, tag), CancellationToken.None);
        return ManifestParser.Parse(content.Bytes, content.Record.MediaType, Digest.Sha256).Layers;
    }
}
