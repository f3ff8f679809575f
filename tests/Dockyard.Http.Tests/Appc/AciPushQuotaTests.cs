using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Appc;

/// <summary>
/// <c>[quota]</c> on the appc door: an unfinished acpush push holds its staged bytes like a blob upload, so they count
/// against the namespace's quota and the push against the per-client cap on unfinished uploads, until it completes,
/// is aborted or expires. Before, neither counted: pushes never completed could each stage up to the room left, as
/// many times as the client liked.
/// </summary>
public sealed class AciPushQuotaTests
{
    private const int KiB = 1024;
    private const string Repository = "full/busybox";

    private static Task<RegistryServer> StartAsync(string namespaceMiB = "0", string uploads = "0") =>
        AciPushFetchTests.StartAsync(new Dictionary<string, string?> { ["quota:namespacesize"] = namespaceMiB, ["quota:uploads"] = uploads });

    private static async Task<JsonElement> StartPushAsync(HttpClient client, string version)
    {
        using var start = await client.PostAsync($"/appc/{Repository}/push/busybox-{version}-linux-amd64.aci", null);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        return await start.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> PutAciAsync(HttpClient client, JsonElement push, byte[] bytes) =>
        client.PutAsync(push.GetProperty("upload_aci_url").GetString(), new ByteArrayContent(bytes));

    private static async Task AbortAsync(HttpClient client, JsonElement push)
    {
        using var abort = await client.PostAsync(push.GetProperty("completed_url").GetString(), new StringContent("""{"success":false,"reason":"gave up"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, abort.StatusCode);
    }

    [Fact]
    public async Task Bytes_staged_by_unfinished_pushes_count_against_the_namespaces_quota()
    {
        await using var server = await StartAsync(namespaceMiB: "1");
        var client = server.Client;
        var first = await StartPushAsync(client, "1.0.0");
        using (var put = await PutAciAsync(client, first, RegistryPush.RandomBytes(700 * KiB)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // A second push never completed may not stage the same room again, nor may a blob upload take it.
        var second = await StartPushAsync(client, "2.0.0");
        await RegistryPush.AssertErrorAsync(await PutAciAsync(client, second, RegistryPush.RandomBytes(700 * KiB)), HttpStatusCode.RequestEntityTooLarge, "DENIED");
        var location = await RegistryPush.StartUploadAsync(client, "full/app");
        await RegistryPush.AssertErrorAsync(await client.PatchAsync(location, new ByteArrayContent(RegistryPush.RandomBytes(400 * KiB))),
            HttpStatusCode.RequestEntityTooLarge, "DENIED");

        // Aborting the first push gives its room back.
        await AbortAsync(client, first);
        using (var put = await PutAciAsync(client, second, RegistryPush.RandomBytes(700 * KiB)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }

    [Fact]
    public async Task An_unfinished_push_counts_against_the_clients_cap_on_unfinished_uploads()
    {
        await using var server = await StartAsync(uploads: "2");
        var client = server.Client;
        var first = await StartPushAsync(client, "1.0.0");
        await StartPushAsync(client, "2.0.0");

        await RegistryPush.AssertErrorAsync(await client.PostAsync($"/appc/{Repository}/push/busybox-3.0.0-linux-amd64.aci", null),
            HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        await RegistryPush.AssertErrorAsync(await client.PostAsync("/v2/full/app/blobs/uploads/", null), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");

        await AbortAsync(client, first);
        await StartPushAsync(client, "3.0.0");
    }
}
