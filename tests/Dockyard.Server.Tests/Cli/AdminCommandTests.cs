using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// The admin CLI (<c>dockyard user|org|team|repo|tag</c>) as users run it: the built executable on a data folder
/// (local stores), then on a running enforced server with <c>--registry</c> as an ordinary user.
/// </summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-admin-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task On_the_local_store_it_manages_users_organizations_teams_permissions_and_repositories()
    {
        await Ok("user", "add", "admin", "--admin", "--password", "admin-password-1");
        await Ok("user", "add", "alice", "--password", "alice-password-1", "--email", "alice@example.test");
        Assert.Equal(["admin", "alice"], Names(await Json("user", "list"), "name"));
        Assert.Contains("alice@example.test", await Ok("user", "list"));

        await Ok("org", "add", "acme", "--admin", "admin");
        await Ok("org", "add-member", "acme", "alice");
        Assert.Equal(["admin", "alice"], Names(await Json("org", "members", "acme"), "username"));
        await Ok("team", "add", "acme", "devs", "--comment", "the developers");
        await Ok("team", "add-member", "acme", "devs", "alice");
        await Ok("repo", "add", "acme/app");
        await Ok("team", "grant", "acme", "devs", "app", "--write");

        var team = await Json("team", "show", "acme", "devs");
        Assert.Equal(["alice"], Names(team.GetProperty("members"), "username"));
        Assert.Equal(2, team.GetProperty("repositories")[0].GetProperty("permit").GetInt32());
        var repository = await Json("repo", "show", "acme/app");
        Assert.False(repository.GetProperty("ispublic").GetBoolean());
        Assert.Equal("devs", repository.GetProperty("teams")[0].GetProperty("teamname").GetString());

        await Ok("repo", "set-visibility", "acme/app", "public");
        Assert.True((await Json("repo", "show", "acme/app")).GetProperty("ispublic").GetBoolean());
        await Ok("team", "revoke", "acme", "devs", "app");
        Assert.Empty(Names((await Json("team", "show", "acme", "devs")).GetProperty("repositories"), "reponame"));

        // Destructive deletions want --yes; refusals exit 1 with the API's message on standard error.
        var (exit, _, error) = await Run("repo", "rm", "acme/app");
        Assert.Equal(1, exit);
        Assert.Contains("--yes", error);
        (exit, _, error) = await Run("org", "rm", "acme", "--yes");
        Assert.Equal(1, exit);
        Assert.True(error.Contains("repositories"), error);
        await Ok("repo", "rm", "acme/app", "--yes");
        (exit, _, error) = await Run("repo", "show", "acme/app");
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error);
        await Ok("team", "rm", "acme", "devs");
        await Ok("org", "rm-member", "acme", "alice");
        await Ok("org", "rm", "acme", "--yes");
        Assert.Equal(0, (await Json("org", "list")).GetArrayLength());
    }

    [Fact]
    public async Task With_registry_it_acts_through_the_API_as_the_signed_in_user_and_exit_codes_tell_what_happened()
    {
        await Ok("user", "add", "alice", "--password", "alice-password-1");
        await Ok("user", "add", "bob", "--password", "bob-password-1");
        await Ok("org", "add", "secret", "--admin", "bob");
        await Ok("repo", "add", "secret/vault");
        await using var server = await DockyardProcess.StartAsync(folder, new Dictionary<string, string> { ["DOCKYARD_DOCKYARD__STANDALONE"] = "false" });
        var registry = $"http://127.0.0.1:{server.Port}";
        var alice = new Dictionary<string, string> { ["DOCKYARD_USERNAME"] = "alice", ["DOCKYARD_PASSWORD"] = "alice-password-1" };

        await Ok(alice, "org", "add", "acme", "--registry", registry);
        Assert.Equal(["alice"], Names(await Json(alice, "org", "members", "acme", "--registry", registry), "username"));
        await Ok(alice, "repo", "add", "acme/web", "--public", "--registry", registry);
        await PushAsync(server, "acme/web", "alice", "alice-password-1", "v1", "v2");
        Assert.Equal(["v1", "v2"], (await Json(alice, "tag", "list", "acme/web", "--registry", registry)).EnumerateArray().Select(t => t.GetString()));
        await Ok(alice, "tag", "rm", "acme/web", "v1", "--registry", registry);
        Assert.Equal("v2\n", await Ok(alice, "tag", "list", "acme/web", "--registry", registry));

        // Another user's private repository looks exactly like a missing one.
        var (hidden, _, hiddenError) = await Run(alice, "repo", "show", "secret/vault", "--registry", registry);
        var (missing, _, missingError) = await Run(alice, "repo", "show", "secret/nothing", "--registry", registry);
        Assert.Equal((1, 1), (hidden, missing));
        Assert.Equal(missingError.Replace("nothing", "vault"), hiddenError);
        Assert.Equal(1, (await Run(alice, "repo", "rm", "secret/vault", "--yes", "--registry", registry)).ExitCode);

        // A password change through the API proves the old password: the one signed in with.
        var (changed, _, changeError) = await Run(alice, ["user", "passwd", "alice", "--registry", registry], "alice-password-2\n");
        Assert.True(changed == 0, changeError);
        Assert.Equal(1, (await Run(alice, "user", "show", "alice", "--registry", registry)).ExitCode);
        alice["DOCKYARD_PASSWORD"] = "alice-password-2";
        Assert.Equal("alice", (await Json(alice, "user", "show", "alice", "--registry", registry)).GetProperty("name").GetString());

        Assert.Equal(3, (await Run(alice, "user", "list", "--registry", $"http://127.0.0.1:{DockyardProcess.FreePort()}")).ExitCode);
        Assert.Equal(1, (await Run(alice, "user", "list", "--registry", "ftp://example.test")).ExitCode);
    }

    [Fact]
    public async Task User_rm_wants_yes_refuses_an_owner_and_deletes_locally_and_through_the_API()
    {
        await Ok("user", "add", "admin", "--admin", "--password", "admin-password-1");
        await Ok("user", "add", "alice", "--password", "alice-password-1");
        await Ok("user", "add", "bob", "--password", "bob-password-1");
        await Ok("user", "add", "carol", "--password", "carol-password-1");
        await Ok("repo", "add", "carol/app");
        await Ok("org", "add", "acme", "--admin", "admin");
        await Ok("org", "add-member", "acme", "alice");

        var (exit, _, error) = await Run("user", "rm", "alice");
        Assert.Equal(1, exit);
        Assert.Contains("--yes", error);
        (exit, _, error) = await Run("user", "rm", "carol", "--yes");
        Assert.Equal(1, exit);
        Assert.True(error.Contains("owns repositories", StringComparison.Ordinal), error);
        await Ok("user", "rm", "alice", "--yes");
        Assert.Equal(["admin", "bob", "carol"], Names(await Json("user", "list"), "name"));
        Assert.Equal(["admin"], Names(await Json("org", "members", "acme"), "username"));

        await using var server = await DockyardProcess.StartAsync(folder, new Dictionary<string, string> { ["DOCKYARD_DOCKYARD__STANDALONE"] = "false" });
        var registry = $"http://127.0.0.1:{server.Port}";
        var admin = new Dictionary<string, string> { ["DOCKYARD_USERNAME"] = "admin", ["DOCKYARD_PASSWORD"] = "admin-password-1" };
        var bob = new Dictionary<string, string> { ["DOCKYARD_USERNAME"] = "bob", ["DOCKYARD_PASSWORD"] = "bob-password-1" };
        Assert.Equal(1, (await Run(bob, "user", "rm", "carol", "--yes", "--registry", registry)).ExitCode);
        await Ok(admin, "user", "rm", "bob", "--yes", "--registry", registry);
        Assert.Equal(["admin", "carol"], Names(await Json(admin, "user", "list", "--registry", registry), "name"));
        Assert.NotEqual(0, (await Run(bob, "user", "show", "bob", "--registry", registry)).ExitCode);
    }

    [Fact]
    public async Task The_password_never_goes_to_a_token_realm_on_another_host_over_plain_http()
    {
        // A "registry" whose 401 names a realm elsewhere (what anyone on the path of plain http could send).
        using var realm = new TcpListener(IPAddress.Parse("127.0.0.2"), 0);
        realm.Start();
        var realmPort = ((IPEndPoint)realm.LocalEndpoint).Port;
        using var registry = new TcpListener(IPAddress.Loopback, 0);
        registry.Start();
        var answering = AnswerUnauthorizedAsync(registry, $"Bearer realm=\"http://127.0.0.2:{realmPort}/token\",service=\"evil\"");
        var secret = new Dictionary<string, string> { ["DOCKYARD_USERNAME"] = "alice", ["DOCKYARD_PASSWORD"] = "alice-password-1" };

        var (exit, _, error) = await Run(secret, "tag", "list", "acme/web", "--registry", $"http://127.0.0.1:{((IPEndPoint)registry.LocalEndpoint).Port}");

        Assert.Equal(1, exit);
        Assert.Contains("not sent", error);
        Assert.False(realm.Pending(), "the CLI connected to the foreign realm");
        registry.Stop();
        await answering;
    }

    [Theory]
    [InlineData("http://[::1")]
    [InlineData("file:///etc/passwd")]
    public async Task A_malformed_or_non_http_token_realm_is_an_error_not_a_crash(string realmUrl)
    {
        using var registry = new TcpListener(IPAddress.Loopback, 0);
        registry.Start();
        var answering = AnswerUnauthorizedAsync(registry, $"Bearer realm=\"{realmUrl}\",service=\"evil\"");
        var secret = new Dictionary<string, string> { ["DOCKYARD_USERNAME"] = "alice", ["DOCKYARD_PASSWORD"] = "alice-password-1" };

        var (exit, _, error) = await Run(secret, "tag", "list", "acme/web", "--registry", $"http://127.0.0.1:{((IPEndPoint)registry.LocalEndpoint).Port}");

        Assert.Equal(1, exit);
        Assert.Contains("not an http(s) URL", error);
        registry.Stop();
        await answering;
    }

    private static async Task AnswerUnauthorizedAsync(TcpListener listener, string challenge)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptTcpClientAsync();
                var stream = connection.GetStream();
                var buffer = new byte[8192];
                var read = 0;
                while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n") && read < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read));
                    if (n == 0)
                    {
                        break;
                    }
                    read += n;
                }
                var body = """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: {challenge}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener stopped.
        }
    }

    private static async Task PushAsync(DockyardProcess server, string repository, string user, string password, params string[] tags)
    {
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"/uam/auth?service=token-service&scope=repository:{repository}:pull,push");
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var tokenResponse = await client.SendAsync(tokenRequest);
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var tag in tags)
        {
            await TestImage.PushAsync(client, repository, tag);
        }
    }

    private static List<string?> Names(JsonElement list, string field) => [.. list.EnumerateArray().Select(e => e.GetProperty(field).GetString())];

    private Task<string> Ok(params string[] arguments) => Ok(new Dictionary<string, string>(), arguments);

    private async Task<string> Ok(Dictionary<string, string> environment, params string[] arguments)
    {
        var (exit, output, error) = await Run(environment, arguments, null);
        Assert.True(exit == 0, $"dockyard {string.Join(' ', arguments)} exited with {exit}: {error}");
        return output;
    }

    private Task<JsonElement> Json(params string[] arguments) => Json(new Dictionary<string, string>(), arguments);

    private async Task<JsonElement> Json(Dictionary<string, string> environment, params string[] arguments) =>
        JsonDocument.Parse(await Ok(environment, [.. arguments, "--json"])).RootElement;

    private Task<(int ExitCode, string Output, string Error)> Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments, null);

    private Task<(int ExitCode, string Output, string Error)> Run(Dictionary<string, string> environment, params string[] arguments) =>
        Run(environment, arguments, null);

    private Task<(int ExitCode, string Output, string Error)> Run(Dictionary<string, string> environment, string[] arguments, string? input)
    {
        var full = new Dictionary<string, string>(environment) { ["DOCKYARD_DOCKYARD__PATH"] = folder };
        return RequiredTool.RunAsync("dotnet", [DockyardProcess.DllPath, .. arguments], full, TimeSpan.FromSeconds(60), input);
    }
}
