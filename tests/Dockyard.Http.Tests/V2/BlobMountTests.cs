using System.Net;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class BlobMountTests
{
    [Fact]
    public async Task Mount_from_a_repository_holding_the_blob_answers_201()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(128);
        var digest = await PushBlobAsync(server.Client, "source/app", data);

        using var mount = await server.Client.PostAsync($"/v2/target/app/blobs/uploads/?mount={digest}&from=source/app", null);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(digest, Header(mount, "Docker-Content-Digest"));
        Assert.Equal(new Uri(server.BaseAddress, $"/v2/target/app/blobs/{digest}"), mount.Headers.Location);
        using var get = await server.Client.GetAsync($"/v2/target/app/blobs/{digest}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mount_of_an_unknown_blob_answers_202_with_an_upload_location()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = DigestOf([1, 2, 3, 4]);

        using var mount = await server.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source", null);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        var location = mount.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        Assert.StartsWith("/v2/target/blobs/uploads/", location.AbsolutePath);
        using var status = await server.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
    }

    [Fact]
    public async Task Mount_from_a_repository_not_holding_the_blob_answers_202()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = await PushBlobAsync(server.Client, "elsewhere", RandomBytes(16));

        using var mount = await server.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source", null);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        using var get = await server.Client.GetAsync($"/v2/target/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Mount_without_from_of_a_blob_existing_elsewhere_mounts_automatically()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(64);
        var digest = await PushBlobAsync(server.Client, "elsewhere", data);

        using var mount = await server.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}", null);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(digest, Header(mount, "Docker-Content-Digest"));
        using var get = await server.Client.GetAsync($"/v2/target/blobs/{digest}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mount_of_a_sha512_blob_answers_201()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = await PushBlobAsync(server.Client, "source", RandomBytes(64), "sha512");

        using var mount = await server.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source", null);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(digest, Header(mount, "Docker-Content-Digest"));
    }

    [Fact]
    public async Task Mount_with_an_invalid_digest_answers_400_digest_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        using var mount = await server.Client.PostAsync("/v2/target/blobs/uploads/?mount=sha256:xyz&from=source", null);
        await AssertErrorAsync(mount, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
