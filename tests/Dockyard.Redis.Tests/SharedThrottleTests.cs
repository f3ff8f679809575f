using System.Net;
using Dockyard.Core.Access;

namespace Dockyard.Redis.Tests;

/// <summary>With <c>[db] redis</c> set, failed logins on every node add up to one throttle.</summary>
public sealed class SharedThrottleTests
{
    private const int Database = 1;

    [Fact]
    public async Task Failures_on_node_a_and_node_b_add_up_to_one_throttle()
    {
        await using var nodes = await TwoNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var user = await nodes.AddUserAsync("guessed", "right-password");

        // Half the allowance on each node: alone, neither would throttle.
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(i % 2 == 0 ? nodes.A : nodes.B, user, $"guess-{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await TwoNodes.LoginAsync(nodes.A, user, "right-password"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TwoNodes.LoginAsync(nodes.B, user, "right-password"));
    }

    [Fact]
    public async Task A_success_on_one_node_clears_the_users_count_on_the_other()
    {
        await using var nodes = await TwoNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var user = await nodes.AddUserAsync("forgetful", "right-password");
        for (var i = 0; i < LoginThrottle.MaxFailures - 1; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(nodes.A, user, $"guess-{i}"));
        }

        Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.B, user, "right-password"));

        // Had B's success not cleared the shared count, this failure would be the tenth and block the next login on A.
        Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(nodes.A, user, "one-more-guess"));
        Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.A, user, "right-password"));
    }
}
