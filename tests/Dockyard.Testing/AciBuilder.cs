using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Dockyard.Testing;

/// <summary>Builds real ACIs (manifest + a busybox rootfs, gzip), signs them with a throw-away gpg key, and pushes them as acpush does.</summary>
public sealed class AciBuilder : IDisposable
{
    private readonly string home = Path.Combine(Path.GetTempPath(), "dockyard-gpg-" + Guid.NewGuid().ToString("N")[..8]);

    public static string Manifest(string name, string version, string os = "linux", string arch = "amd64") => $$"""
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"{{name}}","labels":[{"name":"version","value":"{{version}}"},{"name":"os","value":"{{os}}"},{"name":"arch","value":"{{arch}}"}],
         "app":{"exec":["/bin/busybox","sh"],"user":"0","group":"0"} }
        """;

    /// <summary>A gzip-compressed ACI: the given top-level entries (manifest text when not null, busybox rootfs when wanted, extras).</summary>
    public static byte[] Build(string? manifest, bool rootfs = true, params string[] extraTopLevel)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            if (manifest is not null)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
            }
            if (rootfs)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "rootfs/"));
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "rootfs/bin/"));
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "rootfs/bin/busybox")
                    { DataStream = File.OpenRead("/bin/busybox"), Mode = (UnixFileMode)0b111_101_101 });
            }
            foreach (var extra in extraTopLevel)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, extra) { DataStream = new MemoryStream([1, 2, 3]) });
            }
        }
        return output.ToArray();
    }

    /// <summary>acpush: POST the start URL, PUT manifest, signature and ACI, POST completion; returns the completion answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PushAsync(HttpClient client, string repository, string file, byte[] aci, byte[] asc, string manifest)
    {
        var start = await client.PostAsync($"/appc/{repository}/push/{file}", null);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var urls = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(urls.GetProperty("multipart").GetBoolean());
        foreach (var (key, body) in new[] { ("upload_manifest_url", Encoding.UTF8.GetBytes(manifest)), ("upload_signature_url", asc), ("upload_aci_url", aci) })
        {
            var put = await client.PutAsync(urls.GetProperty(key).GetString(), new ByteArrayContent(body));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var complete = await client.PostAsync(urls.GetProperty("completed_url").GetString(), new StringContent("""{"success":true}"""));
        return (complete.StatusCode, await complete.Content.ReadFromJsonAsync<JsonElement>());
    }

    public static bool GpgMissing => RequiredTool.Find("gpg") is null;

    public async Task<string> InitAsync(string user = "aci@dockyard.test")
    {
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(home, (UnixFileMode)0b111_000_000);
        }
        await GpgAsync("--quick-gen-key", user, "ed25519", "sign", "never");
        return (await GpgAsync("--armor", "--export", user)).Output;
    }

    public async Task<byte[]> SignAsync(byte[] data)
    {
        var path = Path.Combine(home, Guid.NewGuid().ToString("N") + ".aci");
        await File.WriteAllBytesAsync(path, data);
        await GpgAsync("--armor", "--detach-sign", "--output", path + ".asc", path);
        return await File.ReadAllBytesAsync(path + ".asc");
    }

    private async Task<(int ExitCode, string Output, string Error)> GpgAsync(params string[] arguments)
    {
        var result = await RequiredTool.RunAsync(RequiredTool.Find("gpg")!,
            ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", .. arguments]);
        Assert.True(result.ExitCode == 0, $"gpg {string.Join(' ', arguments)}: {result.Error}");
        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
