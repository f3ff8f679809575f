using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Interop.Tests.Auth;

/// <summary>
/// The docker engine against a registry that enforces token auth: <c>docker login</c> (through the Bearer challenge and
/// the /uam/auth token endpoint), push, pull and run as the owner, and what another user and anonymous callers may do.
/// Every test keeps its credentials in its own DOCKER_CONFIG folder and removes the images it made from the engine.
/// </summary>
public sealed class DockerLoginTests
{
    private const string AlicePassword = "alice-secret-1";
    private const string BobPassword = "bob-secret-12";

    [Fact]
    public async Task Docker_login_then_push_pull_and_run_in_the_users_own_namespace()
    {
        if (DockerCli.Find() is not { } engine || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        var docker = engine.WithConfig(workspace.Folder("docker-config"));
        var reference = $"{registry.Host}/alice/busybox:latest";
        var copy = $"{registry.Host}/alice/copied:v1";

        // The challenge docker follows: 401 with a Bearer realm on this very host:port.
        using var anonymous = await registry.Server.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var challenge = anonymous.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"realm=\"http://{registry.Host}/uam/auth\"", challenge.Parameter);
        Assert.Contains("service=\"token-service\"", challenge.Parameter);

        var login = (await docker.LoginAsync(registry.Host, "alice", AlicePassword)).EnsureSuccess();
        Assert.Contains("Login Succeeded", login.Output);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(workspace.Folder("docker-config"), "config.json")))!;
        Assert.NotNull(config["auths"]?[registry.Host]);

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{reference}", "--dest-creds", $"alice:{AlicePassword}")).EnsureSuccess();
        try
        {
            var pull = (await docker.RunAsync("pull", reference)).EnsureSuccess();
            Assert.Contains(image.Root.Digest, pull.Output);
            var run = (await docker.RunAsync("run", "--rm", "--network", "none", reference, "echo", "hello")).EnsureSuccess();
            Assert.Equal("hello", run.Output.Trim());

            // Pushing the pulled layers to another of alice's repositories: docker asks to mount them from alice/busybox.
            (await docker.RunAsync("tag", reference, copy)).EnsureSuccess();
            (await docker.RunAsync("push", copy)).EnsureSuccess();
            using var tags = await registry.SendAsync(HttpMethod.Get, "/v2/alice/copied/tags/list", "alice", AlicePassword);
            Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
            Assert.Equal(["v1"], JsonNode.Parse(await tags.Content.ReadAsStringAsync())!["tags"]!.AsArray().Select(t => (string)t!).ToArray());

            await docker.RemoveImagesAsync(reference, copy);
            (await docker.RunAsync("pull", copy)).EnsureSuccess();
            var again = (await docker.RunAsync("run", "--rm", "--network", "none", copy, "echo", "again")).EnsureSuccess();
            Assert.Equal("again", again.Output.Trim());
        }
        finally
        {
            await docker.RemoveImagesAsync(reference, copy);
        }
    }

    [Fact]
    public async Task Docker_login_with_a_wrong_password_fails_and_stores_nothing()
    {
        if (DockerCli.Find() is not { } engine)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        var docker = engine.WithConfig(workspace.Folder("docker-config"));

        var login = await docker.LoginAsync(registry.Host, "alice", "not-the-password");
        Assert.False(login.Succeeded, $"login with a wrong password succeeded: {login.Output}");
        Assert.Contains("unauthorized", login.Error, StringComparison.OrdinalIgnoreCase);
        var unknown = await docker.LoginAsync(registry.Host, "nobody", AlicePassword);
        Assert.False(unknown.Succeeded, $"login of an unknown user succeeded: {unknown.Output}");

        var configPath = Path.Combine(workspace.Folder("docker-config"), "config.json");
        if (File.Exists(configPath))
        {
            Assert.Null(JsonNode.Parse(await File.ReadAllTextAsync(configPath))?["auths"]?[registry.Host]);
        }
    }

    [Fact]
    public async Task Another_user_pulls_a_private_image_only_after_it_is_made_public_and_then_so_does_anyone()
    {
        if (DockerCli.Find() is not { } engine || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        await registry.AddUserAsync("bob", BobPassword);
        var bob = engine.WithConfig(workspace.Folder("bob-config"));
        var reference = $"{registry.Host}/alice/busybox:latest";
        var bobsTag = $"{registry.Host}/alice/busybox:bob";
        var bobsOwn = $"{registry.Host}/bob/mine:v1";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{reference}", "--dest-creds", $"alice:{AlicePassword}")).EnsureSuccess();
        try
        {
            (await bob.LoginAsync(registry.Host, "bob", BobPassword)).EnsureSuccess();
            var refused = await bob.RunAsync("pull", reference);
            Assert.False(refused.Succeeded, $"bob pulled alice's private image: {refused.Output}");
            Assert.True(refused.Error.Contains("denied", StringComparison.OrdinalIgnoreCase)
                || refused.Error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase), refused.Error);

            await registry.SetPublicAsync("alice/busybox", true, "alice", AlicePassword);
            var pull = (await bob.RunAsync("pull", reference)).EnsureSuccess();
            Assert.Contains(image.Root.Digest, pull.Output);
            var run = (await bob.RunAsync("run", "--rm", "--network", "none", reference, "echo", "hello")).EnsureSuccess();
            Assert.Equal("hello", run.Output.Trim());

            // Public means pullable, not pushable.
            (await bob.RunAsync("tag", reference, bobsTag)).EnsureSuccess();
            var push = await bob.RunAsync("push", bobsTag);
            Assert.False(push.Succeeded, $"bob pushed into alice's repository: {push.Output}");
            Assert.True(push.Error.Contains("denied", StringComparison.OrdinalIgnoreCase)
                || push.Error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase), push.Error);
            // In his own namespace docker mounts the layer from alice's repository, which bob may now read.
            (await bob.RunAsync("tag", reference, bobsOwn)).EnsureSuccess();
            Assert.Contains("Mounted from alice/busybox", (await bob.RunAsync("push", bobsOwn)).EnsureSuccess().Output);

            (await bob.RunAsync("logout", registry.Host)).EnsureSuccess();
            await bob.RemoveImagesAsync(reference, bobsTag, bobsOwn);
            var anonymous = (await bob.RunAsync("pull", reference)).EnsureSuccess();
            Assert.Contains(image.Root.Digest, anonymous.Output);
        }
        finally
        {
            await bob.RemoveImagesAsync(reference, bobsTag, bobsOwn);
        }
    }

    [Fact]
    public async Task Layers_from_a_repository_made_private_again_are_uploaded_not_mounted()
    {
        if (DockerCli.Find() is not { } engine || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        await registry.AddUserAsync("bob", BobPassword);
        var bob = engine.WithConfig(workspace.Folder("bob-config"));
        var reference = $"{registry.Host}/alice/busybox:latest";
        var bobsOwn = $"{registry.Host}/bob/mine:v1";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{reference}", "--dest-creds", $"alice:{AlicePassword}")).EnsureSuccess();
        try
        {
            await registry.SetPublicAsync("alice/busybox", true, "alice", AlicePassword);
            (await bob.LoginAsync(registry.Host, "bob", BobPassword)).EnsureSuccess();
            (await bob.RunAsync("pull", reference)).EnsureSuccess();
            await registry.SetPublicAsync("alice/busybox", false, "alice", AlicePassword);

            // docker still asks to mount from alice/busybox; the registry answers with a plain upload instead.
            (await bob.RunAsync("tag", reference, bobsOwn)).EnsureSuccess();
            var push = (await bob.RunAsync("push", bobsOwn)).EnsureSuccess();
            Assert.DoesNotContain("Mounted from", push.Output);
            Assert.Contains("Pushed", push.Output);

            await bob.RemoveImagesAsync(reference, bobsOwn);
            (await bob.RunAsync("pull", bobsOwn)).EnsureSuccess();
            var run = (await bob.RunAsync("run", "--rm", "--network", "none", bobsOwn, "echo", "uploaded")).EnsureSuccess();
            Assert.Equal("uploaded", run.Output.Trim());
            Assert.False((await bob.RunAsync("pull", reference)).Succeeded, "bob pulled alice's image after it was made private again");
        }
        finally
        {
            await bob.RemoveImagesAsync(reference, bobsOwn);
        }
    }
}
