using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Http.Tests.V2;
using Microsoft.IdentityModel.Tokens;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary><c>GET /uam/auth</c>: the Docker token endpoint, the JWT it signs, and the registry accepting it for what it grants.</summary>
public sealed partial class TokenEndpointTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    private AuthServer Auth => world.Auth;

    internal static async Task<JsonElement> RequestTokenAsync(HttpClient client, params string[] scopes)
    {
        var query = "service=token-service" + string.Concat(scopes.Select(s => "&scope=" + Uri.EscapeDataString(s)));
        return await ExpectAsync(await client.GetAsync("/uam/auth?" + query), HttpStatusCode.OK);
    }

    internal static JsonElement DecodePart(string token, int part) =>
        JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[part])).RootElement.Clone();

    /// <summary>The granted actions per resource name, from the token's <c>access</c> claim.</summary>
    internal static Dictionary<string, string> AccessOf(string token) =>
        DecodePart(token, 1).GetProperty("access").EnumerateArray().ToDictionary(
            a => a.GetProperty("type").GetString() + ":" + a.GetProperty("name").GetString(),
            a => string.Join(',', a.GetProperty("actions").EnumerateArray().Select(x => x.GetString())));

    [Fact]
    public async Task The_response_carries_token_access_token_expiry_and_issue_time()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var body = await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/private:pull,push");
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(token, body.GetProperty("access_token").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() >= 60);
        var issuedAt = DateTimeOffset.Parse(body.GetProperty("issued_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(issuedAt, before, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal("pull,push", AccessOf(token)["repository:owner1/private"]);
    }

    [Fact]
    public async Task The_jwt_has_a_libtrust_kid_and_the_registry_claims()
    {
        var body = await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/private:pull");
        var token = body.GetProperty("token").GetString()!;
        var header = DecodePart(token, 0);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        var kid = header.GetProperty("kid").GetString()!;
        Assert.Matches(LibtrustForm(), kid);
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Auth.CertificatePath));
        Assert.Equal(LibtrustKeyIdTests.Independent(certificate.PublicKey.ExportSubjectPublicKeyInfo()), kid);

        var claims = DecodePart(token, 1);
        Assert.Equal(Auth.Options.Issuer, claims.GetProperty("iss").GetString());
        var audience = claims.GetProperty("aud");
        Assert.Equal("token-service", audience.ValueKind == JsonValueKind.Array ? audience[0].GetString() : audience.GetString());
        Assert.Equal("owner1", claims.GetProperty("sub").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        var iat = claims.GetProperty("iat").GetInt64();
        Assert.Equal(iat, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(iat + body.GetProperty("expires_in").GetInt32(), claims.GetProperty("exp").GetInt64());
        var access = Assert.Single(claims.GetProperty("access").EnumerateArray());
        Assert.Equal("repository", access.GetProperty("type").GetString());
        Assert.Equal("owner1/private", access.GetProperty("name").GetString());
        Assert.Equal(["pull"], access.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Grants_are_the_intersection_of_requested_and_allowed()
    {
        var body = await RequestTokenAsync(Auth.Client("mread"), "repository:orgr/private:pull,push,delete", "repository:orgn/private:pull",
            "repository:orgw/public:push,pull");
        var access = AccessOf(body.GetProperty("token").GetString()!);
        Assert.Equal("pull", access["repository:orgr/private"]);
        Assert.Equal("", access["repository:orgn/private"]);
        Assert.Equal("pull", access["repository:orgw/public"]);
        var owner = AccessOf((await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/public:*")).GetProperty("token").GetString()!);
        Assert.Equal("pull,push,delete", owner["repository:owner1/public"]);
    }

    [Fact]
    public async Task A_resource_named_twice_is_one_grant_and_a_request_names_at_most_the_cap()
    {
        var merged = await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/private:pull", "repository:owner1/private:pull",
            "repository:owner1/private:push repository:owner1/public:pull");
        var claims = DecodePart(merged.GetProperty("token").GetString()!, 1).GetProperty("access");
        Assert.Equal(2, claims.GetArrayLength());
        Assert.Equal("pull,push", AccessOf(merged.GetProperty("token").GetString()!)["repository:owner1/private"]);

        // Each resource is a policy lookup and an entry in the signed token: before, one anonymous request line named ~500.
        var many = Enumerable.Range(0, Dockyard.Http.Token.TokenHandler.MaxScopes + 1).Select(i => $"repository:owner1/r{i}:pull").ToArray();
        await RequestTokenAsync(Auth.Client(null), many[..Dockyard.Http.Token.TokenHandler.MaxScopes]);
        var query = "service=token-service&scope=" + Uri.EscapeDataString(string.Join(' ', many));
        await ExpectErrorAsync(await Auth.Client(null).GetAsync("/uam/auth?" + query), HttpStatusCode.BadRequest, "INVALID_FIELD", "scope");
    }

    [Fact]
    public async Task Anonymous_tokens_pull_public_repositories_only()
    {
        var body = await RequestTokenAsync(Auth.Client(null), "repository:orgw/public:pull,push", "repository:orgw/private:pull");
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal("", DecodePart(token, 1).GetProperty("sub").GetString());
        var access = AccessOf(token);
        Assert.Equal("pull", access["repository:orgw/public"]);
        Assert.Equal("", access["repository:orgw/private"]);
        var bearer = Auth.BearerClient(token);
        await ExpectAsync(await bearer.GetAsync("/v2/orgw/public/tags/list"), HttpStatusCode.OK);
        using var refused = await bearer.GetAsync("/v2/orgw/private/tags/list");
        Assert.Contains("error=\"insufficient_scope\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ExpectErrorAsync(refused, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Bad_credentials_get_no_token()
    {
        using var response = await Auth.Client("owner1", "wrong-password").GetAsync("/uam/auth?service=token-service&scope=repository:owner1/public:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await ExpectAsync(await Auth.Client("nobody42", "whatever-password").GetAsync("/uam/auth?service=token-service"), HttpStatusCode.Unauthorized);
        await ExpectAsync(await Auth.BearerClient("abc").GetAsync("/uam/auth?service=token-service"), HttpStatusCode.Unauthorized);
        await ExpectErrorAsync(await Auth.Client("owner1").GetAsync("/uam/auth?service=another-service"), HttpStatusCode.BadRequest, "INVALID_FIELD", "service");
    }

    [Fact]
    public async Task The_registry_accepts_the_token_for_what_it_grants()
    {
        var pullOnly = (await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/private:pull")).GetProperty("token").GetString()!;
        var bearer = Auth.BearerClient(pullOnly);
        await ExpectAsync(await bearer.GetAsync("/v2/owner1/private/tags/list"), HttpStatusCode.OK);
        await ExpectAsync(await bearer.GetAsync("/v2/"), HttpStatusCode.OK);
        using (var push = await bearer.PostAsync("/v2/owner1/private/blobs/uploads/", null))
        {
            PermissionMatrixTests.AssertChallenge(push, "repository:owner1/private:pull,push");
            Assert.Contains("error=\"insufficient_scope\"", push.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            await ExpectErrorAsync(push, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
        // Granted for one repository, not for another the user could read.
        await ExpectAsync(await bearer.GetAsync("/v2/owner1/public/tags/list"), HttpStatusCode.Unauthorized);

        var pushToken = (await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/private:pull,push")).GetProperty("token").GetString()!;
        var pusher = Auth.BearerClient(pushToken);
        await RegistryPush.PushImageAsync(pusher, "owner1/private", "by-token");
        using var delete = await pusher.DeleteAsync("/v2/owner1/private/manifests/by-token");
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Contains("scope=\"repository:owner1/private:delete\"", delete.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalog_needs_the_registry_catalog_scope()
    {
        var body = await RequestTokenAsync(Auth.Client("owner1"), "registry:catalog:*");
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal("*", AccessOf(token)["registry:catalog"]);
        var catalog = await ExpectAsync(await Auth.BearerClient(token).GetAsync("/v2/_catalog?n=1000"), HttpStatusCode.OK);
        var names = catalog.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("owner1/private", names);
        Assert.Contains("orgw/public", names);
        Assert.DoesNotContain("orgr/private", names);

        var other = (await RequestTokenAsync(Auth.Client("owner1"), "repository:owner1/public:pull")).GetProperty("token").GetString()!;
        using var refused = await Auth.BearerClient(other).GetAsync("/v2/_catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("scope=\"registry:catalog:*\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("error=\"insufficient_scope\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var anonymous = (await RequestTokenAsync(Auth.Client(null), "registry:catalog:*")).GetProperty("token").GetString()!;
        Assert.Empty(AccessOf(anonymous));
    }

    [GeneratedRegex(@"^[A-Z2-7]{4}(:[A-Z2-7]{4}){11}$")]
    private static partial Regex LibtrustForm();
}
