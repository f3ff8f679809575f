using System.Net;
using Dockyard.Conformance.Blobs;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Registry;

/// <summary>Azurite going away in the middle of a push: a retryable error, nothing half-visible, and the push resumes.</summary>
public sealed class AzureFaultTests
{
    [Fact]
    public async Task A_push_while_storage_is_down_gets_503_and_succeeds_after_the_restart()
    {
        if (Azurite.ConnectionString is null)
        {
            return;
        }
        await using var azurite = await PrivateAzurite.StartAsync();
        if (azurite is null)
        {
            return;
        }
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["dockyard:backend"] = "azure", ["azure:connectionstring"] = azurite.ConnectionString,
        });
        var content = PatternStream.Bytes(0, 3_000_000, 9);
        var digest = Digest.Compute(content);
        var location = await RegistryPush.StartUploadAsync(server.Client, "azure/fault");
        using (var first = await RegistryPush.PatchAsync(server.Client, location, new ByteArrayContent(content, 0, 1_000_000), 0, 1_000_000))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            location = new Uri(server.BaseAddress, first.Headers.Location!);
        }

        await azurite.KillAsync();
        using (var down = await RegistryPush.PatchAsync(server.Client, location, new ByteArrayContent(content, 1_000_000, 2_000_000), 1_000_000, 2_000_000))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
        }
        using (var finish = await RegistryPush.PutAsync(server.Client, location, digest))
        {
            Assert.True((int)finish.StatusCode >= 500, $"PUT while storage is down answered {(int)finish.StatusCode}");
        }

        await azurite.StartAgainAsync();
        using (var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/azure/fault/blobs/{digest}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode); // nothing half-visible
        }
        using (var again = await RegistryPush.PatchAsync(server.Client, location, new ByteArrayContent(content, 1_000_000, 2_000_000), 1_000_000, 2_000_000))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            location = new Uri(server.BaseAddress, again.Headers.Location!);
        }
        using (var put = await RegistryPush.PutAsync(server.Client, location, digest))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        Assert.Equal(content, await server.Client.GetByteArrayAsync($"/v2/azure/fault/blobs/{digest}"));
    }
}
