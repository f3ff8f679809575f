using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using Dockyard.Http.Tests.V2;

namespace Dockyard.Http.Tests.Appc;

/// <summary>
/// An image's layers are written by whoever may push, and the appc fetch flattens them in the server's memory (every
/// path it emitted or hid is remembered): a layer whose tar headers name paths of megabytes, which gzip shrinks to
/// kilobytes, is refused with a client error (not a 500, not gigabytes of names held), whether .NET's tar reader
/// refuses the header itself or the flattener does; and a layer that inflates past the namespace's quota is not
/// turned into an ACI of its uncompressed size.
/// </summary>
public sealed class AciHostileLayerTests
{
    private const string Repository = "library/hostile";

    public static TheoryData<int, int> Layers() => new()
    {
        { 1, 2 << 20 },      // one PAX header over the reader's own metadata cap
        { 1, 8 << 10 },      // one path longer than any file system's
        { 17_000, 4_000 },   // many long paths: 68 million characters of names from a few hundred kilobytes of gzip
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task A_layer_of_huge_tar_headers_is_refused_as_the_clients_fault(int entries, int pathLength)
    {
        await using var server = await AciPushFetchTests.StartAsync();
        var client = server.Client;
        var config = await RegistryPush.PushDescriptorAsync(client, Repository, RegistryPush.OciConfig,
            Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]}}"""));
        var layer = await RegistryPush.PushDescriptorAsync(client, Repository, RegistryPush.OciLayer, Layer(entries, pathLength));
        await RegistryPush.PushManifestAsync(client, Repository, "1.0", RegistryPush.ImageManifestJson(RegistryPush.OciManifest, config, [layer]), RegistryPush.OciManifest);

        using var response = await client.GetAsync($"/appc/{Repository}/fetch/hostile-1.0-linux-amd64.aci");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {body}");
        Assert.Contains("UNSUPPORTED", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_that_inflates_past_the_namespaces_quota_is_not_converted()
    {
        await using var server = await AciPushFetchTests.StartAsync(new Dictionary<string, string?> { ["quota:namespacesize"] = "2" });
        var client = server.Client;
        var config = await RegistryPush.PushDescriptorAsync(client, Repository, RegistryPush.OciConfig,
            Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]}}"""));
        using var zeros = new MemoryStream();
        using (var gzip = new GZipStream(zeros, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "zeros") { DataStream = new MemoryStream(new byte[64 << 20]) });
        }
        var layer = await RegistryPush.PushDescriptorAsync(client, Repository, RegistryPush.OciLayer, zeros.ToArray());
        await RegistryPush.PushManifestAsync(client, Repository, "1.0", RegistryPush.ImageManifestJson(RegistryPush.OciManifest, config, [layer]), RegistryPush.OciManifest);

        using var response = await client.GetAsync($"/appc/{Repository}/fetch/hostile-1.0-linux-amd64.aci");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("over its storage quota", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Nothing was linked: the namespace still takes a blob of most of its quota.
        await RegistryPush.PushBlobAsync(client, Repository, RegistryPush.RandomBytes(3 << 19));
    }

    private static byte[] Layer(int entries, int pathLength)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            for (var i = 0; i < entries; i++)
            {
                var name = i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + "/" + new string('a', pathLength);
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100 });
            }
        }
        return output.ToArray();
    }
}
