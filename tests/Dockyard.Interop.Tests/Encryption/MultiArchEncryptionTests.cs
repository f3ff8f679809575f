using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Signing.Encryption;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Interop.Tests.Encryption;

/// <summary>An image index is encrypted child by child; skopeo <c>--all --decryption-key</c> and Dockyard both open it.</summary>
public sealed class MultiArchEncryptionTests
{
    [Fact]
    public async Task Index_encrypted_by_dockyard_decrypts_with_skopeo_all_and_with_dockyard()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteMultiArch(workspace.Folder("src"), layer, "multi");
        var ec = KeyFiles.Ec(workspace.Folder("ec"));
        await using var server = await RegistryServer.StartAsync();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:multi", $"docker://{server.HostAndPort}/arch/image:multi", "--all")).EnsureSuccess();

        var encryptor = SkopeoEncryptionTests.Encryptor(server);
        var repository = RepositoryName.Parse("arch/image");
        using (var recipient = JweRecipient.FromPemFile(ec.PublicPem))
        {
            await encryptor.EncryptAsync(repository, new ManifestReference(null, "multi"), repository, "locked", [recipient], CancellationToken.None);
        }
        var children = await Children(server, "locked");
        Assert.Equal(2, children.Count);
        foreach (var child in children)
        {
            Assert.DoesNotContain(image.Manifests, m => m.Digest == child.Value);
            Assert.All(await LayersOf(server, child), l => Assert.True(LayerEncryptor.IsEncrypted(l)));
        }

        (await skopeo.CopyAsync($"docker://{server.HostAndPort}/arch/image:locked", $"oci:{workspace.Folder("back")}:multi",
            "--all", "--decryption-key", ec.PrivatePem)).EnsureSuccess();
        var back = new OciLayoutReader(workspace.Folder("back"));
        var backIndex = back.Json((string)back.Resolve("multi")["digest"]!);
        Assert.All(backIndex["manifests"]!.AsArray(), m => Assert.Equal([layer.Digest], back.LayerDigests((string)m!["digest"]!)));

        using (var key = JwePrivateKey.FromPemFile(ec.PrivatePem))
        {
            await encryptor.DecryptAsync(repository, new ManifestReference(null, "locked"), repository, "open", key, CancellationToken.None);
        }
        foreach (var child in await Children(server, "open"))
        {
            Assert.Equal([layer.Digest], (await LayersOf(server, child)).Select(l => l.Digest.Value));
        }
    }

    private static async Task<IReadOnlyList<Digest>> Children(RegistryServer server, string tag)
    {
        var content = await server.Services.GetRequiredService<ManifestService>()
            .GetAsync(RepositoryName.Parse("arch/image"), new ManifestReference(null, tag), CancellationToken.None);
        return ManifestParser.Parse(content.Bytes, content.Record.MediaType).Manifests.Select(m => m.Digest).ToList();
    }

    private static async Task<IReadOnlyList<Descriptor>> LayersOf(RegistryServer server, Digest manifest)
    {
        var content = await server.Services.GetRequiredService<ManifestService>()
            .GetAsync(RepositoryName.Parse("arch/image"), new ManifestReference(manifest, null), CancellationToken.None);
        return ManifestParser.Parse(content.Bytes, content.Record.MediaType).Layers;
    }
}
