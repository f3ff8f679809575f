using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class TagListTests
{
    private static readonly string[] Tags = ["v1", "latest", "1.0", "V2", "beta_1", "alpha"];

    [Fact]
    public async Task Lists_tags_in_lexical_order()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", Tags);

        using var response = await server.Client.GetAsync("/v2/app/tags/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        // Sent whole with its length, not chunked.
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        var (name, tags) = await ReadAsync(response);
        Assert.Equal("app", name);
        Assert.Equal(Tags.Order(StringComparer.Ordinal), tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Pages_with_n_and_last_and_a_link_only_when_truncated()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", Tags);
        var expected = Tags.Order(StringComparer.Ordinal).ToList();

        using var first = await server.Client.GetAsync("/v2/app/tags/list?n=2");
        Assert.Equal(expected[..2], (await ReadAsync(first)).Tags);
        var link = Header(first, "Link");
        Assert.Matches("^<[^>]+>; rel=\"next\"$", link);
        var next = link[1..link.IndexOf('>')];
        Assert.Contains("n=2", next);
        Assert.Contains($"last={expected[1]}", next);

        using var second = await server.Client.GetAsync(next);
        Assert.Equal(expected[2..4], (await ReadAsync(second)).Tags);
        Assert.True(second.Headers.Contains("Link"));

        using var last = await server.Client.GetAsync($"/v2/app/tags/list?n=2&last={expected[3]}");
        Assert.Equal(expected[4..], (await ReadAsync(last)).Tags);
        Assert.False(last.Headers.Contains("Link"));
    }

    [Fact]
    public async Task A_tag_pushed_or_deleted_shows_in_the_next_list()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", ["a", "c"]);
        using (var before = await server.Client.GetAsync("/v2/app/tags/list"))
        {
            Assert.Equal(["a", "c"], (await ReadAsync(before)).Tags);
        }

        await PushTagsAsync(server.Client, "app", ["b"]);
        using (var pushed = await server.Client.GetAsync("/v2/app/tags/list"))
        {
            Assert.Equal(["a", "b", "c"], (await ReadAsync(pushed)).Tags);
        }
        using (var delete = await server.Client.DeleteAsync("/v2/app/manifests/a"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        using var deleted = await server.Client.GetAsync("/v2/app/tags/list?n=1");
        Assert.Equal(["b"], (await ReadAsync(deleted)).Tags);
        Assert.Contains("last=b", Header(deleted, "Link"));
    }

    [Fact]
    public async Task A_tag_deleted_by_another_writer_of_the_file_is_gone_from_the_next_list()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", ["a", "b"]);
        for (var i = 0; i < 2; i++)
        {
            using var listed = await server.Client.GetAsync("/v2/app/tags/list");
            Assert.Equal(["a", "b"], (await ReadAsync(listed)).Tags);
        }

        // Another writer with connections of its own, as the dockyard CLI's local commands are.
        using (var other = new SqliteDatabase(Path.Combine(server.DataPath, "metadata.db")))
        {
            Assert.True(await new SqliteMetadataStore(other).Tags.DeleteAsync(RepositoryName.Parse("app"), "a", CancellationToken.None));
        }

        using var response = await server.Client.GetAsync("/v2/app/tags/list");
        Assert.Equal(["b"], (await ReadAsync(response)).Tags);
    }

    [Fact]
    public async Task Last_itself_is_never_returned()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", Tags);
        var expected = Tags.Order(StringComparer.Ordinal).ToList();

        using var response = await server.Client.GetAsync($"/v2/app/tags/list?last={expected[2]}");

        Assert.Equal(expected[3..], (await ReadAsync(response)).Tags);
    }

    [Fact]
    public async Task Last_that_is_not_a_tag_starts_after_it()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", ["a", "c", "e"]);
        using var response = await server.Client.GetAsync("/v2/app/tags/list?last=b");
        Assert.Equal(["c", "e"], (await ReadAsync(response)).Tags);
    }

    [Fact]
    public async Task N_equal_to_the_count_has_no_link()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", ["a", "b"]);
        using var response = await server.Client.GetAsync("/v2/app/tags/list?n=2");
        Assert.Equal(["a", "b"], (await ReadAsync(response)).Tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task N_zero_answers_an_empty_list()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", ["a"]);
        using var response = await server.Client.GetAsync("/v2/app/tags/list?n=0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await ReadAsync(response)).Tags);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task Invalid_n_answers_400(string n)
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "app", ["a"]);
        using var response = await server.Client.GetAsync($"/v2/app/tags/list?n={n}");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Unknown_repository_answers_404_name_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/v2/nothing/here/tags/list");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Deep_repository_names_list_their_tags()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushTagsAsync(server.Client, "a/b/c/d", ["x"]);
        using var response = await server.Client.GetAsync("/v2/a/b/c/d/tags/list");
        var (name, tags) = await ReadAsync(response);
        Assert.Equal("a/b/c/d", name);
        Assert.Equal(["x"], tags);
    }

    /// <summary>Pushes one image and tags it with every name in <paramref name="tags"/>.</summary>
    internal static async Task PushTagsAsync(HttpClient client, string repository, IEnumerable<string> tags)
    {
        var config = await PushDescriptorAsync(client, repository, OciConfig, Encoding.UTF8.GetBytes("{}"));
        var json = ImageManifestJson(OciManifest, config, []);
        foreach (var tag in tags)
        {
            await PushManifestAsync(client, repository, tag, json, OciManifest);
        }
    }

    private static async Task<(string Name, List<string> Tags)> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (root.GetProperty("name").GetString()!, root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList());
    }
}
