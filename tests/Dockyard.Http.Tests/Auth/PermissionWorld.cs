using System.Net;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// The accounts the permission matrix runs against, set up over HTTP by a registry administrator:
/// user <c>owner1</c>; organizations <c>orgw</c> (memberprivilege WRITE), <c>orgr</c> (READ) and <c>orgn</c> (NONE) with
/// teams <c>writers</c> (permit WRITE) and <c>readers</c> (permit READ) in <c>orgn</c>; each namespace has a
/// <c>public</c> and a <c>private</c> repository holding an image tagged <c>v1</c>.
/// </summary>
public sealed class PermissionWorld : EnforcedServerFixture
{
    public const string Root = "root";
    public static readonly string[] Namespaces = ["owner1", "orgw", "orgr", "orgn"];

    /// <summary>Each principal of the matrix, the namespace whose repositories it is tried on, and its user (null: anonymous).</summary>
    public static readonly IReadOnlyDictionary<string, (string Namespace, string? User)> Principals = new Dictionary<string, (string, string?)>
    {
        ["registry-admin"] = ("orgr", Root),
        ["owner"] = ("owner1", "owner1"),
        ["org-admin"] = ("orgw", "oadmin"),
        ["member-write"] = ("orgw", "mwrite"),
        ["member-read"] = ("orgr", "mread"),
        ["member-none"] = ("orgn", "mnone"),
        ["team-write"] = ("orgn", "twrite"),
        ["team-read"] = ("orgn", "tread"),
        ["outsider"] = ("orgw", "outsider"),
        ["anonymous"] = ("orgw", null),
    };

    private readonly Dictionary<string, string> manifests = [];

    /// <summary>The JSON of the <c>v1</c> manifest of a repository (its blobs are in the repository).</summary>
    public string ManifestOf(string repository) => manifests[repository];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Auth.AddUserAsync(Root, admin: true);
        foreach (var (_, user) in Principals.Values)
        {
            if (user is not null and not Root)
            {
                await Auth.AddUserAsync(user);
            }
        }
        var root = Auth.Client(Root);
        foreach (var (org, privilege) in new[] { ("orgw", 2), ("orgr", 3), ("orgn", 4) })
        {
            await ExpectAsync(await PostJsonAsync(root, "/uam/organization", new { name = org, memberprivilege = privilege }), HttpStatusCode.Created);
        }
        await AddMemberAsync(root, "orgw", "oadmin", 3);
        await AddMemberAsync(root, "orgw", "mwrite", 4);
        await AddMemberAsync(root, "orgr", "mread", 4);
        foreach (var user in new[] { "mnone", "twrite", "tread" })
        {
            await AddMemberAsync(root, "orgn", user, 4);
        }
        foreach (var ns in Namespaces)
        {
            foreach (var visibility in new[] { "public", "private" })
            {
                object body = ns == "owner1"
                    ? new { name = visibility, ispublic = visibility == "public", username = ns }
                    : new { name = visibility, ispublic = visibility == "public", orgname = ns };
                await ExpectAsync(await PostJsonAsync(root, "/uam/repository", body), HttpStatusCode.Created);
                var repository = $"{ns}/{visibility}";
                var image = await RegistryPush.PushImageAsync(root, repository, "v1");
                using var get = await root.GetAsync($"/v2/{repository}/manifests/{image.Digest}");
                manifests[repository] = await get.Content.ReadAsStringAsync();
            }
        }
        foreach (var (team, user, permit) in new[] { ("writers", "twrite", 2), ("readers", "tread", 3) })
        {
            await ExpectAsync(await PostJsonAsync(root, "/uam/team", new { teamname = team, orgname = "orgn" }), HttpStatusCode.Created);
            await ExpectAsync(await PostJsonAsync(root, "/uam/team/adduser", new { teamname = team, orgname = "orgn", username = user, role = 6 }),
                HttpStatusCode.Created);
            foreach (var repository in new[] { "public", "private" })
            {
                await ExpectAsync(await PostJsonAsync(root, "/uam/team/addrepository", new { orgname = "orgn", reponame = repository, teamname = team, permit }),
                    HttpStatusCode.Created);
            }
        }
    }

    private static async Task AddMemberAsync(HttpClient root, string org, string user, int role) =>
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization/adduser", new { username = user, role, orgname = org }), HttpStatusCode.Created);
}
