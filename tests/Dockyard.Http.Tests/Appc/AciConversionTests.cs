using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Http.Tests.V2;

namespace Dockyard.Http.Tests.Appc;

/// <summary>A busybox image pushed through V2 (two layers, the upper one with whiteouts) fetched as an ACI.</summary>
public sealed class AciConversionTests
{
    private static byte[] Layer(params (string Path, TarEntryType Type, byte[]? Data)[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, type, data) in entries)
            {
                var entry = new PaxTarEntry(type, path) { Mode = (UnixFileMode)0b111_101_101 };
                if (data is not null)
                {
                    entry.DataStream = new MemoryStream(data);
                }
                tar.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    [Fact]
    public async Task V2ImageIsServedAsAnAciWithWhiteoutsApplied()
    {
        await using var server = await AciPushFetchTests.StartAsync();
        var client = server.Client;
        const string repository = "library/busybox";
        var f = TarEntryType.RegularFile;
        var d = TarEntryType.Directory;
        var lower = Layer(("bin/", d, null), ("bin/busybox", f, File.ReadAllBytes("/bin/busybox")), ("etc/", d, null), ("etc/motd", f, [1]),
            ("var/", d, null), ("var/cache/", d, null), ("var/cache/old", f, [2]));
        var upper = Layer(("etc/", d, null), (".wh.motd", f, []), ("etc/.wh.motd", f, []), ("var/cache/", d, null), ("var/cache/.wh..wh..opq", f, []),
            ("var/cache/new", f, [3]));
        var config = await RegistryPush.PushDescriptorAsync(client, repository, RegistryPush.OciConfig, Encoding.UTF8.GetBytes("""
            {"architecture":"amd64","os":"linux","config":{"Cmd":["sh"],"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],"WorkingDir":"/root",
             "ExposedPorts":{"80/tcp":{}},"Labels":{"maintainer":"dockyard"}},"rootfs":{"type":"layers","diff_ids":[]}}
            """));
        var layers = new[]
        {
            await RegistryPush.PushDescriptorAsync(client, repository, RegistryPush.OciLayer, lower),
            await RegistryPush.PushDescriptorAsync(client, repository, RegistryPush.OciLayer, upper),
        };
        await RegistryPush.PushManifestAsync(client, repository, "1.36", RegistryPush.ImageManifestJson(RegistryPush.OciManifest, config, layers), RegistryPush.OciManifest);

        var response = await client.GetAsync($"/appc/{repository}/fetch/busybox-1.36-linux-amd64.aci");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var aci = await response.Content.ReadAsByteArrayAsync();
        var entries = new Dictionary<string, byte[]>();
        using (var reader = new TarReader(new MemoryStream(aci)))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries[entry.Name.TrimEnd('/')] = data.ToArray();
            }
        }
        Assert.All(entries.Keys, k => Assert.True(k == "manifest" || k == "rootfs" || k.StartsWith("rootfs/", StringComparison.Ordinal), k));
        Assert.Equal(File.ReadAllBytes("/bin/busybox"), entries["rootfs/bin/busybox"]);
        Assert.False(entries.ContainsKey("rootfs/etc/motd"));
        Assert.False(entries.ContainsKey("rootfs/var/cache/old"));
        Assert.Equal([3], entries["rootfs/var/cache/new"]);
        Assert.DoesNotContain(entries.Keys, k => k.Contains(".wh.", StringComparison.Ordinal));

        using var manifest = JsonDocument.Parse(entries["manifest"]);
        var root = manifest.RootElement;
        Assert.Equal("ImageManifest", root.GetProperty("acKind").GetString());
        Assert.Equal("registry.test/library/busybox", root.GetProperty("name").GetString());
        var labels = root.GetProperty("labels").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l.GetProperty("value").GetString());
        Assert.Equal(("1.36", "linux", "amd64"), (labels["version"], labels["os"], labels["arch"]));
        var app = root.GetProperty("app");
        Assert.Equal("/bin/sh", app.GetProperty("exec")[0].GetString());
        Assert.Equal("/root", app.GetProperty("workingDirectory").GetString());
        Assert.Equal(80, app.GetProperty("ports")[0].GetProperty("port").GetInt32());

        // Cached: the same bytes again; converted images have no signature.
        Assert.Equal(aci, await client.GetByteArrayAsync($"/appc/{repository}/fetch/busybox-1.36-linux-amd64.aci"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/appc/{repository}/fetch/busybox-1.36-linux-amd64.aci.asc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/appc/{repository}/fetch/busybox-1.36-linux-arm64.aci")).StatusCode);
    }
}
