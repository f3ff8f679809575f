using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>Enforced mode (<c>standalone = false</c>) with UAM accounts in Azure Tables: sign-up, organization, private repository.</summary>
public sealed class AzureTableUamTests
{
    [Fact]
    public async Task Signed_up_users_an_organization_and_a_private_repository_are_enforced()
    {
        var keys = Path.Combine(Path.GetTempPath(), "dockyard-keys-" + Guid.NewGuid().ToString("N"));
        await using var registry = await AzureRegistry.StartAsync(new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(keys, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(keys, "token.crt"),
        });
        if (registry is null)
        {
            return;
        }
        try
        {
            var anonymous = Client(registry, null);
            foreach (var name in new[] { "alice", "mallory" })
            {
                await Expect(await anonymous.PostAsJsonAsync("/uam/user/signup",
                    new { name, email = name + "@example.com", password = "secret-" + name, realname = name }), HttpStatusCode.Created);
            }
            // Names are shared: an organization cannot take a user's name, and a second sign-up of it fails.
            var alice = Client(registry, "alice");
            Assert.NotEqual(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/uam/user/signup",
                new { name = "alice", email = "x@example.com", password = "another-secret", realname = "x" })).StatusCode);
            Assert.NotEqual(HttpStatusCode.Created, (await alice.PostAsJsonAsync("/uam/organization", new { name = "mallory", memberprivilege = 3 })).StatusCode);

            await Expect(await alice.PostAsJsonAsync("/uam/organization", new { name = "acme", memberprivilege = 4 }), HttpStatusCode.Created);
            await Expect(await alice.PostAsJsonAsync("/uam/repository", new { name = "app", ispublic = false, orgname = "acme" }), HttpStatusCode.Created);
            var image = await AzureRegistry.PushImageAsync(alice, "acme/app", "v1");

            await Expect(await alice.GetAsync("/v2/acme/app/tags/list"), HttpStatusCode.OK);
            await Expect(await alice.GetAsync($"/v2/acme/app/manifests/{AzureRegistry.DigestOf(image)}"), HttpStatusCode.OK);
            await Expect(await anonymous.GetAsync("/v2/acme/app/tags/list"), HttpStatusCode.Unauthorized);
            var mallory = Client(registry, "mallory");
            await Expect(await mallory.GetAsync("/v2/acme/app/tags/list"), HttpStatusCode.Forbidden);
            await Expect(await mallory.PostAsync("/v2/acme/app/blobs/uploads/", null), HttpStatusCode.Forbidden);

            // A member with a team grant reads; the organization's listing shows the repository.
            await Expect(await alice.PostAsJsonAsync("/uam/organization/adduser", new { username = "mallory", role = 4, orgname = "acme" }), HttpStatusCode.Created);
            await Expect(await alice.PostAsJsonAsync("/uam/team", new { teamname = "readers", orgname = "acme" }), HttpStatusCode.Created);
            await Expect(await alice.PostAsJsonAsync("/uam/team/adduser", new { teamname = "readers", orgname = "acme", username = "mallory", role = 6 }), HttpStatusCode.Created);
            await Expect(await alice.PostAsJsonAsync("/uam/team/addrepository", new { orgname = "acme", reponame = "app", teamname = "readers", permit = 3 }), HttpStatusCode.Created);
            await Expect(await mallory.GetAsync("/v2/acme/app/tags/list"), HttpStatusCode.OK);
            await Expect(await mallory.PostAsync("/v2/acme/app/blobs/uploads/", null), HttpStatusCode.Forbidden);
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    private static HttpClient Client(AzureRegistry registry, string? user)
    {
        var client = new HttpClient { BaseAddress = registry.Server.BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:secret-{user}")));
        }
        return client;
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.True(response.StatusCode == status,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {response.StatusCode} (expected {status}): {await response.Content.ReadAsStringAsync()}");
        }
    }
}
