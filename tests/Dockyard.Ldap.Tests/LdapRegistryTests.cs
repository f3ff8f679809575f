using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Core.Accounts;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Ldap.Tests;

/// <summary>A real registry in enforced mode with <c>[auth_server] authn = authn_ldap</c> against the private slapd.</summary>
public sealed class LdapRegistryTests : IDisposable
{
    private readonly string keys = Directory.CreateTempSubdirectory("dockyard-ldap-keys-").FullName;

    public void Dispose() => Directory.Delete(keys, recursive: true);

    [Fact]
    public async Task First_ldap_login_creates_the_user_and_a_wrong_password_is_401()
    {
        if (TestDirectory.Address is not { } address)
        {
            return;
        }
        await using var server = await StartAsync(address);
        Assert.Equal(HttpStatusCode.OK, await GetV2Async(server, "alice", TestDirectory.AlicePassword));
        var alice = await server.Services.GetRequiredService<IAccountStore>().Users.GetAsync("alice", default);
        Assert.NotNull(alice);
        Assert.Equal(TestDirectory.AliceMail, alice.Email);
        Assert.Null(alice.PasswordHash);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetV2Async(server, "bob", "alice-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetV2Async(server, "a)(uid=*", "x"));
        Assert.Null(await server.Services.GetRequiredService<IAccountStore>().Users.GetAsync("bob", default));
    }

    [Fact]
    public async Task Nobody_signs_up_a_directory_users_name_before_their_first_login()
    {
        if (TestDirectory.Address is not { } address)
        {
            return;
        }
        await using var server = await StartAsync(address);
        // Before, anyone could sign "bob" up with a password of their own (and, on the web UI, a session): bob's first
        // directory login then adopted that account, the squatter's session and e-mail with it.
        using (var signUp = await server.Client.PostAsync("/uam/user/signup", Json("""{"name":"bob","email":"mallory@evil.test","password":"mallory-secret"}""")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, signUp.StatusCode);
            Assert.Contains("DENIED", await signUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // docker 1.x signs up first and logs in when told the name is taken: the same answer keeps its LDAP login working.
        using (var v1SignUp = await server.Client.PostAsync("/v1/users/", Json("""{"username":"bob","email":"mallory@evil.test","password":"mallory-secret"}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, v1SignUp.StatusCode);
            Assert.Equal("\"Username or email already exists\"", await v1SignUp.Content.ReadAsStringAsync());
        }
        Assert.Null(await server.Services.GetRequiredService<IAccountStore>().Users.GetAsync("bob", default));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_directory_that_is_down_is_503_with_retry_after_not_500()
    {
        await using var server = await StartAsync(TestDirectory.ClosedAddress());
        using var request = V2Request("alice", TestDirectory.AlicePassword);
        using var response = await server.Client.SendAsync(request);
        Assert.Null(await UnavailableAnswer.CheckAsync(response));
    }

    private Task<RegistryServer> StartAsync(string ldapAddress) => RegistryServer.StartAsync(new Dictionary<string, string?>
    {
        ["dockyard:standalone"] = "false",
        ["auth_server:privatekey"] = Path.Combine(keys, "token.key"),
        ["token:rootcertbundle"] = Path.Combine(keys, "token.crt"),
        ["auth_server:authn"] = "authn_ldap",
        ["authn_ldap:addr"] = ldapAddress,
        ["authn_ldap:domain"] = TestDirectory.BaseDn,
    });

    private static async Task<HttpStatusCode> GetV2Async(RegistryServer server, string user, string password)
    {
        using var request = V2Request(user, password);
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static HttpRequestMessage V2Request(string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return request;
    }
}
