using Dockyard.Core.Accounts;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Launcher.Tests;

/// <summary>
/// Against a registry enforcing token auth: credentials from docker login's config.json and from flags work through
/// the Bearer challenge; missing or insufficient credentials are a "no permission" error (exit 4) with nothing loaded.
/// </summary>
public sealed class CredentialTests
{
    private const int NoPermission = 4;

    [Fact]
    public async Task Private_images_run_with_config_json_or_flag_credentials_and_are_refused_without_permission()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        var keys = workspace.Folder("keys");
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(keys, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(keys, "token.crt"),
        });
        var users = server.Services.GetRequiredService<UserService>();
        await users.AddAsync("alice", "alice-password", null, false, CancellationToken.None);
        await users.AddAsync("bob", "bob-password", null, false, CancellationToken.None);
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/alice/private:v1",
            "--dest-creds", "alice:alice-password")).EnsureSuccess();
        var image = $"{server.HostAndPort}/alice/private:v1";
        launcher.Track(image);

        var anonymous = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", image, "--", "true");
        Assert.True(anonymous.ExitCode == NoPermission, $"exit {anonymous.ExitCode}\n{anonymous.Error}");
        Assert.False(await launcher.ImageExistsAsync(image));

        var asBob = await launcher.RunWithInputAsync("bob-password\n", null,
            "run", "-q", "--network", "none", "--rm", "--username", "bob", "--password-stdin", image, "--", "true");
        Assert.True(asBob.ExitCode == NoPermission, $"exit {asBob.ExitCode}\n{asBob.Error}");
        Assert.False(await launcher.ImageExistsAsync(image));

        var withFlags = await launcher.RunWithInputAsync("alice-password\n", null,
            "run", "-q", "--network", "none", "--rm", "--username", "alice", "--password-stdin", image, "--", "echo", "flags");
        Assert.True(withFlags.ExitCode == 0, withFlags.Error);
        Assert.Equal("flags\n", withFlags.Output);

        launcher.Login(server.HostAndPort, "alice", "alice-password");
        var withConfig = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", image, "--", "echo", "config");
        Assert.True(withConfig.ExitCode == 0, withConfig.Error);
        Assert.Equal("config\n", withConfig.Output);
    }
}
