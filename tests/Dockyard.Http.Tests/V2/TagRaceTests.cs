using System.Net;
using System.Text.Json;
using Dockyard.Http.Tests.Auth;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

/// <summary>
/// One tag, pushed while its manifest is deleted by digest and the tag itself is deleted, all at once (a barrier per
/// round, each request on its own connection): no answer is a 5xx, and afterwards every tag the listing shows serves a
/// manifest whose digest also serves it: no tag is left pointing at a missing manifest.
/// </summary>
public sealed class TagRaceTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private const int Rounds = 30;

    [Fact]
    public async Task A_tag_pushed_while_its_manifest_and_the_tag_are_deleted_never_points_at_a_missing_manifest()
    {
        const string Repository = "tagracer/app";
        var owner = await fixture.Auth.AddUserAsync("tagracer");
        var setup = fixture.Auth.Client(owner);
        var config = await PushDescriptorAsync(setup, Repository, OciConfig, """{"architecture":"amd64","os":"linux"}"""u8.ToArray());
        var layer = await PushDescriptorAsync(setup, Repository, OciLayer, RandomBytes(512));
        var statuses = new List<(string, HttpStatusCode)>();

        for (var round = 0; round < Rounds; round++)
        {
            var json = ImageManifestJson(OciManifest, config, [layer], $$"""
                "annotations":{"round":"{{round}}"}
                """);
            var digest = DigestOf(System.Text.Encoding.UTF8.GetBytes(json));
            // Separate clients: each request on its own connection, so they really overlap. The deletes are sent again
            // while they find nothing and the PUT has not answered, so that they land among the PUT's own steps.
            var clients = Enumerable.Range(0, 3).Select(_ => fixture.Auth.Client(owner)).ToArray();
            var putDone = 0;
            using var barrier = new Barrier(3);
            var racing = new Func<Task<(string, HttpStatusCode)>>[]
            {
                async () =>
                {
                    var put = await SendAsync("put", () => PutManifestAsync(clients[0], Repository, "latest", json, OciManifest));
                    Volatile.Write(ref putDone, 1);
                    return put;
                },
                () => UntilFoundAsync("delete digest", () => clients[1].DeleteAsync($"/v2/{Repository}/manifests/{digest}"), () => Volatile.Read(ref putDone) == 1),
                () => UntilFoundAsync("delete tag", () => clients[2].DeleteAsync($"/v2/{Repository}/manifests/latest"), () => Volatile.Read(ref putDone) == 1),
            }.Select(send => Task.Run(() =>
            {
                barrier.SignalAndWait();
                return send();
            }));
            statuses.AddRange(await Task.WhenAll(racing));

            await AssertEveryListedTagServesAsync(setup, Repository);
        }

        Assert.DoesNotContain(statuses, s => (int)s.Item2 >= 500);
        Assert.Contains(statuses, s => s == ("put", HttpStatusCode.Created));
    }

    // Sends again while the answer is 404 and the PUT is still under way; the last answer.
    private static async Task<(string, HttpStatusCode)> UntilFoundAsync(string what, Func<Task<HttpResponseMessage>> send, Func<bool> putAnswered)
    {
        while (true)
        {
            var answer = await SendAsync(what, send);
            if (answer.Item2 != HttpStatusCode.NotFound || putAnswered())
            {
                return answer;
            }
        }
    }

    private static async Task<(string, HttpStatusCode)> SendAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        return (what, response.StatusCode);
    }

    private static async Task AssertEveryListedTagServesAsync(HttpClient client, string repository)
    {
        using var list = await client.GetAsync($"/v2/{repository}/tags/list");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var tags = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        foreach (var tag in tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!))
        {
            using var byTag = await client.GetAsync($"/v2/{repository}/manifests/{tag}");
            Assert.True(byTag.StatusCode == HttpStatusCode.OK, $"tag {tag} is listed but answers {(int)byTag.StatusCode}");
            var digest = byTag.Headers.GetValues("Docker-Content-Digest").Single();
            using var byDigest = await client.GetAsync($"/v2/{repository}/manifests/{digest}");
            Assert.True(byDigest.StatusCode == HttpStatusCode.OK, $"tag {tag} serves {digest}, which answers {(int)byDigest.StatusCode} by digest");
        }
    }
}
