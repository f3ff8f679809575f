using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Appc;

/// <summary>acpush's request sequence against a real server with a real gpg-signed busybox ACI, then rkt's discovery and fetch.</summary>
public sealed partial class AciPushFetchTests
{
    private const string Domain = "registry.test";
    private const string Repository = "team/busybox";
    private const string Name = Domain + "/" + Repository;

    internal static Task<RegistryServer> StartAsync(Dictionary<string, string?>? extra = null) =>
        RegistryServer.StartAsync(new Dictionary<string, string?>(extra ?? []) { ["dockyard:domains"] = Domain });

    [Fact]
    public async Task SignedAciIsPushedDiscoveredAndFetchedByteForByte()
    {
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        await using var server = await StartAsync();
        var client = server.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/appc/{Repository}/pubkeys", new StringContent(key))).StatusCode);
        var manifest = AciBuilder.Manifest(Name, "1.0.0");
        var aci = AciBuilder.Build(manifest);
        var asc = await gpg.SignAsync(aci);

        var (status, body) = await AciBuilder.PushAsync(client, Repository, "busybox-1.0.0-linux-amd64.aci", aci, asc, manifest);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.True(body.GetProperty("success").GetBoolean());

        // rkt's discovery: fetch https://<name>?ac-discovery=1, take the ac-discovery meta whose prefix matches, expand the template.
        var html = await client.GetStringAsync($"/{Repository}?ac-discovery=1");
        var metas = MetaTag().Matches(html).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["content"].Value.Split(' '));
        Assert.Equal(Name, metas["ac-discovery"][0]);
        Assert.Equal(Name, metas["ac-discovery-pubkeys"][0]);
        Assert.Equal(Name, metas["ac-push-discovery"][0]);
        var template = WebUtility.HtmlDecode(metas["ac-discovery"][1]);
        string Expand(string ext) => template.Replace("{name}", Name).Replace("{version}", "1.0.0").Replace("{os}", "linux").Replace("{arch}", "amd64").Replace("{ext}", ext);
        Assert.Equal($"{server.BaseAddress.ToString().TrimEnd('/')}/appc/{Repository}/fetch/busybox-1.0.0-linux-amd64.aci", Expand("aci"));
        Assert.Equal(aci, await client.GetByteArrayAsync(Expand("aci")));
        Assert.Equal(asc, await client.GetByteArrayAsync(Expand("aci.asc")));
        Assert.Contains("BEGIN PGP PUBLIC KEY BLOCK", await client.GetStringAsync(WebUtility.HtmlDecode(metas["ac-discovery-pubkeys"][1])));
        // The original's prefixed discovery renders the same page; other roots are untouched.
        Assert.Equal(html, await client.GetStringAsync($"/appc/{Repository}?ac-discovery=1"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/{Repository}")).StatusCode);

        // A second push of the same version is refused at the start.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/appc/{Repository}/push/busybox-1.0.0-linux-amd64.aci", null)).StatusCode);
    }

    [Theory]
    [InlineData("bad-signature", "does not verify")]
    [InlineData("extra-entry", "unexpected top-level entry 'etc'")]
    [InlineData("no-manifest", "has no 'manifest'")]
    [InlineData("bad-json", "is not JSON")]
    [InlineData("bad-string", "is not text")]
    [InlineData("name-mismatch", "does not match this repository")]
    [InlineData("label-mismatch", "label version is '2.0.0'")]
    public async Task RefusedPushesPublishNothing(string fault, string reason)
    {
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        await using var server = await StartAsync();
        var client = server.Client;
        await client.PostAsync($"/appc/{Repository}/pubkeys", new StringContent(key));
        var manifest = fault switch
        {
            "bad-json" => "{not json",
            "bad-string" => AciBuilder.Manifest(Name + "\\ud800", "1.0.0"),
            "name-mismatch" => AciBuilder.Manifest("evil.test/other/busybox", "1.0.0"),
            "label-mismatch" => AciBuilder.Manifest(Name, "2.0.0"),
            _ => AciBuilder.Manifest(Name, "1.0.0"),
        };
        var aci = fault switch
        {
            "extra-entry" => AciBuilder.Build(manifest, true, "etc"),
            "no-manifest" => AciBuilder.Build(null),
            _ => AciBuilder.Build(manifest),
        };
        var asc = await gpg.SignAsync(fault == "bad-signature" ? AciBuilder.Build(manifest, true, "rootfs/other") : aci);

        var (status, body) = await AciBuilder.PushAsync(client, Repository, "busybox-1.0.0-linux-amd64.aci", aci, asc, manifest);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Contains(reason, body.GetProperty("server_reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/appc/{Repository}/fetch/busybox-1.0.0-linux-amd64.aci.asc")).StatusCode);
        Assert.DoesNotContain(Directory.EnumerateFiles(server.DataPath, "*", SearchOption.AllDirectories), f => f.Contains("upload", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PushWithoutTrustedKeysIsRefused()
    {
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        using var gpg = new AciBuilder();
        await gpg.InitAsync();
        await using var server = await StartAsync();
        var manifest = AciBuilder.Manifest(Name, "1.0.0");
        var aci = AciBuilder.Build(manifest);
        var (status, body) = await AciBuilder.PushAsync(server.Client, Repository, "busybox-1.0.0-linux-amd64.aci", aci, await gpg.SignAsync(aci), manifest);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no OpenPGP public key is trusted", body.GetProperty("server_reason").GetString());
    }

    // The state a crash while the push's staging was removed leaves: the push is recorded, its staged bytes are gone.
    [Fact]
    public async Task PushWhoseStagingIsGoneIsForgottenAndAnswers404()
    {
        await using var server = await StartAsync();
        using var start = await server.Client.PostAsync($"/appc/{Repository}/push/busybox-1.0.0-linux-amd64.aci", null);
        var urls = await start.Content.ReadFromJsonAsync<JsonElement>();
        var aci = urls.GetProperty("upload_aci_url").GetString()!;
        Directory.Delete(Path.Combine(server.DataPath, "uploads", aci[(aci.IndexOf("upload=", StringComparison.Ordinal) + 7)..]), recursive: true);

        using var put = await server.Client.PutAsync(aci, new ByteArrayContent([1, 2, 3]));
        using var again = await server.Client.PutAsync(urls.GetProperty("upload_signature_url").GetString(), new ByteArrayContent([1, 2, 3]));

        foreach (var response in new[] { put, again })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("BLOB_UPLOAD_UNKNOWN", error.GetProperty("errors")[0].GetProperty("code").GetString());
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataPath, "uploads")));
    }

    [Fact]
    public async Task CompletionWhoseReasonDoesNotDecodeAnswers400()
    {
        await using var server = await StartAsync();
        using var start = await server.Client.PostAsync($"/appc/{Repository}/push/busybox-1.0.0-linux-amd64.aci", null);
        var completed = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("completed_url").GetString();
        byte[] body = [.. "{\"success\":false,\"reason\":\""u8, 0xff, .. "\"}"u8];

        using var complete = await server.Client.PostAsync(completed, new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.BadRequest, complete.StatusCode);
        var error = await complete.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INVALID_FIELD", error.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [GeneratedRegex("<meta name=\"(?<name>ac-[a-z-]+)\" content=\"(?<content>[^\"]+)\">")]
    private static partial Regex MetaTag();
}
