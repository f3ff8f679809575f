using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Launcher.Tests;

namespace Dockyard.P2P.Tests;

/// <summary>
/// <c>launcher run --agent</c> (and <c>$DOCKYARD_AGENT</c>) on a real Docker engine: manifests from the registry with the
/// user's credentials, layers through the local agent; a second host's run takes its layers from the first host's agent.
/// </summary>
public sealed class LauncherRunTests
{
    [Fact]
    public async Task Run_through_an_agent_takes_a_second_hosts_layers_from_the_first_agent()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        await using var registry = await P2PRegistry.StartAsync();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{registry.BaseAddress.Authority}/alice/app:v1",
            "--dest-creds", $"alice:{P2PRegistry.AlicePassword}")).EnsureSuccess();
        launcher.Track($"{registry.BaseAddress.Authority}/alice/app:v1");
        var first = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        var second = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);

        var run = await launcher.RunWithInputAsync(P2PRegistry.AlicePassword + "\n", null, "run", "--registry", registry.BaseAddress.ToString(),
            "-u", "alice", "--password-stdin", "--agent", first.MirrorAddress.ToString(), "--network", "none", "--rm", "alice/app:v1", "--", "echo", "via agent");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Equal("via agent\n", run.Output);
        Assert.Contains("through the agent", run.Error);
        Assert.True(first.Stats.BytesFromRegistry > 0, "the first agent fetched nothing: the launcher did not pull through it");
        await launcher.Engine.Images.DeleteImageAsync($"{registry.BaseAddress.Authority}/alice/app:v1", new() { Force = true });

        // The second host names its agent by $DOCKYARD_AGENT; every layer byte then comes from the first agent.
        var again = await launcher.RunWithInputAsync(P2PRegistry.AlicePassword + "\n",
            new Dictionary<string, string> { ["DOCKYARD_AGENT"] = second.MirrorAddress.Authority }, "run", "--registry", registry.BaseAddress.ToString(),
            "-u", "alice", "--password-stdin", "--network", "none", "--rm", "alice/app:v1", "--", "echo", "via peer");
        Assert.True(again.ExitCode == 0, $"exit {again.ExitCode}\n{again.Output}\n{again.Error}");
        Assert.Equal("via peer\n", again.Output);
        Assert.Equal(0, second.Stats.BytesFromRegistry);
        Assert.Equal(first.Stats.BytesFromRegistry, second.Stats.BytesFromPeers);
    }
}
