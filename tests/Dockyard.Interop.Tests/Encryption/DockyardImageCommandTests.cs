using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Encryption;

/// <summary><c>dockyard image encrypt|decrypt</c>, the real executable over a running registry's storage, checked with skopeo.</summary>
public sealed class DockyardImageCommandTests
{
    [Fact]
    public async Task Cli_encrypts_for_skopeo_and_decrypts_back_and_refuses_a_wrong_key()
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
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/cli/busybox:v1")).EnsureSuccess();

        var encrypt = await Dockyard(server, "image", "encrypt", "cli/busybox:v1", "--to", "cli/busybox:enc",
            "--recipient", "jwe:" + rsa.PublicPem, "--recipient", "jwe:" + ec.PublicPem);
        Assert.True(encrypt.ExitCode == 0, encrypt.Error);
        Assert.StartsWith("sha256:", encrypt.Output.Trim(), StringComparison.Ordinal);

        (await skopeo.CopyAsync($"docker://{server.HostAndPort}/cli/busybox:enc", $"oci:{workspace.Folder("back")}:v1",
            "--decryption-key", ec.PrivatePem)).EnsureSuccess();
        var back = new OciLayoutReader(workspace.Folder("back"));
        Assert.Equal([layer.Digest], back.LayerDigests((string)back.Resolve("v1")["digest"]!));

        var decrypt = await Dockyard(server, "image", "decrypt", "cli/busybox:enc", "--to", "cli/busybox:dec", "--key", rsa.PrivatePem);
        Assert.True(decrypt.ExitCode == 0, decrypt.Error);
        Assert.Equal(layer.Digest, (await SkopeoEncryptionTests.Layers(server, "cli/busybox", "dec")).Single().Digest.Value);

        var wrong = await Dockyard(server, "image", "decrypt", "cli/busybox:enc", "--to", "cli/busybox:nope",
            "--key", KeyFiles.Rsa(workspace.Folder("wrong")).PrivatePem);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("cannot decrypt", wrong.Error, StringComparison.Ordinal);

        var badRecipient = await Dockyard(server, "image", "encrypt", "cli/busybox:v1", "--to", "cli/busybox:x", "--recipient", "pgp:someone");
        Assert.Equal(1, badRecipient.ExitCode);
        Assert.Contains("jwe:", badRecipient.Error, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> Dockyard(RegistryServer server, params string[] arguments) =>
        RequiredTool.RunAsync("dotnet", [DockyardProcess.DllPath, .. arguments],
            environment: new Dictionary<string, string> { ["DOCKYARD_DOCKYARD__PATH"] = server.DataPath }, timeout: TimeSpan.FromMinutes(2));
}
