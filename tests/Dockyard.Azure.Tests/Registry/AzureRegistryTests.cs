using System.Net;
using Dockyard.Conformance.Blobs;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Registry;

/// <summary>The whole registry on <c>backend = azure</c> against Azurite: pushes and pulls over HTTP.</summary>
public sealed class AzureRegistryTests
{
    private static Dictionary<string, string?> Settings(string connection, string container, bool sas = false) => new()
    {
        ["dockyard:backend"] = "azure",
        ["azure:connectionstring"] = connection,
        ["azure:container"] = container,
        ["azure:sasredirect"] = sas ? "true" : "false",
    };

    [Fact]
    public async Task A_blob_pushed_in_chunks_is_pulled_back_byte_identically()
    {
        if (Azurite.ConnectionString is not { } connection)
        {
            return;
        }
        var container = Azurite.NewContainerName();
        try
        {
            await using var server = await RegistryServer.StartAsync(Settings(connection, container));
            var content = PatternStream.Bytes(0, 5_000_000, 11);
            var digest = Digest.Compute(content);
            var location = await RegistryPush.StartUploadAsync(server.Client, "azure/chunked");
            for (var start = 0; start < content.Length; start += 2_000_000)
            {
                var length = Math.Min(2_000_000, content.Length - start);
                using var patched = await RegistryPush.PatchAsync(server.Client, location, new ByteArrayContent(content, start, length), start, length);
                Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
                location = new Uri(server.BaseAddress, patched.Headers.Location!);
            }
            using var put = await RegistryPush.PutAsync(server.Client, location, digest);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(content, await server.Client.GetByteArrayAsync($"/v2/azure/chunked/blobs/{digest}"));
        }
        finally
        {
            await Azurite.Connect(connection, container).DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task With_sasredirect_a_pull_is_a_307_to_a_SAS_URL_serving_the_bytes()
    {
        if (Azurite.ConnectionString is not { } connection)
        {
            return;
        }
        var container = Azurite.NewContainerName();
        try
        {
            await using var server = await RegistryServer.StartAsync(Settings(connection, container, sas: true));
            var content = PatternStream.Bytes(0, 300_000, 2);
            var digest = Digest.Compute(content);
            var location = await RegistryPush.StartUploadAsync(server.Client, "azure/sas");
            using (var put = await RegistryPush.PutAsync(server.Client, location, digest, new ByteArrayContent(content)))
            {
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }
            using var noFollow = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
            using var redirect = await noFollow.GetAsync($"/v2/azure/sas/blobs/{digest}");
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            var target = redirect.Headers.Location!;
            Assert.Contains("sig=", target.Query, StringComparison.Ordinal);
            using var direct = new HttpClient();
            Assert.Equal(content, await direct.GetByteArrayAsync(target)); // no credentials but the SAS
        }
        finally
        {
            await Azurite.Connect(connection, container).DeleteIfExistsAsync();
        }
    }
}
