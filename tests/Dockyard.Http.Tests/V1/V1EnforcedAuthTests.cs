using System.Net;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;
using static Dockyard.Testing.V1Client;

namespace Dockyard.Http.Tests.V1;

/// <summary>
/// <c>standalone = false</c>: the V1 push and pull with Basic credentials at the index and V1 tokens for images;
/// wrong users, read tokens, forged and foreign tokens refused; docker 1.x login through <c>/v1/users/</c>.
/// </summary>
public sealed class V1EnforcedAuthTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    private static V1Image NewImage(string content) => V1Image.Create(null, V1Image.TarOf(("file", content)), true, "add " + content);

    [Fact]
    public async Task Owner_pushes_and_pulls_with_basic_then_token_and_ping_says_not_standalone()
    {
        await Auth.AddUserAsync("v1owner");
        var http = Auth.Client(null);
        var client = new V1Client(http, "v1owner", AuthServer.PasswordOf("v1owner"));
        var image = NewImage("owner");
        await client.PushAsync("v1owner/app", "latest", [image]);
        var pulled = Assert.Single(await client.PullAsync("v1owner/app", "latest"));
        Assert.Equal(image.Layer, pulled.Layer);

        using var ping = await http.GetAsync("/v1/_ping");
        Assert.Equal("false", Header(ping, "X-Docker-Registry-Standalone"));
        // The converted image is private to its owner through V2 too.
        await ExpectAsync(await Auth.Client("v1owner").GetAsync("/v2/v1owner/app/manifests/latest"), HttpStatusCode.OK);
        await ExpectAsync(await http.GetAsync("/v2/v1owner/app/manifests/latest"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Other_users_anonymous_callers_and_read_tokens_are_refused()
    {
        await Auth.AddUserAsync("v1alice");
        await Auth.AddUserAsync("v1mallory");
        var image = NewImage("alice");
        var alice = new V1Client(Auth.Client(null), "v1alice", AuthServer.PasswordOf("v1alice"));
        await alice.PushAsync("v1alice/secret", "latest", [image]);

        var mallory = new V1Client(Auth.Client(null), "v1mallory", AuthServer.PasswordOf("v1mallory"));
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Put, "/v1/repositories/v1alice/secret/", mallory.Basic(), Json("[]"), ("X-Docker-Token", "true")),
            HttpStatusCode.Forbidden);
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, "/v1/repositories/v1alice/secret/images", mallory.Basic(), null, ("X-Docker-Token", "true")),
            HttpStatusCode.Forbidden);
        // Alice's image answers Mallory exactly as an id that exists nowhere.
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/json", mallory.Basic()), HttpStatusCode.NotFound);
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/layer", mallory.Basic()), HttpStatusCode.NotFound);
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, $"/v1/images/{new string('e', 64)}/layer", mallory.Basic()), HttpStatusCode.NotFound);
        var anonymous = new V1Client(Auth.Client(null));
        await ExpectAsync(await anonymous.SendAsync(HttpMethod.Get, "/v1/repositories/v1alice/secret/tags", null), HttpStatusCode.Unauthorized);
        await ExpectAsync(await anonymous.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/ancestry", null), HttpStatusCode.NotFound);
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, "/v1/repositories/v1alice/secret/tags", mallory.Basic(), null), HttpStatusCode.Forbidden);
        await ExpectAsync(await Auth.Client("v1mallory", "wrong-password").GetAsync("/v1/repositories/v1alice/secret/tags"), HttpStatusCode.Unauthorized);

        // Mallory's own token names his repository: it reaches nothing of Alice's.
        using var own = await mallory.SendAsync(HttpMethod.Put, "/v1/repositories/v1mallory/own/", mallory.Basic(), Json("[]"), ("X-Docker-Token", "true"));
        await ExpectAsync(own, HttpStatusCode.OK);
        var malloryToken = Header(own, "X-Docker-Token");
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/json", TokenAuth(malloryToken)), HttpStatusCode.NotFound);
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Get, "/v1/repositories/v1alice/secret/tags", TokenAuth(malloryToken)), HttpStatusCode.Forbidden);
        await ExpectAsync(await mallory.SendAsync(HttpMethod.Put, "/v1/repositories/v1alice/secret/tags/evil", TokenAuth(malloryToken), Json($"\"{image.Id}\"")),
            HttpStatusCode.Forbidden);

        // A read token pulls but does not push; a forged token is no token.
        using var read = await alice.SendAsync(HttpMethod.Get, "/v1/repositories/v1alice/secret/images", alice.Basic(), null, ("X-Docker-Token", "true"));
        var readToken = Header(read, "X-Docker-Token");
        await ExpectAsync(await alice.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/json", TokenAuth(readToken)), HttpStatusCode.OK);
        var other = NewImage("other");
        await ExpectAsync(await alice.SendAsync(HttpMethod.Put, $"/v1/images/{other.Id}/json", TokenAuth(readToken), new ByteArrayContent(other.Json)),
            HttpStatusCode.Forbidden);
        var forged = readToken.Replace("access=read", "access=write", StringComparison.Ordinal);
        await ExpectAsync(await alice.SendAsync(HttpMethod.Put, $"/v1/images/{other.Id}/json", TokenAuth(forged), new ByteArrayContent(other.Json)),
            HttpStatusCode.Unauthorized);
        var foreign = readToken.Replace("v1alice/secret", "v1alice/other", StringComparison.Ordinal);
        await ExpectAsync(await alice.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/json", TokenAuth(foreign)), HttpStatusCode.Unauthorized);
        await ExpectAsync(await alice.SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/json", TokenAuth("garbage")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Docker_1x_login_signs_up_then_checks_credentials()
    {
        var http = Auth.Client(null);
        await ExpectAsync(await http.PostAsync("/v1/users/", Json("{\"username\":\"v1newbie\",\"password\":\"newbie-password\",\"email\":\"n@example.com\"}")),
            HttpStatusCode.Created);
        var again = await ExpectAsync(await http.PostAsync("/v1/users/", Json("{\"username\":\"v1newbie\",\"password\":\"newbie-password\",\"email\":\"n@example.com\"}")),
            HttpStatusCode.BadRequest);
        Assert.Equal("Username or email already exists", again.GetString());
        Assert.Equal("OK", (await ExpectAsync(await Auth.Client("v1newbie", "newbie-password").GetAsync("/v1/users/"), HttpStatusCode.OK)).GetString());
        await ExpectAsync(await Auth.Client("v1newbie", "wrong-password").GetAsync("/v1/users/"), HttpStatusCode.Unauthorized);
        await ExpectAsync(await http.GetAsync("/v1/users/"), HttpStatusCode.Unauthorized);
        await ExpectAsync(await http.PostAsync("/v1/users/", Json("{\"username\":\"x\"}")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_lists_only_what_the_caller_may_read()
    {
        await Auth.AddUserAsync("v1searcher");
        await new V1Client(Auth.Client(null), "v1searcher", AuthServer.PasswordOf("v1searcher"))
            .PushAsync("v1searcher/findme", "latest", [NewImage("findme")]);
        var own = await ExpectAsync(await Auth.Client("v1searcher").GetAsync("/v1/search?q=findme"), HttpStatusCode.OK);
        Assert.Equal(1, own.GetProperty("num_results").GetInt32());
        var anonymous = await ExpectAsync(await Auth.Client(null).GetAsync("/v1/search?q=findme"), HttpStatusCode.OK);
        Assert.Equal(0, anonymous.GetProperty("num_results").GetInt32());
    }
}
