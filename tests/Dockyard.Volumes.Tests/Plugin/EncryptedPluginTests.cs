using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Interop.Tests.Encryption;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// An encrypted volume on a real dockerd (<c>--opt encrypt-recipient</c>, <c>--opt decrypt-key</c>): a second host with
/// the key reads what the first wrote, a third with a wrong key is refused and gets nothing in its mountpoint.
/// </summary>
public sealed class EncryptedPluginTests
{
    private const string Repository = "team/encrypted";

    [Fact]
    public async Task An_encrypted_volume_is_read_on_a_host_with_the_key_and_refused_with_a_wrong_one()
    {
        if (await DockerCli.FindAsync() is not { } docker)
        {
            return;
        }
        var keys = Directory.CreateTempSubdirectory("dockyard-volume-keys-").FullName;
        var (right, wrong) = (KeyFiles.Rsa(Path.Combine(keys, "right")), KeyFiles.Ec(Path.Combine(keys, "wrong")));
        await using var server = await RegistryServer.StartAsync();
        await using var hostA = await PluginHost.StartAsync(server.BaseAddress);
        await using var hostB = await PluginHost.StartAsync(server.BaseAddress);
        await using var hostC = await PluginHost.StartAsync(server.BaseAddress);
        var (onA, onB, onC) = (hostA.Driver + "-v", hostB.Driver + "-v", hostC.Driver + "-v");
        string[] rightKeys = ["--opt", "repo=" + Repository, "--opt", "encrypt-recipient=jwe:" + right.PublicPem, "--opt", "decrypt-key=" + right.PrivatePem];
        try
        {
            (await docker.RunAsync(["volume", "create", "-d", hostA.Driver, .. rightKeys, onA])).Ensure();
            (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onA + ":/data", DockerCli.Image, "sh", "-c", "echo classified > /data/secret")).Ensure();
            (await docker.RunAsync(["volume", "create", "-d", hostB.Driver, .. rightKeys, onB])).Ensure();
            (await docker.RunAsync("volume", "create", "-d", hostC.Driver, "--opt", "repo=" + Repository, "--opt", "encrypt-recipient=" + right.PublicPem,
                "--opt", "decrypt-key=" + wrong.PrivatePem, onC)).Ensure();

            var read = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onB + ":/data", DockerCli.Image, "cat", "/data/secret")).Ensure();
            var refused = await docker.RunAsync("run", "--rm", "--network", "none", "-v", onC + ":/data", DockerCli.Image, "cat", "/data/secret");
            var badKey = await docker.RunAsync("volume", "create", "-d", hostC.Driver, "--opt", "repo=" + Repository, "--opt", "decrypt-key=" + right.PublicPem, onC + "x");

            Assert.Equal("classified\n", read.Output);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("wrong decryption key", refused.Error);
            Assert.Empty(Directory.EnumerateFileSystemEntries(hostC.DataPath(onC)));
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/extensions/v2/{Repository}/volume/lease")).StatusCode);
            Assert.NotEqual(0, badKey.ExitCode);
            Assert.Contains("public key", badKey.Error);
            using var manifest = JsonDocument.Parse(await server.Client.GetStringAsync($"/v2/{Repository}/manifests/latest"));
            Assert.EndsWith("+encrypted", manifest.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
            Assert.Equal(["latest", "v1"], (await server.Client.GetFromJsonAsync<JsonElement>($"/v2/{Repository}/tags/list")).GetProperty("tags")
                .EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal));
        }
        finally
        {
            await docker.RunAsync("volume", "rm", onA);
            await docker.RunAsync("volume", "rm", onB);
            await docker.RunAsync("volume", "rm", onC);
            Directory.Delete(keys, recursive: true);
        }
    }
}
