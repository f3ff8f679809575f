using System.Net;
using System.Net.Http.Headers;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Cluster.Tests;

/// <summary>An upload session lives in the shared stores, so any node continues what another started.</summary>
public abstract partial class ClusterTests<TFixture>
{
    [Fact]
    public async Task An_upload_started_on_node_1_continues_on_node_2_and_finishes_on_node_3()
    {
        var cluster = fixture.Require();
        const int Chunk = 1_000_000;
        var blob = new byte[3 * Chunk];
        Random.Shared.NextBytes(blob);
        var digest = OciBlob.DigestOf(blob);
        var repository = Repository("uploads/chunked");
        using var node1 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 0);
        using var node2 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 1);
        using var node3 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 2);

        using var started = await node1.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = PathOf(started.Headers.Location!);
        location = await PatchAsync(node2, location, blob, 0, Chunk);
        location = await PatchAsync(node3, location, blob, Chunk, Chunk);
        // Node 1 reports what nodes 2 and 3 received.
        using (var status = await node1.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{2 * Chunk - 1}", status.Headers.GetValues("Range").Single());
        }
        location = await PatchAsync(node2, location, blob, 2 * Chunk, Chunk);
        var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using (var finished = await node3.PutAsync($"{location}{separator}digest={digest}", null))
        {
            Assert.True(finished.StatusCode == HttpStatusCode.Created, $"{(int)finished.StatusCode} {await finished.Content.ReadAsStringAsync()}");
        }

        foreach (var node in new[] { node1, node2, node3 })
        {
            Assert.Equal(blob, await node.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}"));
        }
    }

    /// <summary>One chunk with its Content-Range; asserts 202 and the new Range; returns the next location.</summary>
    private static async Task<string> PatchAsync(HttpClient client, string location, byte[] blob, int start, int length)
    {
        using var content = new ByteArrayContent(blob, start, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
        using var patched = await client.PatchAsync(location, content);
        Assert.True(patched.StatusCode == HttpStatusCode.Accepted, $"PATCH {location}: {(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
        Assert.Equal($"0-{start + length - 1}", patched.Headers.GetValues("Range").Single());
        return PathOf(patched.Headers.Location!);
    }

    private static string PathOf(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
