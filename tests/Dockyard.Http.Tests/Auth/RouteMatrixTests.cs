using System.Net;
using System.Text;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// Every method of every route in the route table, tried by every principal of <see cref="PermissionWorld"/> on the
/// public and the private repository of its namespace: the access each door needs is written here, independently
/// of the route table's own declarations, and a route the table gains without a row here fails the coverage test.
/// A request the caller may make must get past authorization (any answer but 401/403); one it may not must be refused
/// (401 anonymous, 403 signed in). Destructive requests name things that do not exist, so rows cannot disturb each other.
/// </summary>
public sealed class RouteMatrixTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    private const string Missing = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    private const string Upload = "0123456789abcdef0123456789abcdef";

    /// <summary>What a door needs: an action on the path's repository, or one of the whole-registry kinds.</summary>
    internal enum Need { Pull, Push, Delete, Anyone, Account, SignedIn, Filtered, V1Image }

    /// <summary>Each (route, method): what it needs and the request (its path for a repository, and a body).</summary>
    internal static readonly Dictionary<(string Route, string Method), (Need Need, Func<string, string> Path, string? Body)> Doors = new()
    {
        [("v2.base", "GET")] = (Need.SignedIn, _ => "/v2/", null),
        [("v2.catalog", "GET")] = (Need.Filtered, _ => "/v2/_catalog", null),
        [("v2.tags", "GET")] = (Need.Pull, r => $"/v2/{r}/tags/list", null),
        [("v2.manifest", "GET")] = (Need.Pull, r => $"/v2/{r}/manifests/v1", null),
        [("v2.manifest", "PUT")] = (Need.Push, r => $"/v2/{r}/manifests/matrix", "{}"),
        [("v2.manifest", "DELETE")] = (Need.Delete, r => $"/v2/{r}/manifests/{Missing}", null),
        [("v2.upload.start", "POST")] = (Need.Push, r => $"/v2/{r}/blobs/uploads/?mount={Missing}&from={r}", null),
        [("v2.upload", "GET")] = (Need.Push, r => $"/v2/{r}/blobs/uploads/{Upload}", null),
        [("v2.upload", "PATCH")] = (Need.Push, r => $"/v2/{r}/blobs/uploads/{Upload}", "x"),
        [("v2.upload", "PUT")] = (Need.Push, r => $"/v2/{r}/blobs/uploads/{Upload}?digest={Missing}", null),
        [("v2.upload", "DELETE")] = (Need.Push, r => $"/v2/{r}/blobs/uploads/{Upload}", null),
        [("v2.blob", "GET")] = (Need.Pull, r => $"/v2/{r}/blobs/{Missing}", null),
        [("v2.blob", "DELETE")] = (Need.Delete, r => $"/v2/{r}/blobs/{Missing}", null),
        [("v2.referrers", "GET")] = (Need.Pull, r => $"/v2/{r}/referrers/{Missing}", null),
        [("extensions.signatures", "GET")] = (Need.Pull, r => $"/extensions/v2/{r}/signatures/{Missing}", null),
        [("extensions.signatures", "PUT")] = (Need.Push, r => $"/extensions/v2/{r}/signatures/{Missing}", "{}"),
        [("extensions.volumes.lease", "GET")] = (Need.Push, r => $"/extensions/v2/{r}/volume/lease", null),
        [("extensions.volumes.lease", "POST")] = (Need.Push, r => $"/extensions/v2/{r}/volume/lease", "{}"),
        [("extensions.volumes.lease", "PUT")] = (Need.Push, r => $"/extensions/v2/{r}/volume/lease", "{}"),
        [("extensions.volumes.lease", "DELETE")] = (Need.Push, r => $"/extensions/v2/{r}/volume/lease?holder=matrix&token=1", null),
        [("v1.ping", "GET")] = (Need.Anyone, _ => "/v1/_ping", null),
        [("v1.users", "GET")] = (Need.SignedIn, _ => "/v1/users/", null),
        [("v1.users", "POST")] = (Need.Anyone, _ => "/v1/users/", "{}"),
        [("v1.search", "GET")] = (Need.Filtered, _ => "/v1/search?q=x", null),
        [("v1.image.json", "GET")] = (Need.V1Image, _ => $"/v1/images/{new string('e', 64)}/json", null),
        [("v1.image.json", "PUT")] = (Need.V1Image, _ => $"/v1/images/{new string('e', 64)}/json", "{}"),
        [("v1.image.layer", "GET")] = (Need.V1Image, _ => $"/v1/images/{new string('e', 64)}/layer", null),
        [("v1.image.layer", "PUT")] = (Need.V1Image, _ => $"/v1/images/{new string('e', 64)}/layer", "x"),
        [("v1.image.checksum", "PUT")] = (Need.V1Image, _ => $"/v1/images/{new string('e', 64)}/checksum", null),
        [("v1.image.ancestry", "GET")] = (Need.V1Image, _ => $"/v1/images/{new string('e', 64)}/ancestry", null),
        [("v1.repository.images", "GET")] = (Need.Pull, r => $"/v1/repositories/{r}/images", null),
        [("v1.repository.images", "PUT")] = (Need.Push, r => $"/v1/repositories/{r}/images", "[]"),
        [("v1.repository.tags", "GET")] = (Need.Pull, r => $"/v1/repositories/{r}/tags", null),
        [("v1.repository.tag", "GET")] = (Need.Pull, r => $"/v1/repositories/{r}/tags/missing", null),
        [("v1.repository.tag", "PUT")] = (Need.Push, r => $"/v1/repositories/{r}/tags/matrix", "\"" + new string('e', 64) + "\""),
        [("v1.repository.tag", "DELETE")] = (Need.Delete, r => $"/v1/repositories/{r}/tags/missing", null),
        [("v1.repository", "PUT")] = (Need.Push, r => $"/v1/repositories/{r}/", "[]"),
        [("appc.pubkeys.all", "GET")] = (Need.Anyone, _ => "/pubkeys", null),
        [("appc.discovery", "GET")] = (Need.Anyone, r => $"/appc/{r}?ac-discovery=1", null),
        [("appc.discovery.root", "GET")] = (Need.Anyone, r => $"/{r}?ac-discovery=1", null),
        [("appc.fetch", "GET")] = (Need.Pull, r => $"/appc/{r}/fetch/{r.Split('/')[1]}-9.9-linux-amd64.aci", null),
        [("appc.pubkeys", "GET")] = (Need.Pull, r => $"/appc/{r}/pubkeys", null),
        [("appc.pubkeys", "POST")] = (Need.Push, r => $"/appc/{r}/pubkeys", "not a key"),
        [("appc.push.manifest", "PUT")] = (Need.Push, r => $"/appc/{r}/push/9.9/manifest/x.aci?upload={Upload}", "{}"),
        [("appc.push.asc", "PUT")] = (Need.Push, r => $"/appc/{r}/push/9.9/asc/x.aci?upload={Upload}", "x"),
        [("appc.push.aci", "PUT")] = (Need.Push, r => $"/appc/{r}/push/9.9/aci/x.aci?upload={Upload}", "x"),
        [("appc.push.complete", "POST")] = (Need.Push, r => $"/appc/{r}/push/9.9/complete/x.aci?upload={Upload}", "{}"),
        [("appc.push", "POST")] = (Need.Push, r => $"/appc/{r}/push/bad-name.aci", null),
        [("p2p.keys", "GET")] = (Need.Anyone, _ => "/p2p/v1/keys", null),
        [("p2p.pieces", "GET")] = (Need.Pull, r => $"/p2p/v1/{r}/blobs/{Missing}/pieces", null),
        [("p2p.peers", "GET")] = (Need.Pull, r => $"/p2p/v1/{r}/blobs/{Missing}/peers", null),
        [("p2p.peers", "POST")] = (Need.Pull, r => $"/p2p/v1/{r}/blobs/{Missing}/peers", "{}"),
        [("p2p.token", "POST")] = (Need.Pull, r => $"/p2p/v1/{r}/blobs/{Missing}/token", null),
        [("uam.auth", "GET")] = (Need.Anyone, _ => "/uam/auth", null),
        [("uam.user.signup", "POST")] = (Need.Anyone, _ => "/uam/user/signup", "{}"),
        [("uam.users", "GET")] = (Need.Account, _ => "/uam/user", null),
        [("uam.user.password", "PUT")] = (Need.Account, _ => "/uam/user/nobody9/password", "{}"),
        [("uam.user", "GET")] = (Need.Account, _ => "/uam/user/nobody9", null),
        [("uam.user", "DELETE")] = (Need.Account, _ => "/uam/user/nobody9", null),
        [("uam.organizations", "GET")] = (Need.Account, _ => "/uam/organization", null),
        [("uam.organizations", "POST")] = (Need.Account, _ => "/uam/organization", "{}"),
        [("uam.organization.adduser", "POST")] = (Need.Account, _ => "/uam/organization/adduser", "{}"),
        [("uam.organization.removeuser", "DELETE")] = (Need.Account, _ => "/uam/organization/removeuser/nobody9/nobody9", null),
        [("uam.organization.members", "GET")] = (Need.Account, _ => "/uam/organization/nobody9/members", null),
        [("uam.organization", "GET")] = (Need.Account, _ => "/uam/organization/nobody9", null),
        [("uam.teams.create", "POST")] = (Need.Account, _ => "/uam/team", "{}"),
        [("uam.team.adduser", "POST")] = (Need.Account, _ => "/uam/team/adduser", "{}"),
        [("uam.team.addrepository", "POST")] = (Need.Account, _ => "/uam/team/addrepository", "{}"),
        [("uam.team.removeuser", "DELETE")] = (Need.Account, _ => "/uam/team/removeuser/nobody9/t/nobody9", null),
        [("uam.team.removerepository", "DELETE")] = (Need.Account, _ => "/uam/team/removerepository/nobody9/t/r", null),
        [("uam.team", "GET")] = (Need.Account, _ => "/uam/team/nobody9/t", null),
        [("uam.team", "DELETE")] = (Need.Account, _ => "/uam/team/nobody9/t", null),
        [("uam.teams", "GET")] = (Need.Account, _ => "/uam/team/nobody9", null),
        [("uam.repositories.create", "POST")] = (Need.Account, _ => "/uam/repository", "{}"),
        [("uam.repository", "GET")] = (Need.Account, r => $"/uam/repository/{r}", null),
        [("uam.repository", "PUT")] = (Need.Account, r => $"/uam/repository/{r}", "{}"),
        [("uam.repositories", "GET")] = (Need.Account, r => $"/uam/repository/{r.Split('/')[0]}", null),
        [("uam.repository.delete", "DELETE")] = (Need.Account, _ => "/uam/nobody9/missing", null),
        [("uam.organization.delete", "DELETE")] = (Need.Account, _ => "/uam/nobody9", null),
        [("health.live", "GET")] = (Need.Anyone, _ => "/healthz", null),
        [("health.ready", "GET")] = (Need.Anyone, _ => "/readyz", null),
        [("metrics", "GET")] = (Need.Anyone, _ => "/metrics", null),
    };

    [Fact]
    public void Every_method_of_every_route_has_a_row()
    {
        var table = world.Auth.Server.Services.GetRequiredService<RouteTable>();
        var methods = table.Routes.SelectMany(r => r.Methods.Keys.Where(m => m != HttpMethods.Head).Select(m => (r.Name, m.ToUpperInvariant()))).ToHashSet();
        Assert.Empty(methods.Except(Doors.Keys).Select(d => $"{d.Item1} {d.Item2}"));
        Assert.Empty(Doors.Keys.Except(methods).Select(d => $"{d.Item1} {d.Item2}"));
    }

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var ((route, method), _) in Doors)
        {
            foreach (var (principal, _, _) in PermissionMatrixTests.Table)
            {
                foreach (var visibility in new[] { "public", "private" })
                {
                    data.Add(route, method, principal, visibility);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_matrix(string route, string method, string principal, string visibility)
    {
        var (need, path, body) = Doors[(route, method)];
        var (ns, user) = PermissionWorld.Principals[principal];
        var repository = $"{ns}/{visibility}";
        var request = new HttpRequestMessage(new HttpMethod(method), path(repository));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await world.Auth.Client(user).SendAsync(request);
        var status = response.StatusCode;
        var granted = PermissionMatrixTests.Table.Single(t => t.Principal == principal) is var row && visibility == "public" ? row.Public : row.Private;
        bool? allowed = need switch
        {
            Need.Pull => granted.Contains("pull"),
            Need.Push => granted.Contains("push"),
            Need.Delete => granted.Contains("delete"),
            Need.Anyone or Need.Filtered => true,
            Need.Account or Need.SignedIn => user is not null,
            _ => null,
        };
        var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        var what = $"{method} {request.RequestUri} as {principal}: {(int)status} {await response.Content.ReadAsStringAsync()}";
        switch (allowed)
        {
            case true:
                // UAM handlers refuse with 403 on their own entity checks (not the door's); their door is passed when it is not a 401.
                Assert.True(need is Need.Account ? status != HttpStatusCode.Unauthorized : !refused, what);
                break;
            case false:
                Assert.True(user is null ? status == HttpStatusCode.Unauthorized : status == HttpStatusCode.Forbidden, what);
                break;
            default:
                // V1 image routes: "not yours" looks like "does not exist" (404), never 500 and never a success.
                Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, what);
                break;
        }
    }

    private static readonly string[] Scopes = ["pull", "push", "delete", "pull,push", "pull,push,delete"];

    /// <summary>Every repository door of the V2 API and the signature extension, for a bearer token of each scope.</summary>
    public static TheoryData<string, string, string> ScopeCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var ((route, method), (need, _, _)) in Doors)
        {
            if (need is Need.Pull or Need.Push or Need.Delete && (route.StartsWith("v2.", StringComparison.Ordinal) || route.StartsWith("extensions.", StringComparison.Ordinal)))
            {
                foreach (var scope in Scopes)
                {
                    data.Add(route, method, scope);
                }
            }
        }
        return data;
    }

    /// <summary>
    /// The owner's token for its private repository, issued with one scope: a door passes exactly when the scope holds
    /// the actions it needs (the token never carries more than asked, whatever the account may do). As in Distribution,
    /// a push door needs <c>pull,push</c> (what docker asks for), a pull door <c>pull</c>, a delete door <c>delete</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(ScopeCases))]
    public async Task Bearer_scope_matrix(string route, string method, string scope)
    {
        var (need, path, body) = Doors[(route, method)];
        var token = await ExpectAsync(await world.Auth.Client("owner1").GetAsync(
            $"/uam/auth?service={world.Auth.Options.Service}&scope=repository:owner1/private:{scope}"), HttpStatusCode.OK);
        var request = new HttpRequestMessage(new HttpMethod(method), path("owner1/private"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await world.Auth.BearerClient(token.GetProperty("token").GetString()!).SendAsync(request);
        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        string[] needed = need switch { Need.Push => ["pull", "push"], Need.Delete => ["delete"], _ => ["pull"] };
        Assert.True(needed.All(scope.Split(',').Contains) != refused,
            $"{method} {request.RequestUri} with scope {scope}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("uam.repository", "PUT")]
    [InlineData("uam.organizations", "POST")]
    [InlineData("uam.repository.delete", "DELETE")]
    public async Task A_repository_token_does_not_pass_an_account_door(string route, string method)
    {
        var token = await ExpectAsync(await world.Auth.Client("owner1").GetAsync(
            $"/uam/auth?service={world.Auth.Options.Service}&scope=repository:owner1/private:pull,push,delete"), HttpStatusCode.OK);
        var (_, path, body) = Doors[(route, method)];
        var request = new HttpRequestMessage(new HttpMethod(method), path("owner1/private"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await world.Auth.BearerClient(token.GetProperty("token").GetString()!).SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
