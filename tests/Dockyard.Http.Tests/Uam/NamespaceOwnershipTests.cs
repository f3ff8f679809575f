using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Accounts;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>
/// A repository belongs to the account that created it, never to whoever later signs up with its namespace's name;
/// deleting it removes every protocol's data, so whoever next creates the name starts empty.
/// </summary>
public sealed class NamespaceOwnershipTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    private T Service<T>() where T : notnull => Auth.Server.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_namespace_an_admin_pushed_into_cannot_be_taken_by_signing_up_or_creating_an_organization()
    {
        var admin = await Auth.AddUserAsync("ownadmin", admin: true);
        await RegistryPush.PushImageAsync(Auth.Client(admin), "ghostns/app", "v1");

        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(null), "/uam/user/signup",
            new { name = "ghostns", email = "g@example.com", password = "ghost-password" }), HttpStatusCode.Conflict, "CONFLICT", "ghostns");
        using (var v1 = await Auth.Client(null).PostAsync("/v1/users/",
            new StringContent("""{"username":"ghostns","password":"ghost-password","email":"g@example.com"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, v1.StatusCode);
        }
        var squatter = await Auth.AddUserAsync("ownsquatter");
        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(squatter), "/uam/organization", new { name = "ghostns" }), HttpStatusCode.Conflict, "CONFLICT");

        // Even a user the admin creates with that name gets nothing until the admin hands the repositories over.
        var ghost = await Auth.AddUserAsync("ghostns");
        await ExpectAsync(await Auth.Client(ghost).GetAsync("/v2/ghostns/app/tags/list"), HttpStatusCode.Forbidden);
        await ExpectAsync(await Auth.Client(ghost).DeleteAsync("/uam/ghostns/app"), HttpStatusCode.NotFound);
        await Service<Dockyard.Core.Access.RepositoryAdoption>().AdoptAsync("ghostns", ghost, CancellationToken.None);
        await ExpectAsync(await Auth.Client(ghost).GetAsync("/v2/ghostns/app/tags/list"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_record_without_an_owner_belongs_to_the_namespace_only_if_its_account_is_older()
    {
        var policies = Service<IAccountStore>().Repositories;
        var earlier = DateTimeOffset.UtcNow.AddDays(-1);
        var later = DateTimeOffset.UtcNow.AddDays(1);
        Assert.True(await policies.TryCreateAsync(new RepositoryPolicy("legacyns", "before", false, null, earlier), CancellationToken.None));
        var user = await Auth.AddUserAsync("legacyns");
        Assert.True(await policies.TryCreateAsync(new RepositoryPolicy("legacyns", "after", false, null, later), CancellationToken.None));
        var client = Auth.Client(user);
        await ExpectAsync(await PutJsonAsync(client, "/uam/repository/legacyns/before", new { ispublic = true }), HttpStatusCode.NotFound);
        await ExpectAsync(await PutJsonAsync(client, "/uam/repository/legacyns/after", new { ispublic = true }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_pushed_repository_records_its_owner()
    {
        var user = await Auth.AddUserAsync("ownrecorded");
        await RegistryPush.PushImageAsync(Auth.Client(user), "ownrecorded/app", "v1");
        var policy = await Service<IAccountStore>().Repositories.GetAsync("ownrecorded", "app", CancellationToken.None);
        Assert.Equal("ownrecorded", policy?.Owner);
    }

    [Fact]
    public async Task Deleting_a_repository_removes_its_v1_images_and_tags_and_stored_signatures()
    {
        var user = await Auth.AddUserAsync("erasure");
        var client = Auth.Client(user);
        var v1 = new V1Client(Auth.Client(null), user, PasswordOf(user));
        var image = V1Image.Create(null, V1Image.TarOf(("old", "old bytes")), true, "old");
        await v1.PushAsync("erasure/app", "old", [image]);
        var manifest = await RegistryPush.PushImageAsync(client, "erasure/app", "v2");
        var signature = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2, ["name"] = $"{manifest.Digest}@0123456789abcdef0123456789abcdef", ["type"] = "atomic", ["content"] = Convert.ToBase64String([1, 2, 3]),
        });
        await ExpectAsync(await client.PutAsync($"/extensions/v2/erasure/app/signatures/{manifest.Digest}",
            new StringContent(signature, Encoding.UTF8, "application/json")), HttpStatusCode.Created);

        await ExpectAsync(await client.DeleteAsync("/uam/erasure/app"), HttpStatusCode.NoContent);

        // The same name created again starts empty through every protocol.
        await RegistryPush.PushImageAsync(client, "erasure/app", "v2");
        Assert.Empty(await Service<Dockyard.Core.Signatures.IImageSignatureStore>().ListAsync(Dockyard.Core.Names.RepositoryName.Parse("erasure/app"),
            Dockyard.Core.Names.Digest.Parse(manifest.Digest), 10, CancellationToken.None));
        await ExpectAsync(await client.GetAsync("/v1/repositories/erasure/app/tags/old"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.GetAsync($"/v1/images/{image.Id}/json"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.GetAsync("/v2/erasure/app/manifests/old"), HttpStatusCode.NotFound);
    }
}
