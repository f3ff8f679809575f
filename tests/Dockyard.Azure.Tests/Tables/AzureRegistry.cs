using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Azure.Tables;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>A real registry with <c>[db] driver = azuretables</c> on tables of its own (blobs on local disk), and small push helpers.</summary>
internal sealed class AzureRegistry : IAsyncDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    private readonly AzureTableOptions options;

    private AzureRegistry(RegistryServer server, AzureTableOptions options)
    {
        Server = server;
        this.options = options;
    }

    public RegistryServer Server { get; }

    /// <summary>The started registry; null when Azurite is not available.</summary>
    public static async Task<AzureRegistry?> StartAsync(IDictionary<string, string?>? settings = null)
    {
        if (Azurite.ConnectionString is not { } connection)
        {
            return null;
        }
        var options = new AzureTableOptions { ConnectionString = connection, TablePrefix = Azurite.FreshPrefix() };
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["db:driver"] = "azuretables",
            ["azure:connectionstring"] = connection,
            ["azure:tableprefix"] = options.TablePrefix,
        };
        return new AzureRegistry(await RegistryServer.StartAsync(values), options);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await AzureTables.FromOptions(options).DeleteTablesAsync(CancellationToken.None);
    }

    public static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Descriptor(string mediaType, byte[] data) =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{DigestOf(data)}}","size":{{data.Length}}}""";

    /// <summary>Uploads a blob in two PATCHes and a closing PUT (each PATCH is a conditional commit of a part).</summary>
    public static async Task<string> PushBlobInChunksAsync(HttpClient client, string repository, byte[] data)
    {
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        var half = data.Length / 2;
        foreach (var (offset, length) in new[] { (0, half), (half, data.Length - half) })
        {
            using var chunk = new ByteArrayContent(data, offset, length);
            chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            chunk.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            using var patch = await client.PatchAsync(location, chunk);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            location = patch.Headers.Location!;
        }
        var digest = DigestOf(data);
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        using var put = await client.PutAsync(location + separator + "digest=" + digest, null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    /// <summary>Pushes a blob in one request.</summary>
    public static async Task PushBlobAsync(HttpClient client, string repository, byte[] data)
    {
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={DigestOf(data)}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Puts a manifest under <paramref name="reference"/> and returns its bytes.</summary>
    public static async Task<byte[]> PutManifestAsync(HttpClient client, string repository, string reference, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return bytes;
    }

    /// <summary>Pushes a config, a layer (in chunks) and an image manifest tagged <paramref name="tag"/>; returns the manifest bytes.</summary>
    public static async Task<byte[]> PushImageAsync(HttpClient client, string repository, string tag)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","tag":"{{tag}}"}""");
        var layer = RandomNumberGenerator.GetBytes(100_000);
        await PushBlobAsync(client, repository, config);
        await PushBlobInChunksAsync(client, repository, layer);
        return await PutManifestAsync(client, repository, tag, $$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{{Descriptor("application/vnd.oci.image.config.v1+json", config)}},"layers":[{{Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)}}]}
            """);
    }

    /// <summary>Pushes a config, one gzipped tar layer of <paramref name="files"/> and an image manifest tagged <paramref name="tag"/>; returns the manifest bytes.</summary>
    public static async Task<byte[]> PushTarImageAsync(HttpClient client, string repository, string tag, params (string Path, byte[] Data)[] files)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var layer = GzipTar(files);
        await PushBlobAsync(client, repository, config);
        await PushBlobAsync(client, repository, layer);
        return await PutManifestAsync(client, repository, tag, $$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{{Descriptor("application/vnd.oci.image.config.v1+json", config)}},"layers":[{{Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)}}]}
            """);
    }

    /// <summary>Stores the signature <c>manifest@suffix</c> through the signature API extension.</summary>
    public static async Task PutSignatureAsync(HttpClient client, string repository, string manifest, string suffix, byte[] content)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2, ["name"] = $"{manifest}@{suffix}", ["type"] = "atomic", ["content"] = Convert.ToBase64String(content),
        });
        using var put = await client.PutAsync($"/extensions/v2/{repository}/signatures/{manifest}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static byte[] GzipTar((string Path, byte[] Data)[] files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, data) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(data) });
            }
        }
        return output.ToArray();
    }
}
