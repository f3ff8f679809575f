using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>UAM repositories: creation in a user's or organization's namespace, visibility, deletion with manifests and tags.</summary>
public sealed class UamRepositoryTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    private async Task<string> UserAsync() => await Auth.AddUserAsync("u" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_user_creates_repositories_in_its_own_namespace_only()
    {
        var owner = await UserAsync();
        var other = await UserAsync();
        var client = Auth.Client(owner);
        var created = await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "web", ispublic = true, comment = "site", username = owner }),
            HttpStatusCode.Created);
        Assert.Equal($"{owner}/web", created.GetProperty("fullname").GetString());
        Assert.True(created.GetProperty("ispublic").GetBoolean());
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "db", ispublic = false, username = owner }), HttpStatusCode.Created);
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/repository", new { name = "web", ispublic = false, username = owner }),
            HttpStatusCode.Conflict, "CONFLICT", "web");
        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(other), "/uam/repository", new { name = "x", ispublic = true, username = owner }),
            HttpStatusCode.Forbidden, "DENIED");

        // Others see the public repository only; the private one is not found for them.
        var mine = await ExpectAsync(await client.GetAsync($"/uam/repository/{owner}"), HttpStatusCode.OK);
        Assert.Equal(2, mine.GetProperty("repositories").GetArrayLength());
        var theirs = await ExpectAsync(await Auth.Client(other).GetAsync($"/uam/repository/{owner}"), HttpStatusCode.OK);
        Assert.Equal("web", Assert.Single(theirs.GetProperty("repositories").EnumerateArray()).GetProperty("name").GetString());
        await ExpectAsync(await Auth.Client(other).GetAsync($"/uam/repository/{owner}/db"), HttpStatusCode.NotFound);
        var web = await ExpectAsync(await Auth.Client(other).GetAsync($"/uam/repository/{owner}/web"), HttpStatusCode.OK);
        Assert.Equal("site", web.GetProperty("comment").GetString());

        // Making it private hides it.
        await ExpectErrorAsync(await PutJsonAsync(Auth.Client(other), $"/uam/repository/{owner}/web", new { ispublic = false }), HttpStatusCode.Forbidden, "DENIED");
        var updated = await ExpectAsync(await PutJsonAsync(client, $"/uam/repository/{owner}/web", new { ispublic = false }), HttpStatusCode.OK);
        Assert.False(updated.GetProperty("ispublic").GetBoolean());
        await ExpectAsync(await Auth.Client(other).GetAsync($"/uam/repository/{owner}/web"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name":"app","ispublic":true}""")]
    [InlineData("""{"name":"app","ispublic":true,"orgname":"","username":""}""")]
    [InlineData("""{"name":"app","ispublic":true,"orgname":"someorg","username":"someone"}""")]
    public async Task Exactly_one_of_orgname_and_username(string body)
    {
        var client = Auth.Client(await UserAsync());
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/repository", body), HttpStatusCode.BadRequest, "INVALID_FIELD", "orgname");
    }

    [Fact]
    public async Task Repository_bodies_name_the_bad_field()
    {
        var owner = await UserAsync();
        var client = Auth.Client(owner);
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/repository", new { ispublic = true, username = owner }), HttpStatusCode.BadRequest, "INVALID_FIELD", "name");
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/repository", new { name = "app", username = owner }), HttpStatusCode.BadRequest, "INVALID_FIELD", "ispublic");
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/repository", new { name = "app", ispublic = "maybe", username = owner }),
            HttpStatusCode.BadRequest, "INVALID_FIELD", "ispublic");
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/repository", new { name = "Upper", ispublic = true, username = owner }),
            HttpStatusCode.BadRequest, "INVALID_FIELD", "name");
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "app", ispublic = true, username = "nosuchuser9" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_repository_pushed_in_open_mode_belongs_to_no_one_until_an_admin_adopts_it()
    {
        // As when it was pushed while the registry ran in open mode: metadata only, no repository policy.
        var owner = await UserAsync();
        var repository = Dockyard.Core.Names.RepositoryName.Parse($"{owner}/legacy");
        var metadata = Auth.Server.Services.GetRequiredService<Dockyard.Core.Metadata.IMetadataStore>();
        await metadata.Repositories.EnsureAsync(repository, CancellationToken.None);

        // Not even the user named like the namespace reaches it ("not yours" looks like "does not exist").
        await ExpectErrorAsync(await Auth.Client(await UserAsync()).DeleteAsync($"/uam/{repository}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await Auth.Client(owner).DeleteAsync($"/uam/{repository}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectAsync(await Auth.Client(owner).GetAsync($"/v2/{repository}/tags/list"), HttpStatusCode.Forbidden);

        var adopted = await Auth.Server.Services.GetRequiredService<Dockyard.Core.Access.RepositoryAdoption>().AdoptAsync(owner, owner, CancellationToken.None);
        Assert.Equal([repository.Value], adopted);
        await ExpectAsync(await Auth.Client(owner).DeleteAsync($"/uam/{repository}"), HttpStatusCode.NoContent);
        Assert.False(await metadata.Repositories.ExistsAsync(repository, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_repository_removes_its_manifests_and_tags()
    {
        var owner = await UserAsync();
        var client = Auth.Client(owner);
        var repository = $"{owner}/gone";
        var image = await RegistryPush.PushImageAsync(client, repository, "v1");
        await ExpectAsync(await client.GetAsync($"/v2/{repository}/manifests/v1"), HttpStatusCode.OK);
        // Someone else's private repository answers exactly as a missing one.
        var stranger = Auth.Client(await UserAsync());
        var missing = await ExpectAsync(await stranger.DeleteAsync($"/uam/{owner}/nothing"), HttpStatusCode.NotFound);
        var theirs = await ExpectAsync(await stranger.DeleteAsync($"/uam/{repository}"), HttpStatusCode.NotFound);
        Assert.Equal(missing.GetRawText().Replace("nothing", "gone", StringComparison.Ordinal), theirs.GetRawText());
        await ExpectErrorAsync(await PutJsonAsync(Auth.Client(await UserAsync()), $"/uam/repository/{repository}", new { ispublic = true }),
            HttpStatusCode.NotFound, "NOT_FOUND");

        await ExpectAsync(await client.DeleteAsync($"/uam/{repository}"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.GetAsync($"/v2/{repository}/manifests/v1"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.GetAsync($"/v2/{repository}/manifests/{image.Digest}"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.GetAsync($"/v2/{repository}/tags/list"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.GetAsync($"/uam/repository/{repository}"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.DeleteAsync($"/uam/{repository}"), HttpStatusCode.NotFound);
        var catalog = await ExpectAsync(await client.GetAsync("/v2/_catalog?n=1000"), HttpStatusCode.OK);
        Assert.DoesNotContain(catalog.GetProperty("repositories").EnumerateArray(), r => r.GetString() == repository);
    }

    [Fact]
    public async Task An_organization_admin_creates_and_deletes_its_repositories()
    {
        var admin = await UserAsync();
        var member = await UserAsync();
        var org = "org" + Guid.NewGuid().ToString("N")[..8];
        var client = Auth.Client(admin);
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization", new { name = org, memberprivilege = 2 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization/adduser", new { username = member, role = 4, orgname = org }), HttpStatusCode.Created);
        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(member), "/uam/repository", new { name = "svc", ispublic = false, orgname = org }),
            HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "svc", ispublic = false, orgname = org }), HttpStatusCode.Created);
        // Members with WRITE push into existing repositories but may not delete them.
        await RegistryPush.PushImageAsync(Auth.Client(member), $"{org}/svc", "latest");
        await ExpectErrorAsync(await Auth.Client(member).DeleteAsync($"/uam/{org}/svc"), HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await client.DeleteAsync($"/uam/{org}/svc"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.GetAsync($"/v2/{org}/svc/manifests/latest"), HttpStatusCode.NotFound);
    }
}
