using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Web.Tests;

/// <summary>
/// An image whose every free-text field is an attack on the page that shows it: a script element in annotations, labels,
/// env, cmd and history, and <c>javascript:</c> URLs where a naive UI would make links (the source and url annotations).
/// Pushed over the V2 API.
/// </summary>
public static class HostileImage
{
    public const string Script = "<script>alert(1)</script>";
    public const string ScriptUrl = "javascript:alert(1)";

    /// <summary>Pushes the image as <paramref name="repository"/>:<paramref name="tag"/>; returns the manifest digest.</summary>
    public static async Task<string> PushAsync(HttpClient client, string repository, string tag)
    {
        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new Dictionary<string, object>
            {
                ["Env"] = new[] { "EVIL=" + Script },
                ["Cmd"] = new[] { "/bin/sh", "-c", Script },
                ["Labels"] = new Dictionary<string, string> { ["org.example.evil"] = Script, ["org.opencontainers.image.url"] = ScriptUrl },
            },
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = Array.Empty<string>() },
            ["history"] = new[] { new Dictionary<string, object> { ["created_by"] = Script } },
        });
        var configDigest = (await TestImage.PushBlobAsync(client, repository, config)).Digest;
        var layer = RandomNumberGenerator.GetBytes(100);
        var layerDigest = (await TestImage.PushBlobAsync(client, repository, layer)).Digest;
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            ["layers"] = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layerDigest, size = layer.Length } },
            ["annotations"] = new Dictionary<string, string>
            {
                ["org.opencontainers.image.description"] = Script,
                ["org.opencontainers.image.source"] = ScriptUrl,
                ["org.opencontainers.image.url"] = ScriptUrl,
                [Script] = "key too",
            },
        });
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{tag}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return TestImage.DigestOf(manifest);
    }
}
