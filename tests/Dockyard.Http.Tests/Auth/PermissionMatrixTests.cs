using System.Net;
using System.Net.Http.Headers;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// Who may pull, push and delete what through the V2 API with Basic credentials in enforced mode, per AccessPolicy's
/// rules: owners, org admins and registry admins everything; members per memberprivilege on existing repositories;
/// team permits add; delete only owners and admins; public repositories readable by everyone. Anonymous refusals are
/// 401 with a Bearer challenge naming the scope; authenticated ones 403 DENIED.
/// </summary>
public sealed class PermissionMatrixTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    /// <summary>The expectation table: what each principal may do on the public and on the private repository of its namespace.</summary>
    internal static readonly (string Principal, string Public, string Private)[] Table =
    [
        ("registry-admin", "pull,push,delete", "pull,push,delete"),
        ("owner", "pull,push,delete", "pull,push,delete"),
        ("org-admin", "pull,push,delete", "pull,push,delete"),
        ("member-write", "pull,push", "pull,push"),
        ("member-read", "pull", "pull"),
        ("member-none", "pull", ""),
        ("team-write", "pull,push", "pull,push"),
        ("team-read", "pull", "pull"),
        ("outsider", "pull", ""),
        ("anonymous", "pull", ""),
    ];

    /// <summary>Operations: pull = GET manifest; push = PUT manifest and starting a blob upload; delete = DELETE manifest.</summary>
    private static readonly (string Operation, string Action)[] Operations =
        [("get-manifest", "pull"), ("put-manifest", "push"), ("start-upload", "push"), ("delete-manifest", "delete")];

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var (principal, open, closed) in Table)
        {
            foreach (var (visibility, allowed) in new[] { ("public", open), ("private", closed) })
            {
                foreach (var (operation, action) in Operations)
                {
                    data.Add(principal, visibility, operation, allowed.Split(',').Contains(action));
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Matrix(string principal, string visibility, string operation, bool allowed)
    {
        var (ns, user) = PermissionWorld.Principals[principal];
        var repository = $"{ns}/{visibility}";
        var client = world.Auth.Client(user);
        using var response = operation switch
        {
            "get-manifest" => await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v1")
            {
                Headers = { Accept = { new MediaTypeWithQualityHeaderValue(RegistryPush.OciManifest) } },
            }),
            "put-manifest" => await RegistryPush.PutManifestAsync(client, repository, "p-" + Guid.NewGuid().ToString("N")[..8],
                world.ManifestOf(repository), RegistryPush.OciManifest),
            "start-upload" => await client.PostAsync($"/v2/{repository}/blobs/uploads/", null),
            _ => await client.DeleteAsync($"/v2/{repository}/manifests/{await PushVictimAsync(repository)}"),
        };
        var success = operation switch
        {
            "get-manifest" => HttpStatusCode.OK,
            "put-manifest" => HttpStatusCode.Created,
            _ => HttpStatusCode.Accepted,
        };
        if (allowed)
        {
            await ExpectAsync(response, success);
        }
        else if (user is null)
        {
            var needed = operation switch { "get-manifest" => "pull", "delete-manifest" => "delete", _ => "pull,push" };
            AssertChallenge(response, $"repository:{repository}:{needed}");
            await ExpectErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
        else
        {
            await ExpectErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
        }
    }

    /// <summary>A fresh manifest pushed by the registry admin, so that deleting it disturbs no other case.</summary>
    private async Task<string> PushVictimAsync(string repository) =>
        (await RegistryPush.PushImageAsync(world.Auth.Client(PermissionWorld.Root), repository, "d-" + Guid.NewGuid().ToString("N")[..8])).Digest;

    internal static void AssertChallenge(HttpResponseMessage response, string scope)
    {
        var header = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer realm=\"", header, StringComparison.Ordinal);
        Assert.Contains("/uam/auth\"", header, StringComparison.Ordinal);
        Assert.Contains(",service=\"token-service\"", header, StringComparison.Ordinal);
        Assert.Contains($",scope=\"{scope}\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_to_a_namespace_nobody_owns_is_refused()
    {
        foreach (var user in new[] { "outsider", "owner1", "oadmin" })
        {
            await ExpectErrorAsync(await world.Auth.Client(user).PostAsync("/v2/ghost1/app/blobs/uploads/", null), HttpStatusCode.Forbidden, "DENIED");
        }
        using var anonymous = await world.Auth.Client(null).PostAsync("/v2/ghost1/app/blobs/uploads/", null);
        AssertChallenge(anonymous, "repository:ghost1/app:pull,push");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await ExpectAsync(await world.Auth.Client("owner1").GetAsync("/uam/repository/ghost1/app"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("outsider", "outsider/loot", "orgw/private", false)]
    [InlineData("owner1", "owner1/copy", "orgn/private", false)]
    [InlineData("owner1", "owner1/copy2", "orgw/public", true)]
    [InlineData("mread", "mread/copy", "orgr/private", true)]
    public async Task A_mount_copies_a_blob_only_from_a_repository_the_caller_may_pull(string user, string target, string source, bool mounted)
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(world.ManifestOf(source));
        var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        var client = world.Auth.Client(user);
        using var mount = await client.PostAsync($"/v2/{target}/blobs/uploads/?mount={layer}&from={source}", null);
        // Refused as a mount, the request is an ordinary upload start: 202, and the blob stays out of the target.
        Assert.Equal(mounted ? HttpStatusCode.Created : HttpStatusCode.Accepted, mount.StatusCode);
        using var read = await client.GetAsync($"/v2/{target}/blobs/{layer}");
        Assert.Equal(mounted ? HttpStatusCode.OK : HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Members_may_not_create_repositories_by_pushing()
    {
        await ExpectErrorAsync(await world.Auth.Client("mwrite").PostAsync("/v2/orgw/newbymember/blobs/uploads/", null), HttpStatusCode.Forbidden, "DENIED");
        await ExpectErrorAsync(await world.Auth.Client("twrite").PostAsync("/v2/orgn/newbyteam/blobs/uploads/", null), HttpStatusCode.Forbidden, "DENIED");
    }

    [Theory]
    [InlineData("owner1", "owner1/fresh")]
    [InlineData("oadmin", "orgw/fresh")]
    public async Task The_owners_first_push_creates_a_private_repository(string user, string repository)
    {
        await RegistryPush.PushImageAsync(world.Auth.Client(user), repository, "latest");
        var policy = await ExpectAsync(await world.Auth.Client(user).GetAsync($"/uam/repository/{repository}"), HttpStatusCode.OK);
        Assert.False(policy.GetProperty("ispublic").GetBoolean());
        using var anonymous = await world.Auth.Client(null).GetAsync($"/v2/{repository}/manifests/latest");
        AssertChallenge(anonymous, $"repository:{repository}:pull");
        await ExpectErrorAsync(await world.Auth.Client("outsider").GetAsync($"/v2/{repository}/manifests/latest"), HttpStatusCode.Forbidden, "DENIED");
    }

    [Theory]
    [InlineData(null, "orgw/public", "orgw/private")]
    [InlineData("outsider", "orgn/public", "orgn/private")]
    [InlineData("owner1", "owner1/private", "orgr/private")]
    [InlineData("mread", "orgr/private", "orgn/private")]
    [InlineData("mnone", "orgn/public", "orgn/private")]
    [InlineData("tread", "orgn/private", "orgw/private")]
    [InlineData("oadmin", "orgw/private", "orgr/private")]
    [InlineData(PermissionWorld.Root, "orgn/private", null)]
    public async Task The_catalog_lists_only_what_the_caller_may_read(string? user, string visible, string? hidden)
    {
        var catalog = await ExpectAsync(await world.Auth.Client(user).GetAsync("/v2/_catalog?n=1000"), HttpStatusCode.OK);
        var names = catalog.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains(visible, names);
        if (hidden is not null)
        {
            Assert.DoesNotContain(hidden, names);
        }
        if (user is null)
        {
            Assert.All(names, n => Assert.EndsWith("/public", n, StringComparison.Ordinal));
            Assert.Equal(PermissionWorld.Namespaces.Length, names.Count);
        }
    }

    [Fact]
    public async Task Base_route_requires_credentials_and_wrong_ones_are_401()
    {
        using var anonymous = await world.Auth.Client(null).GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Bearer realm=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ExpectAsync(await world.Auth.Client("owner1").GetAsync("/v2/"), HttpStatusCode.OK);
        await ExpectErrorAsync(await world.Auth.Client("owner1", "not-the-password").GetAsync("/v2/owner1/public/tags/list"),
            HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }
}
