using System.Diagnostics;
using System.Net;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>
/// A member's upload session while their right to push goes: removed from the team that grants it, or their account
/// deleted. Each member keeps PATCHing chunks on connections of their own while the change is made; every request
/// that began after the change was answered is refused, completing the session included, and the next
/// account of a deleted member's name cannot reach the session either. (A request already under way when the right
/// went was authorized when it began, and may finish: requests are authorized when they start.)
/// </summary>
public sealed class UploadAccessRaceTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private const int Writers = 4;

    /// <summary>Every upload the races started, for the next holder of a deleted member's name to try.</summary>
    private readonly List<Uri> uploads = [];

    private AuthServer Auth => fixture.Auth;

    [Fact]
    public async Task An_upload_stops_being_written_once_its_member_leaves_the_team_that_granted_push()
    {
        var (root, member, repository) = await TeamPushAsync("leaveteam");

        var late = await RaceAsync(member, repository, () => root.DeleteAsync($"/uam/team/removeuser/leaveteam/w/{member}"), HttpStatusCode.NoContent);

        Assert.NotEmpty(late);
        Assert.All(late, s => Assert.True(s == HttpStatusCode.Forbidden, $"a write after the removal answered {(int)s}"));
    }

    [Fact]
    public async Task An_upload_stops_being_written_once_its_account_is_deleted_and_the_next_holder_of_the_name_cannot_reach_it()
    {
        var (_, member, repository) = await TeamPushAsync("leaveacct");
        var admin = Auth.Client(await Auth.AddUserAsync("leaveacctadmin", admin: true));

        var late = await RaceAsync(member, repository, () => admin.DeleteAsync($"/uam/user/{member}"), HttpStatusCode.NoContent);

        Assert.NotEmpty(late);
        Assert.All(late, s => Assert.True(s == HttpStatusCode.Unauthorized, $"a write after the deletion answered {(int)s}"));
        // Someone signs up with the freed name: the old sessions are not theirs to continue.
        await ExpectAsync(await PostJsonAsync(Auth.Client(null), "/uam/user/signup",
            new { name = member, email = member + "@example.org", password = PasswordOf(member) }), HttpStatusCode.Created);
        var newcomer = Auth.Client(member);
        foreach (var upload in uploads)
        {
            using var status = await newcomer.GetAsync(upload);
            Assert.True(status.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"the next holder of the name reads an old upload: {(int)status.StatusCode}");
        }
    }

    /// <summary>An organization whose team "w" grants push on its private repository "app" to a member; returns the owner's client.</summary>
    private async Task<(HttpClient Owner, string Member, string Repository)> TeamPushAsync(string organization)
    {
        var root = Auth.Client(await Auth.AddUserAsync(organization + "owner"));
        var member = await Auth.AddUserAsync(organization + "member");
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization", new { name = organization, memberprivilege = 4 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization/adduser", new { username = member, role = 4, orgname = organization }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/repository", new { name = "app", ispublic = false, orgname = organization }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team", new { teamname = "w", orgname = organization }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/adduser", new { teamname = "w", orgname = organization, username = member, role = 6 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/addrepository", new { orgname = organization, reponame = "app", teamname = "w", permit = 2 }), HttpStatusCode.Created);
        return (root, member, organization + "/app");
    }

    /// <summary>
    /// <see cref="Writers"/> sessions of <paramref name="member"/>, each PATCHed chunk after chunk on its own connection
    /// until a chunk is refused and then completed, while <paramref name="change"/> runs once they are all under way.
    /// Returns the statuses of the requests that began after the change was answered, the completions among them.
    /// </summary>
    private async Task<List<HttpStatusCode>> RaceAsync(string member, string repository, Func<Task<HttpResponseMessage>> change, HttpStatusCode changed)
    {
        var chunk = RegistryPush.RandomBytes(4096);
        const int MaxChunks = 2000;
        var clients = Enumerable.Range(0, Writers).Select(_ => Auth.Client(member)).ToArray();
        var started = new List<Uri>();
        foreach (var client in clients)
        {
            started.Add(await RegistryPush.StartUploadAsync(client, repository));
        }
        uploads.AddRange(started);
        var changedAt = long.MaxValue;
        using var barrier = new Barrier(Writers + 1);
        var writers = clients.Select((client, i) => Task.Run(async () =>
        {
            var upload = started[i];
            var statuses = new List<(long Began, HttpStatusCode Status)>();
            barrier.SignalAndWait();
            for (var n = 0; n < MaxChunks; n++)
            {
                var began = Stopwatch.GetTimestamp();
                using var patch = await RegistryPush.PatchChunkAsync(client, upload, chunk, $"{n * chunk.Length}-{(n + 1) * chunk.Length - 1}");
                statuses.Add((began, patch.StatusCode));
                if (patch.StatusCode != HttpStatusCode.Accepted)
                {
                    break;
                }
                upload = patch.Headers.Location!;
            }
            // Whatever the digest: a completion that got past authorization would answer 201 or 400, not 401 or 403.
            var completing = Stopwatch.GetTimestamp();
            using var put = await client.PutAsync(RegistryPush.WithQuery(upload, "digest=" + RegistryPush.DigestOf(chunk)), null);
            statuses.Add((completing, put.StatusCode));
            return statuses;
        })).ToArray();
        barrier.SignalAndWait();
        // Let every writer get a few chunks in first.
        await Task.Delay(100);
        await ExpectAsync(await change(), changed);
        Interlocked.Exchange(ref changedAt, Stopwatch.GetTimestamp());
        var all = (await Task.WhenAll(writers)).SelectMany(s => s).ToList();
        Assert.Contains(all, s => s.Status == HttpStatusCode.Accepted && s.Began < changedAt);
        return [.. all.Where(s => s.Began > changedAt).Select(s => s.Status)];
    }
}
