using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Appc;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The whole registry over HTTP with its metadata in Azure Tables (Azurite) and blobs on local disk.</summary>
public sealed class AzureTableRegistryTests
{
    [Fact]
    public async Task Push_pull_tag_list_catalog_and_referrers_work_over_http()
    {
        await using var registry = await AzureRegistry.StartAsync();
        if (registry is null)
        {
            return;
        }
        var client = registry.Server.Client;
        var image = await AzureRegistry.PushImageAsync(client, "team/app", "v1");
        await AzureRegistry.PutManifestAsync(client, "team/app", "latest", Encoding.UTF8.GetString(image));
        var imageDigest = AzureRegistry.DigestOf(image);

        // Pull: by tag and by digest, then every blob the manifest names.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/manifests/v1"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(AzureRegistry.OciManifest));
            using var pulled = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            Assert.Equal(image, await pulled.Content.ReadAsByteArrayAsync());
            Assert.Equal(imageDigest, pulled.Headers.GetValues("Docker-Content-Digest").Single());
        }
        using var manifest = JsonDocument.Parse(image);
        foreach (var blob in manifest.RootElement.GetProperty("layers").EnumerateArray().Append(manifest.RootElement.GetProperty("config")))
        {
            using var response = await client.GetAsync($"/v2/team/app/blobs/{blob.GetProperty("digest").GetString()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(blob.GetProperty("size").GetInt64(), (await response.Content.ReadAsByteArrayAsync()).LongLength);
        }

        using var tags = JsonDocument.Parse(await client.GetStringAsync("/v2/team/app/tags/list"));
        Assert.Equal(["latest", "v1"], tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        using var catalog = JsonDocument.Parse(await client.GetStringAsync("/v2/_catalog"));
        Assert.Equal(["team/app"], catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(t => t.GetString()));

        // A signature that refers to the image is listed by the referrers API.
        var empty = "{}"u8.ToArray();
        await AzureRegistry.PushBlobAsync(client, "team/app", empty);
        var signature = await AzureRegistry.PutManifestAsync(client, "team/app", "sig", $$"""
            {"schemaVersion":2,"mediaType":"{{AzureRegistry.OciManifest}}","artifactType":"application/vnd.example.sig","config":{{AzureRegistry.Descriptor("application/vnd.oci.empty.v1+json", empty)}},"layers":[{{AzureRegistry.Descriptor("application/vnd.oci.empty.v1+json", empty)}}],"subject":{{AzureRegistry.Descriptor(AzureRegistry.OciManifest, image)}}}
            """);
        using var referrers = JsonDocument.Parse(await client.GetStringAsync($"/v2/team/app/referrers/{imageDigest}"));
        var listed = referrers.RootElement.GetProperty("manifests").EnumerateArray().Single();
        Assert.Equal(AzureRegistry.DigestOf(signature), listed.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.example.sig", listed.GetProperty("artifactType").GetString());

        // Deleting the image removes its tags.
        using (var deleted = await client.DeleteAsync($"/v2/team/app/manifests/{imageDigest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }
        using var after = JsonDocument.Parse(await client.GetStringAsync("/v2/team/app/tags/list"));
        Assert.Equal(["sig"], after.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Signatures_are_stored_and_listed_through_the_extension_api()
    {
        await using var registry = await AzureRegistry.StartAsync();
        if (registry is null)
        {
            return;
        }
        var client = registry.Server.Client;
        var digest = AzureRegistry.DigestOf(await AzureRegistry.PushImageAsync(client, "team/signed", "v1"));
        var list = $"/extensions/v2/team/signed/signatures/{digest}";
        Assert.Equal("""{"signatures":[]}""", await client.GetStringAsync(list));
        await AzureRegistry.PutSignatureAsync(client, "team/signed", digest, "b", [4, 5]);
        await AzureRegistry.PutSignatureAsync(client, "team/signed", digest, "a", [1, 2, 3]);

        using var listed = JsonDocument.Parse(await client.GetStringAsync(list));
        var signatures = listed.RootElement.GetProperty("signatures").EnumerateArray().ToList();
        Assert.Equal([$"{digest}@a", $"{digest}@b"], signatures.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 3], signatures[0].GetProperty("content").GetBytesFromBase64());
        Assert.Equal([4, 5], signatures[1].GetProperty("content").GetBytesFromBase64());
    }

    [Fact]
    public async Task V1_images_push_and_pull_back_byte_for_byte()
    {
        await using var registry = await AzureRegistry.StartAsync();
        if (registry is null)
        {
            return;
        }
        var client = new V1Client(registry.Server.Client);
        var parent = V1Image.Create(null, V1Image.TarOf(("etc/base", "base")), gzip: true, "base");
        var top = V1Image.Create(parent.Id, V1Image.TarOf(("app", new string('x', 50_000))), gzip: false, "app");
        await client.PushAsync("team/v1app", "latest", [parent, top]);

        var pulled = await client.PullAsync("team/v1app", "latest");
        Assert.Equal([parent.Id, top.Id], pulled.Select(p => p.Id));
        Assert.Equal([parent.Json, top.Json], pulled.Select(p => p.Json));
        Assert.Equal([parent.Layer, top.Layer], pulled.Select(p => p.Layer));
        Assert.Equal([parent.PayloadChecksum, top.PayloadChecksum], pulled.Select(p => p.Checksum));
    }

    [Fact]
    public async Task A_signed_aci_is_pushed_with_its_key_and_fetched_byte_for_byte()
    {
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        await using var registry = await AzureRegistry.StartAsync(new Dictionary<string, string?> { ["dockyard:domains"] = "registry.test" });
        if (registry is null)
        {
            return;
        }
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        var client = registry.Server.Client;
        using (var trusted = await client.PostAsync("/appc/team/busybox/pubkeys", new StringContent(key)))
        {
            Assert.Equal(HttpStatusCode.Created, trusted.StatusCode);
        }
        var manifest = AciBuilder.Manifest("registry.test/team/busybox", "1.0.0");
        var aci = AciBuilder.Build(manifest);
        var asc = await gpg.SignAsync(aci);

        var (status, body) = await AciBuilder.PushAsync(client, "team/busybox", "busybox-1.0.0-linux-amd64.aci", aci, asc, manifest);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(aci, await client.GetByteArrayAsync("/appc/team/busybox/fetch/busybox-1.0.0-linux-amd64.aci"));
        Assert.Equal(asc, await client.GetByteArrayAsync("/appc/team/busybox/fetch/busybox-1.0.0-linux-amd64.aci.asc"));
        // A second push of the published version is refused at the start.
        using var again = await client.PostAsync("/appc/team/busybox/push/busybox-1.0.0-linux-amd64.aci", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_v2_image_is_fetched_as_an_aci_and_its_conversion_kept()
    {
        await using var registry = await AzureRegistry.StartAsync(new Dictionary<string, string?> { ["dockyard:domains"] = "registry.test" });
        if (registry is null)
        {
            return;
        }
        var client = registry.Server.Client;
        var manifest = await AzureRegistry.PushTarImageAsync(client, "team/conv", "1.0", ("etc/motd", "hello from azure tables"u8.ToArray()));

        // The first fetch converts and records the conversion in the aciconversions table; the second is served from it.
        var first = await client.GetByteArrayAsync("/appc/team/conv/fetch/conv-1.0-linux-amd64.aci");
        var conversion = await registry.Server.Services.GetRequiredService<IAciStore>()
            .GetConversionAsync(RepositoryName.Parse("team/conv"), Digest.Parse(AzureRegistry.DigestOf(manifest)), CancellationToken.None);
        Assert.Equal(first.LongLength, conversion?.Size);
        Assert.Equal(first, await client.GetByteArrayAsync("/appc/team/conv/fetch/conv-1.0-linux-amd64.aci"));
        var entries = new Dictionary<string, byte[]>();
        using (var reader = new TarReader(new MemoryStream(first)))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries[entry.Name.TrimEnd('/')] = data.ToArray();
            }
        }
        Assert.Equal("hello from azure tables"u8.ToArray(), entries["rootfs/etc/motd"]);
        Assert.Contains("ImageManifest", Encoding.UTF8.GetString(entries["manifest"]), StringComparison.Ordinal);
        // A version that was never pushed is the registry's 404, not a 501.
        using var missing = await client.GetAsync("/appc/team/conv/fetch/conv-9.9-linux-amd64.aci");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
