using System.Net;
using Dockyard.Core.Appc;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Pages;

/// <summary>A repository page lists its Docker V1 tags and appc ACIs, escaped, under the same access rule as its tags.</summary>
public sealed class OlderFormatTests
{
    [Fact]
    public async Task V1_tags_and_ACIs_are_listed_escaped_to_readers_and_hidden_from_others()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        await registry.AddUserAsync("bob", "bob-secret-12");
        using var api = registry.ApiClient("alice", "alice-secret-1");
        await TestImage.PushAsync(api, "alice/app", "v2");
        var image = V1Image.Create(null, V1Image.TarOf(("hello.txt", "hi")), gzip: false, "true");
        await new V1Client(api, "alice", "alice-secret-1").PushAsync("alice/app", "legacy", [image]);
        // Written straight to the store: acpush validates versions, the page must not rely on that.
        var aci = new AciImage(RepositoryName.Parse("alice/app"), "1.0<script>alert(1)</script>", "linux", "amd64",
            Core.Names.Digest.Parse("sha256:" + new string('a', 64)), 2048, Core.Names.Digest.Parse("sha256:" + new string('b', 64)), "sha512-x", "{}",
            DateTimeOffset.UtcNow);
        Assert.True(await registry.Server.Services.GetRequiredService<IAciStore>().TryAddAsync(aci, CancellationToken.None));

        using var alice = await registry.SignedInAsync("alice", "alice-secret-1");
        var (status, html) = await alice.GetAsync("/repositories/alice/app");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<caption>Docker V1 tags</caption>", html);
        Assert.Contains("<td>legacy</td>", html);
        Assert.Contains(image.Id, html);
        Assert.Contains("<caption>appc images (ACI)</caption>", html);
        Assert.Contains("1.0&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        using var bob = await registry.SignedInAsync("bob", "bob-secret-12");
        using var anonymous = new WebSession(registry.BaseAddress);
        foreach (var other in new[] { bob, anonymous })
        {
            var (otherStatus, otherHtml) = await other.GetAsync("/repositories/alice/app");
            Assert.Equal(HttpStatusCode.NotFound, otherStatus);
            Assert.DoesNotContain("legacy", otherHtml);
        }
    }
}
