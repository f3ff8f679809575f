using System.Net;
using Dockyard.Testing;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// Who sees and manages what: someone else's private repository looks exactly like one that does not exist, management
/// needs a session, and the owner's visibility switch and tag deletion take effect in the registry itself.
/// </summary>
public sealed class RepositoryAccessTests
{
    private const string AlicePassword = "alice-secret-1";
    private const string BobPassword = "bob-secret-12";

    [Fact]
    public async Task Another_users_private_repository_is_a_404_like_a_missing_one()
    {
        var (registry, bob) = await AliceRepositoryAndBobAsync("secret", isPublic: false);
        await using var _ = registry;
        using var __ = bob;
        using var anonymous = new WebSession(registry.BaseAddress);

        foreach (var session in new[] { bob, anonymous })
        {
            foreach (var (existing, missing) in new[]
            {
                ("/repositories/alice/secret", "/repositories/alice/nothere"),
                ("/manifests/alice/secret?reference=v1", "/manifests/alice/nothere?reference=v1"),
                ("/namespaces/alice", "/namespaces/nobody"),
            })
            {
                var (status, page) = await session.GetAsync(existing);
                var (missingStatus, missingPage) = await session.GetAsync(missing);
                var (html, missingHtml) = (WebSession.WithoutTokens(page), WebSession.WithoutTokens(missingPage));
                Assert.Equal(HttpStatusCode.NotFound, status);
                Assert.Equal(HttpStatusCode.NotFound, missingStatus);
                Assert.Contains("<h1>Not found</h1>", html);
                Assert.Equal(missingHtml.Replace("nothere", "secret").Replace("nobody", "alice"), html);
            }
            Assert.DoesNotContain("alice", (await session.GetAsync("/")).Html.Replace("Signed in as <strong>alice</strong>", ""));
        }
        using var owner = new WebSession(registry.BaseAddress);
        await owner.SignInAsync("alice", AlicePassword);
        var (ownStatus, ownHtml) = await owner.GetAsync("/repositories/alice/secret");
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Contains(">v1</a>", ownHtml);
        Assert.Contains("badge private", ownHtml);
    }

    [Fact]
    public async Task Management_needs_a_session_and_the_owner_can_publish_and_delete_a_tag()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        using var api = registry.ApiClient("alice", AlicePassword);
        var image = await TestImage.PushAsync(api, "alice/app", "v1");
        await registry.SetPublicAsync("alice", "app", true);
        using var anonymous = new WebSession(registry.BaseAddress);

        // Anonymous: reads the public repository, is sent to sign in for management, and gets no controls.
        var (publicStatus, publicHtml) = await anonymous.GetAsync("/repositories/alice/app");
        Assert.Equal(HttpStatusCode.OK, publicStatus);
        Assert.DoesNotContain("Make private", publicHtml);
        Assert.DoesNotContain("/delete-tag/", publicHtml);
        using (var confirm = await anonymous.Client.GetAsync("/delete-tag/alice/app?tag=v1"))
        {
            Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
            Assert.StartsWith("/signin?ReturnUrl=", confirm.Headers.Location!.PathAndQuery);
        }
        using (var post = await anonymous.PostAsync("/repositories/alice/app?handler=Visibility",
            new Dictionary<string, string> { ["MakePublic"] = "false" }, await anonymous.TokenFromAsync("/signin")))
        {
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.StartsWith("/signin", post.Headers.Location!.PathAndQuery);
        }

        using var owner = new WebSession(registry.BaseAddress);
        await owner.SignInAsync("alice", AlicePassword);
        using (var makePrivate = await owner.PostAsync("/repositories/alice/app?handler=Visibility",
            new Dictionary<string, string> { ["MakePublic"] = "false" }, await owner.TokenFromAsync("/repositories/alice/app")))
        {
            Assert.Equal(HttpStatusCode.Redirect, makePrivate.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/repositories/alice/app")).Status);
        using (var anonymousPull = await registry.ApiClient().GetAsync("/v2/alice/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymousPull.StatusCode);
        }

        var (confirmStatus, confirmHtml) = await owner.GetAsync("/delete-tag/alice/app?tag=v1");
        Assert.Equal(HttpStatusCode.OK, confirmStatus);
        Assert.Contains("Delete tag <code>v1</code>?", confirmHtml);
        using (var delete = await owner.PostAsync("/delete-tag/alice/app?tag=v1", new Dictionary<string, string>(),
            await owner.TokenFromAsync("/delete-tag/alice/app?tag=v1")))
        {
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        }
        Assert.Contains("Tag <strong>v1</strong> was deleted.", (await owner.GetAsync("/repositories/alice/app?deleted=v1")).Html);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v2/alice/app/manifests/v1")).StatusCode);
        // Only the tag: the manifest stays reachable by digest.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v2/alice/app/manifests/{image.Digest}")).StatusCode);
    }

    [Fact]
    public async Task A_reader_who_does_not_own_a_public_repository_may_not_change_it()
    {
        var (registry, bob) = await AliceRepositoryAndBobAsync("app", isPublic: true);
        await using var _ = registry;
        using var __ = bob;

        var (status, html) = await bob.GetAsync("/repositories/alice/app");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("Make private", html);
        var (confirmStatus, confirmHtml) = await bob.GetAsync("/delete-tag/alice/app?tag=v1");
        Assert.Equal(HttpStatusCode.Forbidden, confirmStatus);
        Assert.Contains("<h1>Not allowed</h1>", confirmHtml);
        var token = await bob.TokenFromAsync("/");
        using (var delete = await bob.PostAsync("/delete-tag/alice/app?tag=v1", new Dictionary<string, string>(), token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }
        using (var visibility = await bob.PostAsync("/repositories/alice/app?handler=Visibility", new Dictionary<string, string> { ["MakePublic"] = "false" }, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, visibility.StatusCode);
        }
        // Both refused for real: still public, the tag still there.
        using var anonymous = new WebSession(registry.BaseAddress);
        Assert.Contains(">v1</a>", (await anonymous.GetAsync("/repositories/alice/app")).Html);
    }

    // A registry where alice pushed alice/<name>:v1 (public or not) and bob, another user, is signed in.
    private static async Task<(WebRegistry Registry, WebSession Bob)> AliceRepositoryAndBobAsync(string name, bool isPublic)
    {
        var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", AlicePassword);
        await registry.AddUserAsync("bob", BobPassword);
        using var api = registry.ApiClient("alice", AlicePassword);
        await TestImage.PushAsync(api, "alice/" + name, "v1");
        if (isPublic)
        {
            await registry.SetPublicAsync("alice", name, true);
        }
        var bob = new WebSession(registry.BaseAddress);
        await bob.SignInAsync("bob", BobPassword);
        return (registry, bob);
    }
}
