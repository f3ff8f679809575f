using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.V1;

/// <summary>
/// An image pushed with the docker 1.x V1 sequence (a gzip busybox base layer and an uncompressed child layer) is read
/// by real skopeo through V2: inspect shows the converted schema2 image, and a copy to an OCI layout holds the layers
/// whose uncompressed digests are the config's diff_ids.
/// </summary>
public sealed class V1ToSkopeoTests
{
    [Fact]
    public async Task Skopeo_inspects_and_copies_a_v1_pushed_image()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } busybox)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        await using var server = await RegistryServer.StartAsync();
        var root = V1Image.Create(null, busybox.Tar, gzip: true, "#(nop) ADD file:busybox in /");
        var child = V1Image.Create(root.Id, V1Image.TarOf(("etc/motd", "pushed with the V1 protocol\n")), gzip: false, "echo motd > /etc/motd");
        await new V1Client(server.Client).PushAsync("legacy/busybox", "v1", [root, child]);
        var remote = $"docker://{server.HostAndPort}/legacy/busybox:v1";

        var raw = JsonNode.Parse((await skopeo.InspectAsync(remote, "--raw")).EnsureSuccess().Output)!;
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", (string?)raw["mediaType"]);
        Assert.Equal([root.LayerDigest, child.LayerDigest], raw["layers"]!.AsArray().Select(l => (string?)l!["digest"]));
        var inspected = JsonNode.Parse((await skopeo.InspectAsync(remote)).EnsureSuccess().Output)!;
        Assert.Equal("amd64", (string?)inspected["Architecture"]);
        Assert.Equal("linux", (string?)inspected["Os"]);

        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back")}:v1")).EnsureSuccess();
        var back = new OciLayoutReader(workspace.Folder("back"));
        var manifestDigest = (string)back.Resolve("v1")["digest"]!;
        var manifest = back.Json(manifestDigest);
        var config = back.Json((string)manifest["config"]!["digest"]!);
        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string?)d).ToList();
        Assert.Equal([root.DiffId, child.DiffId], diffIds);
        Assert.Equal(busybox.DiffId, diffIds[0]);
        var layers = back.LayerDigests(manifestDigest);
        Assert.Equal(2, layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            Assert.Equal(diffIds[i], "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Uncompressed(back.Blob(layers[i])))));
        }
    }

    private static byte[] Uncompressed(byte[] blob)
    {
        if (blob.Length < 2 || blob[0] != 0x1f || blob[1] != 0x8b)
        {
            return blob;
        }
        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }
}
