using System.IO.Compression;
using System.Net;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Appc;

/// <summary>ACIs compressed with the real bzip2 and xz tools (and an uncompressed tar) push, validate and fetch byte for byte.</summary>
public sealed class AciCompressionTests
{
    private const string Repository = "team/busybox";
    private const string Name = "registry.test/" + Repository;

    [Theory]
    [InlineData("bzip2")]
    [InlineData("xz")]
    [InlineData("none")]
    public async Task Compressed_acis_push_validate_and_fetch(string compressor)
    {
        if (AciBuilder.GpgMissing || (compressor != "none" && RequiredTool.Find(compressor) is null))
        {
            return;
        }
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        await using var server = await AciPushFetchTests.StartAsync();
        var client = server.Client;
        await client.PostAsync($"/appc/{Repository}/pubkeys", new StringContent(key));
        var manifest = AciBuilder.Manifest(Name, "1.0.0");
        var aci = await CompressAsync(Gunzip(AciBuilder.Build(manifest)), compressor);
        var asc = await gpg.SignAsync(aci);

        var (status, body) = await AciBuilder.PushAsync(client, Repository, "busybox-1.0.0-linux-amd64.aci", aci, asc, manifest);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(aci, await client.GetByteArrayAsync($"/appc/{Repository}/fetch/busybox-1.0.0-linux-amd64.aci"));

        // A compressed ACI whose tar breaks the rules is still refused after decompression.
        var bad = await CompressAsync(Gunzip(AciBuilder.Build(AciBuilder.Manifest(Name, "2.0.0"), true, "etc")), compressor);
        var (badStatus, badBody) = await AciBuilder.PushAsync(client, Repository, "busybox-2.0.0-linux-amd64.aci", bad, await gpg.SignAsync(bad),
            AciBuilder.Manifest(Name, "2.0.0"));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("unexpected top-level entry 'etc'", badBody.GetProperty("server_reason").GetString());
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static async Task<byte[]> CompressAsync(byte[] tar, string compressor)
    {
        if (compressor == "none")
        {
            return tar;
        }
        var path = Path.Combine(Path.GetTempPath(), "dockyard-aci-" + Guid.NewGuid().ToString("N") + ".tar");
        await File.WriteAllBytesAsync(path, tar);
        try
        {
            var (code, _, error) = await RequiredTool.RunAsync(RequiredTool.Find(compressor)!, ["-k", "-f", path]);
            Assert.True(code == 0, $"{compressor}: {error}");
            var compressed = path + (compressor == "bzip2" ? ".bz2" : ".xz");
            var bytes = await File.ReadAllBytesAsync(compressed);
            File.Delete(compressed);
            return bytes;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
