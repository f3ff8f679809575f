using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.Local.Tests.FileSystem;

/// <summary>
/// The real executable with its data folder on a 1 MiB tmpfs of its own (mounted in a private mount namespace made by
/// unshare, so nobody else sees it and it goes with the process): a PATCH that fills the disk answers 503 with
/// Retry-After, and the same upload goes on with a part that fits, since the refused one was removed.
/// </summary>
public sealed class DiskFullTests
{
    private const string MountThenRun = "mount -t tmpfs -o size=1m dockyard-test \"$0\" && cd \"$0\" && exec \"$@\"";

    [Fact]
    public async Task A_patch_that_fills_the_disk_answers_503_and_the_upload_goes_on_with_a_part_that_fits()
    {
        if (!await PrivateMountsWorkAsync())
        {
            return;
        }
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        // The metadata file lives outside the small disk: only the blob store may run out of room here.
        await using var registry = await DockyardProcess.StartAsync(data, new Dictionary<string, string> { ["DOCKYARD_DB__URI"] = folder.Combine("metadata.db") },
            ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", MountThenRun, data]);
        var client = registry.Client;
        using var start = await client.PostAsync("/v2/full/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;

        using (var tooBig = await PatchAsync(client, location, new byte[2 << 20]))
        {
            Assert.Null(await UnavailableAnswer.CheckAsync(tooBig));
        }

        var fits = RandomNumberGenerator.GetBytes(100_000);
        using (var patched = await PatchAsync(client, location, fits))
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            location = patched.Headers.Location!;
        }
        var digest = Digest.Compute(fits);
        using (var put = await client.PutAsync($"{location}{(location.OriginalString.Contains('?') ? '&' : '?')}digest={digest}", null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        Assert.Equal(fits, await client.GetByteArrayAsync($"/v2/full/app/blobs/{digest}"));
    }

    /// <summary>The bytes of <paramref name="body"/> as the upload's first part.</summary>
    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri location, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-Range", $"0-{body.Length - 1}");
        return await client.PatchAsync(location, content);
    }

    /// <summary>False (reported, or a failure on CI) when this machine cannot give a process a private mount.</summary>
    private static async Task<bool> PrivateMountsWorkAsync()
    {
        if (RequiredTool.Find("unshare") is not { } unshare)
        {
            return false;
        }
        var (code, _, error) = await RequiredTool.RunAsync(unshare, ["--user", "--map-root-user", "--mount", "true"]);
        return code == 0 || RequiredTool.Missing("a private mount namespace", $"is not allowed here (unshare: {error.Trim()})") is not null;
    }
}
