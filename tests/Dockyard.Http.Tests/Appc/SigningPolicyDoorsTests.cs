using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;
using static Dockyard.Testing.V1Client;

namespace Dockyard.Http.Tests.Appc;

/// <summary>
/// A signing policy holds at every door an image can leave by: what the V2 manifest GET refuses, the appc fetch (an
/// ACI converted from the same image) and the V1 API refuse too, while unprotected repositories are served as before.
/// </summary>
public sealed class SigningPolicyDoorsTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dockyard-policy-" + Guid.NewGuid().ToString("N"));
    private RegistryServer server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(Path.Combine(folder, "cosign.pub"), key.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(Path.Combine(folder, "policy.json"),
            """{ "rules": [ { "repositories": "secure/**", "require": "cosign", "keys": ["cosign.pub"] } ] }""");
        server = await AciPushFetchTests.StartAsync(new Dictionary<string, string?> { ["signing:policyfile"] = Path.Combine(folder, "policy.json") });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static byte[] Layer()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello") { DataStream = new MemoryStream([1, 2, 3]) });
        }
        return output.ToArray();
    }

    private async Task PushConvertibleImageAsync(string repository, string tag)
    {
        var client = server.Client;
        var config = await RegistryPush.PushDescriptorAsync(client, repository, RegistryPush.OciConfig,
            Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"""));
        var layer = await RegistryPush.PushDescriptorAsync(client, repository, RegistryPush.OciLayer, Layer());
        await RegistryPush.PushManifestAsync(client, repository, tag, RegistryPush.ImageManifestJson(RegistryPush.OciManifest, config, [layer]),
            RegistryPush.OciManifest);
    }

    [Fact]
    public async Task The_appc_fetch_of_an_unsigned_protected_image_is_refused_like_its_v2_pull()
    {
        await PushConvertibleImageAsync("secure/app", "1.0");
        await PushConvertibleImageAsync("open/app", "1.0");
        var client = server.Client;

        await RegistryPush.AssertErrorAsync(await client.GetAsync("/v2/secure/app/manifests/1.0"), HttpStatusCode.Forbidden, "DENIED");
        await RegistryPush.AssertErrorAsync(await client.GetAsync("/appc/secure/app/fetch/app-1.0-linux-amd64.aci"), HttpStatusCode.Forbidden, "DENIED");
        // Asking twice must not serve a conversion cached by the first request.
        await RegistryPush.AssertErrorAsync(await client.GetAsync("/appc/secure/app/fetch/app-1.0-linux-amd64.aci"), HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/appc/open/app/fetch/app-1.0-linux-amd64.aci")).StatusCode);
    }

    [Fact]
    public async Task V1_pulls_from_a_protected_repository_are_refused()
    {
        var v1 = new V1Client(server.Client);
        var image = V1Image.Create(null, V1Image.TarOf(("f", "protected")), true, "protected");
        var token = await v1.PushAsync("secure/legacy", "latest", [image]);
        await v1.PushAsync("open/legacy", "latest", [image]);

        using var read = await v1.SendAsync(HttpMethod.Get, "/v1/repositories/secure/legacy/images", null, null, ("X-Docker-Token", "true"));
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        foreach (var part in new[] { "json", "layer", "ancestry" })
        {
            await RegistryPush.AssertErrorAsync(await v1.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/{part}", TokenAuth(token)),
                HttpStatusCode.Forbidden, "DENIED");
        }
        Assert.Equal(image.Layer, Assert.Single(await v1.PullAsync("open/legacy", "latest")).Layer);
        await RegistryPush.AssertErrorAsync(await server.Client.GetAsync("/v2/secure/legacy/manifests/latest"), HttpStatusCode.Forbidden, "DENIED");
    }
}
