using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Interop.Tests.Auth;

/// <summary>
/// skopeo with <c>--creds</c>, <c>--src-creds</c> and <c>--dest-creds</c> against a registry that enforces token auth:
/// the owner pushes, inspects, lists, copies (mounting across their repositories) and deletes; wrong credentials,
/// other users and anonymous callers are refused on private repositories; anyone may read a public one.
/// </summary>
public sealed class SkopeoCredentialsTests
{
    private const string AlicePassword = "alice-secret-1";
    private const string Alice = "alice:" + AlicePassword;
    private const string BobPassword = "bob-secret-12";

    [Fact]
    public async Task Owner_pushes_inspects_lists_copies_and_deletes_with_credentials()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        var source = $"docker://{registry.Host}/alice/busybox";
        var target = $"docker://{registry.Host}/alice/deep/copy";

        foreach (var tag in new[] { "v1", "latest" })
        {
            (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"{source}:{tag}", "--dest-creds", Alice)).EnsureSuccess();
        }
        var info = JsonNode.Parse((await skopeo.InspectAsync($"{source}:v1", "--creds", Alice)).EnsureSuccess().Output)!;
        Assert.Equal(image.Root.Digest, (string?)info["Digest"]);
        var listed = JsonNode.Parse((await skopeo.RunAsync("list-tags", "--tls-verify=false", "--creds", Alice, source)).EnsureSuccess().Output)!;
        Assert.Equal(["latest", "v1"], listed["Tags"]!.AsArray().Select(t => (string)t!).Order(StringComparer.Ordinal).ToArray());

        // Registry to registry as the same user: skopeo asks for a token covering both repositories and mounts the blobs.
        var copy = (await skopeo.CopyAsync($"{source}:v1", $"{target}:copied", "--src-creds", Alice, "--dest-creds", Alice, "--debug")).EnsureSuccess();
        // skopeo's debug log shows the token flow: one token for the target's pull,push and the source's pull, then the mount.
        Assert.Contains(copy.Error.Split('\n'), line => line.Contains($"GET http://{registry.Host}/uam/auth?", StringComparison.Ordinal)
            && line.Contains("scope=repository%3Aalice%2Fdeep%2Fcopy%3Apull%2Cpush", StringComparison.Ordinal)
            && line.Contains("scope=repository%3Aalice%2Fbusybox%3Apull", StringComparison.Ordinal));
        Assert.Contains("mount OK", copy.Error);
        var copied = JsonNode.Parse((await skopeo.InspectAsync($"{target}:copied", "--creds", Alice)).EnsureSuccess().Output)!;
        Assert.Equal(image.Root.Digest, (string?)copied["Digest"]);
        using (var blob = await registry.SendAsync(HttpMethod.Get, $"/v2/alice/deep/copy/blobs/{layer.Digest}", "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(layer.Digest, OciBlob.DigestOf(await blob.Content.ReadAsByteArrayAsync()));
        }

        (await skopeo.RunAsync("delete", "--tls-verify=false", "--creds", Alice, $"{target}:copied")).EnsureSuccess();
        var gone = await skopeo.InspectAsync($"{target}:copied", "--creds", Alice);
        Assert.False(gone.Succeeded, $"inspect after delete succeeded: {gone.Output}");
        (await skopeo.InspectAsync($"{source}:v1", "--creds", Alice)).EnsureSuccess();
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_with_an_authentication_error()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        var reference = $"docker://{registry.Host}/alice/busybox:v1";

        var push = await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", reference, "--dest-creds", "alice:wrong-password");
        AssertAuthenticationError(push);
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", reference, "--dest-creds", Alice)).EnsureSuccess();
        AssertAuthenticationError(await skopeo.InspectAsync(reference, "--creds", "alice:wrong-password"));
        AssertAuthenticationError(await skopeo.InspectAsync(reference, "--creds", "nobody:" + AlicePassword));
        AssertAuthenticationError(await skopeo.RunAsync("list-tags", "--tls-verify=false", "--creds", "alice:wrong-password", $"docker://{registry.Host}/alice/busybox"));
        AssertAuthenticationError(await skopeo.RunAsync("delete", "--tls-verify=false", "--creds", "alice:wrong-password", reference));
        (await skopeo.InspectAsync(reference, "--creds", Alice)).EnsureSuccess();
    }

    [Fact]
    public async Task Private_repositories_are_hidden_from_anonymous_and_other_users_until_made_public()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var registry = await EnforcedRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        await registry.AddUserAsync("bob", BobPassword);
        var reference = $"docker://{registry.Host}/alice/busybox:v1";
        var bob = "bob:" + BobPassword;
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", reference, "--dest-creds", Alice)).EnsureSuccess();

        AssertAuthenticationError(await skopeo.InspectAsync(reference, "--no-creds"));
        AssertAuthenticationError(await skopeo.InspectAsync(reference, "--creds", bob));
        AssertAuthenticationError(await skopeo.CopyAsync(reference, $"oci:{workspace.Folder("bob")}:v1", "--src-creds", bob));
        // Nobody but alice (or an admin) pushes into alice's namespace, not even to create a new repository there.
        AssertAuthenticationError(await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{registry.Host}/alice/by-bob:v1", "--dest-creds", bob));

        await registry.SetPublicAsync("alice/busybox", true, "alice", AlicePassword);

        var anonymous = JsonNode.Parse((await skopeo.InspectAsync(reference, "--no-creds")).EnsureSuccess().Output)!;
        Assert.Equal(image.Root.Digest, (string?)anonymous["Digest"]);
        (await skopeo.CopyAsync(reference, $"oci:{workspace.Folder("bob")}:v1", "--src-creds", bob)).EnsureSuccess();
        Assert.Equal(image.Root.Digest, (string?)new OciLayoutReader(workspace.Folder("bob")).Resolve("v1")["digest"]);
        // Public is read-only for others: bob may still not push a tag into it or delete it.
        AssertAuthenticationError(await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{registry.Host}/alice/busybox:bob", "--dest-creds", bob));
        AssertAuthenticationError(await skopeo.RunAsync("delete", "--tls-verify=false", "--creds", bob, reference));
        (await skopeo.InspectAsync(reference, "--creds", Alice)).EnsureSuccess();
    }

    private static void AssertAuthenticationError(Clients.ClientResult result)
    {
        Assert.False(result.Succeeded, $"`{result.Command}` succeeded:\n{result.Output}");
        Assert.True(
            result.Error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || result.Error.Contains("denied", StringComparison.OrdinalIgnoreCase)
            || result.Error.Contains("authentication required", StringComparison.OrdinalIgnoreCase),
            $"`{result.Command}` failed without an authentication error:\n{result.Error}");
    }
}
