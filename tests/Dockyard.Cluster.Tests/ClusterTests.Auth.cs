using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Cluster.Tests;

/// <summary>Accounts and tokens across nodes: they live in the shared store and are signed with the shared key.</summary>
public abstract partial class ClusterTests<TFixture>
{
    [Fact]
    public async Task A_token_issued_by_one_node_is_accepted_by_the_others()
    {
        var cluster = fixture.Require();
        var repository = Repository("tokens/app");
        using var issuer = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 0);
        using var issued = await issuer.GetAsync($"/uam/auth?service=token-service&scope=repository:{repository}:pull,push");
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        for (var node = 0; node < cluster.Nodes.Count; node++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var accepted = await cluster.NodeClient(node).SendAsync(request);
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"node {node + 1}: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
        }
        // What makes the others accept it is the shared key, not any token: a tampered one is refused everywhere.
        var tampered = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        for (var node = 0; node < cluster.Nodes.Count; node++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tampered);
            using var refused = await cluster.NodeClient(node).SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task Docker_login_through_nginx_then_push_with_tokens_checked_by_every_node()
    {
        var cluster = fixture.Require();
        if (DockerCli.Find() is not { } engine || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var docker = engine.WithConfig(workspace.Folder("docker-config"));
        var source = $"{cluster.Host}/{Repository("login/source")}:v1";
        var copy = $"{cluster.Host}/{Repository("login/copy")}:v1";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{source}", DestinationCredentials)).EnsureSuccess();
        try
        {
            var before = cluster.Frontend.AccessLog().Count;
            Assert.Contains("Login Succeeded", (await docker.LoginAsync(cluster.Host, fixture.User, fixture.Password)).EnsureSuccess().Output);
            (await docker.RunAsync("pull", source)).EnsureSuccess();
            (await docker.RunAsync("tag", source, copy)).EnsureSuccess();
            (await docker.RunAsync("push", copy)).EnsureSuccess();

            // The bearer-authorized requests of the login, pull and push went to every node, and none was refused.
            var bearerRequests = cluster.Frontend.AccessLog().Skip(before).Where(l => l.Contains(" /v2/" + fixture.User, StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(bearerRequests, l => l.Split(' ')[2] is "401" or "403");
            var upstreams = bearerRequests.Select(l => l.Split(' ')[3]).ToHashSet();
            Assert.True(upstreams.Count == cluster.Nodes.Count, string.Join('\n', bearerRequests));
            using var tags = await cluster.AuthorizedClient(fixture.User, fixture.Password, node: 2).GetAsync($"/v2/{Repository("login/copy")}/tags/list");
            Assert.Contains("\"v1\"", await tags.Content.ReadAsStringAsync());
        }
        finally
        {
            await docker.RemoveImagesAsync(source, copy);
        }
    }

    [Fact]
    public async Task A_user_signed_up_on_one_node_logs_in_on_another()
    {
        var cluster = fixture.Require();
        var name = "signup" + fixture.Id;
        const string Password = "signed-up-on-node-1";
        await cluster.SignUpAsync(name, Password, node: 0);

        using var second = cluster.AuthorizedClient(name, Password, node: 1);
        using var token = await second.GetAsync("/uam/auth?service=token-service");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        using var self = await second.GetAsync($"/uam/user/{name}");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Contains($"{name}@cluster.test", await self.Content.ReadAsStringAsync());
        using var wrong = cluster.AuthorizedClient(name, "not-the-password", node: 2);
        using var refused = await wrong.GetAsync("/uam/auth?service=token-service");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The name is taken on every node: a second sign-up elsewhere is refused.
        using var again = await cluster.NodeClient(2).PostAsJsonAsync("/uam/user/signup", new { name, email = "x@cluster.test", password = "another-password" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
