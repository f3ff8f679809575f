using System.Net;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The agent's registry endpoint is pull-only for anyone on the host: it asks the registry, with the agent user's
/// credentials, for manifests by a tag or a digest and nothing else. A reference that is neither (dot segments written
/// with backslashes, which the HTTP client turns into slashes, and a query) is refused before the registry is asked.
/// </summary>
public sealed class MirrorReferenceTests
{
    private static readonly byte[] Layer = TestBlobs.Random(1000, seed: 61);

    [Theory]
    [InlineData("..%5C..%5C..%5C..%5Cuam%5Cauth%3Fscope=registry:account:*")]
    [InlineData("..%5C..%5C..%5C..%5Cuam%5Cauth%3Fscope=repository:alice%252Fapp:push,pull,delete")]
    [InlineData("..%5C..%5C..%5C..%5Cuam%5Cuser%5Calice")]
    [InlineData("latest%3Fn=1")]
    public async Task A_manifest_reference_that_is_neither_a_tag_nor_a_digest_is_refused_without_asking_the_registry(string reference)
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        // A pull first, as on any host using its agent: the agent keeps a pull token for alice/app.
        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));
        using var local = new HttpClient { BaseAddress = agent.MirrorAddress };

        // Before, the token endpoint refused the agent's pull token with a Basic challenge, the agent answered it with
        // alice's password, and the local process got a token for her account (or push and delete on her repository).
        using var response = await local.GetAsync($"/v2/alice/app/manifests/{reference}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode} {body}");
        Assert.Contains("\"errors\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"email\"", body, StringComparison.OrdinalIgnoreCase);
    }
}
