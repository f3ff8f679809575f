using System.Net;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;
using static Dockyard.Testing.V1Client;

namespace Dockyard.Http.Tests.V1;

/// <summary>
/// V1 image ids are not global: an image is read only through a repository that holds it, a push of an id never adopts
/// or is blocked by another repository's image of that id, and "not yours" answers exactly as "does not exist".
/// </summary>
public sealed class V1ImageIsolationTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    private async Task<V1Client> UserAsync(string name)
    {
        await Auth.AddUserAsync(name);
        return new V1Client(Auth.Client(null), name, AuthServer.PasswordOf(name));
    }

    private static async Task<string> WriteTokenAsync(V1Client client, string repository, string announce)
    {
        using var index = await client.SendAsync(HttpMethod.Put, $"/v1/repositories/{repository}/", client.Basic(), Json(announce), ("X-Docker-Token", "true"));
        await ExpectAsync(index, HttpStatusCode.OK);
        return Header(index, "X-Docker-Token");
    }

    [Fact]
    public async Task Announcing_someone_elses_image_id_reaches_none_of_its_content()
    {
        var alice = await UserAsync("isoalice");
        var bob = await UserAsync("isobob");
        var secret = V1Image.Create(null, V1Image.TarOf(("secret", "alice's secret")), true, "secret");
        await alice.PushAsync("isoalice/private", "latest", [secret]);

        var token = await WriteTokenAsync(bob, "isobob/loot", $"[{{\"id\":\"{secret.Id}\"}}]");
        var unknown = V1Image.NewId();
        foreach (var part in new[] { "json", "layer", "ancestry" })
        {
            var theirs = await ExpectAsync(await bob.SendAsync(HttpMethod.Get, $"/v1/images/{secret.Id}/{part}", TokenAuth(token)), HttpStatusCode.NotFound);
            var nowhere = await ExpectAsync(await bob.SendAsync(HttpMethod.Get, $"/v1/images/{unknown}/{part}", TokenAuth(token)), HttpStatusCode.NotFound);
            Assert.Equal(nowhere.GetRawText().Replace(unknown, secret.Id, StringComparison.Ordinal), theirs.GetRawText());
            await ExpectAsync(await bob.SendAsync(HttpMethod.Get, $"/v1/images/{secret.Id}/{part}", bob.Basic()), HttpStatusCode.NotFound);
        }
        // Tagging the id in his repository neither serves it through V1 nor makes a V2 image of it.
        await ExpectAsync(await bob.SendAsync(HttpMethod.Put, "/v1/repositories/isobob/loot/tags/evil", TokenAuth(token), Json($"\"{secret.Id}\"")),
            HttpStatusCode.NotFound);
        await ExpectAsync(await Auth.Client("isobob").GetAsync("/v2/isobob/loot/manifests/evil"), HttpStatusCode.NotFound);
        // Completing the announced id with a checksum of alice's payload is no way in either.
        await ExpectAsync(await bob.SendAsync(HttpMethod.Put, $"/v1/images/{secret.Id}/checksum", TokenAuth(token), null,
            ("X-Docker-Checksum-Payload", secret.PayloadChecksum)), HttpStatusCode.NotFound);
        Assert.Equal(secret.Layer, Assert.Single(await alice.PullAsync("isoalice/private", "latest")).Layer);
    }

    [Fact]
    public async Task A_push_of_an_id_another_user_pushed_first_stores_and_serves_its_own_bytes()
    {
        var alice = await UserAsync("poisonalice");
        var bob = await UserAsync("poisonbob");
        var id = V1Image.NewId();
        var bobs = V1Image.Create(null, V1Image.TarOf(("payload", "bob's bytes")), true, "bob", id);
        var alices = V1Image.Create(null, V1Image.TarOf(("payload", "alice's bytes")), true, "alice", id);
        await bob.PushAsync("poisonbob/bait", "latest", [bobs]);

        // PushAsync asserts every step: the id looks unknown to alice (404), and json, layer and checksum are accepted.
        await alice.PushAsync("poisonalice/app", "latest", [alices]);
        Assert.Equal(alices.Layer, Assert.Single(await alice.PullAsync("poisonalice/app", "latest")).Layer);
        Assert.Equal(bobs.Layer, Assert.Single(await bob.PullAsync("poisonbob/bait", "latest")).Layer);
        var manifest = await ExpectAsync(await Auth.Client("poisonalice").GetAsync("/v2/poisonalice/app/manifests/latest"), HttpStatusCode.OK);
        Assert.Equal(alices.LayerDigest, manifest.GetProperty("layers")[0].GetProperty("digest").GetString());
    }
}
