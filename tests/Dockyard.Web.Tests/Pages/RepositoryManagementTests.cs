using System.Net;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Dockyard.Web.Browsing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// Creating an empty private repository, deleting a manifest and a whole repository after confirmation, and the
/// namespace page's size and last push: each through Core's services, refused to readers (403) and hidden from
/// outsiders (404) as the UAM and V2 routes do.
/// </summary>
public sealed class RepositoryManagementTests
{
    private const string Password = "shared-secret-1";

    [Fact]
    public async Task An_owner_creates_an_empty_private_repository_that_others_cannot_see()
    {
        await using var registry = await StartAsync();
        using var alice = await registry.SignedInAsync("alice", Password);
        using var bob = await registry.SignedInAsync("bob", Password);

        using (var create = await alice.SubmitAsync("/new-repository", new Dictionary<string, string> { ["Namespace"] = "alice", ["RepositoryName"] = "empty" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
            Assert.Equal("/repositories/alice/empty", create.Headers.Location?.OriginalString);
        }
        var (status, html) = await alice.GetAsync("/repositories/alice/empty");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("badge private", html);
        Assert.Contains("No tags.", html);
        var listing = (await alice.GetAsync("/namespaces/alice")).Html;
        Assert.Contains(">alice/empty</a>", listing);
        Assert.Contains("<td>0 B</td>", listing);
        Assert.Contains("<span>never</span>", listing);
        Assert.False((await registry.Accounts.Repositories.GetAsync("alice", "empty", CancellationToken.None))!.IsPublic);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/repositories/alice/empty")).Status);

        using (var again = await alice.SubmitAsync("/new-repository", new Dictionary<string, string> { ["Namespace"] = "alice", ["RepositoryName"] = "empty" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("already exists", await again.Content.ReadAsStringAsync());
        }
        using (var foreign = await bob.SubmitAsync("/new-repository", new Dictionary<string, string> { ["Namespace"] = "alice", ["RepositoryName"] = "planted" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        }
        Assert.Null(await registry.Accounts.Repositories.GetAsync("alice", "planted", CancellationToken.None));
    }

    [Fact]
    public async Task The_owner_deletes_a_manifest_then_the_repository_and_a_reader_may_do_neither()
    {
        await using var registry = await StartAsync();
        using var api = registry.ApiClient("alice", Password);
        var image = await TestImage.PushAsync(api, "alice/app", "v1");
        await registry.SetPublicAsync("alice", "app", true);
        using var alice = await registry.SignedInAsync("alice", Password);
        using var bob = await registry.SignedInAsync("bob", Password);
        var deleteManifest = $"/delete-manifest/alice/app?digest={image.Digest}";

        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync(deleteManifest)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/delete-repository/alice/app")).Status);
        var bobToken = await bob.TokenFromAsync("/");
        using (var refused = await bob.PostAsync(deleteManifest, new Dictionary<string, string>(), bobToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var refused = await bob.PostAsync("/delete-repository/alice/app", new Dictionary<string, string>(), bobToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v2/alice/app/manifests/{image.Digest}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/delete-manifest/alice/app?digest=sha256:nothex")).Status);

        var manifestPage = (await alice.GetAsync("/manifests/alice/app?reference=v1")).Html;
        Assert.Contains("href=\"/delete-manifest/alice/app?digest=sha256%3A", manifestPage);
        Assert.Contains("Delete manifest?", (await alice.GetAsync(deleteManifest)).Html);
        using (var deleted = await alice.SubmitAsync(deleteManifest, new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v2/alice/app/manifests/{image.Digest}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v2/alice/app/manifests/v1")).StatusCode);

        Assert.Contains("Delete repository <code>alice/app</code>?", (await alice.GetAsync("/delete-repository/alice/app")).Html);
        using (var deleted = await alice.SubmitAsync("/delete-repository/alice/app", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            Assert.Equal("/?deleted=alice%2Fapp", deleted.Headers.Location?.OriginalString);
        }
        Assert.Null(await registry.Accounts.Repositories.GetAsync("alice", "app", CancellationToken.None));
        Assert.False(await registry.Server.Services.GetRequiredService<IMetadataStore>().Repositories.ExistsAsync(RepositoryName.Parse("alice/app"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/repositories/alice/app")).Status);
    }

    [Fact]
    public async Task Someone_elses_private_repository_cannot_be_deleted_and_looks_missing()
    {
        await using var registry = await StartAsync();
        using var api = registry.ApiClient("alice", Password);
        var image = await TestImage.PushAsync(api, "alice/secret", "v1");
        using var bob = await registry.SignedInAsync("bob", Password);
        var token = await bob.TokenFromAsync("/");

        foreach (var path in new[] { "/delete-repository/alice/secret", $"/delete-manifest/alice/secret?digest={image.Digest}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(path)).Status);
            using var post = await bob.PostAsync(path, new Dictionary<string, string>(), token);
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v2/alice/secret/manifests/{image.Digest}")).StatusCode);
    }

    [Fact]
    public async Task The_namespace_page_shows_each_repositorys_stored_size_and_last_push()
    {
        await using var registry = await StartAsync();
        using var api = registry.ApiClient("alice", Password);
        var before = DateTimeOffset.UtcNow;
        await TestImage.PushAsync(api, "alice/app", "v1");
        await TestImage.PushAsync(api, "alice/app", "v2");
        using var alice = await registry.SignedInAsync("alice", Password);

        var metadata = registry.Server.Services.GetRequiredService<IMetadataStore>();
        var links = await metadata.BlobLinks.ListAsync(RepositoryName.Parse("alice/app"), null, 100, CancellationToken.None);
        // Built here over the registry's store: the UI's own services may live in a container of their own (loaded lazily).
        var usage = await new RepositoryUsage(metadata).ReadAsync(RepositoryName.Parse("alice/app"), CancellationToken.None);
        // Two configs and two layers at least, each counted once.
        Assert.True(links.Count >= 4);
        Assert.Equal(links.Sum(l => l.Size), usage.Size);
        Assert.False(usage.Partial);
        Assert.InRange(usage.LastPush!.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow);

        var html = (await alice.GetAsync("/namespaces/alice")).Html;
        Assert.Contains($"<td>{Format.Bytes(usage.Size)}</td>", html);
        Assert.Contains(Format.Time(usage.LastPush.Value), html);
    }

    private static async Task<WebRegistry> StartAsync()
    {
        var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", Password);
        await registry.AddUserAsync("bob", Password);
        return registry;
    }
}
