using Dockyard.Core.Access;

namespace Dockyard.Core.Tests.Access;

/// <summary>Failures count per user and address and per address; a user's failures elsewhere never lock them out.</summary>
public sealed class LoginThrottleTests
{
    private readonly ManualTime time = new();

    private async Task<LoginThrottle> Failed(int times, string user = "alice", string? address = "10.0.0.1")
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < times; i++)
        {
            await throttle.RecordFailureAsync(user, address, default);
        }
        return throttle;
    }

    [Fact]
    public async Task Blocks_the_user_from_that_address_after_the_maximum_number_of_failures()
    {
        Assert.False(await (await Failed(LoginThrottle.MaxFailures - 1)).IsBlockedAsync("alice", "10.0.0.1", default));
        var throttle = await Failed(LoginThrottle.MaxFailures);
        Assert.True(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));
        // Not from elsewhere: failures at another address must not lock the user out of their own.
        Assert.False(await throttle.IsBlockedAsync("alice", "10.9.9.9", default));
        Assert.False(await throttle.IsBlockedAsync("alice", null, default));
        // Other users behind the same address are not locked out by one user's failures.
        Assert.False(await throttle.IsBlockedAsync("bob", "10.0.0.1", default));
    }

    [Fact]
    public async Task Failures_of_one_user_from_many_addresses_block_none_of_the_others()
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < 200; i++)
        {
            await throttle.RecordFailureAsync("admin", $"10.1.{i / 250}.{i % 250}", default);
        }
        Assert.False(await throttle.IsBlockedAsync("admin", "10.0.0.1", default));
    }

    [Fact]
    public async Task An_address_guessing_many_names_is_blocked_for_everyone()
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailuresPerAddress - 1; i++)
        {
            await throttle.RecordFailureAsync($"user{i}", "10.0.0.1", default);
        }
        Assert.False(await throttle.IsBlockedAsync("dave", "10.0.0.1", default));
        await throttle.RecordFailureAsync("carol", "10.0.0.1", default);
        Assert.True(await throttle.IsBlockedAsync("dave", "10.0.0.1", default));
        Assert.False(await throttle.IsBlockedAsync("dave", "10.0.0.2", default));
    }

    [Fact]
    public async Task The_block_ends_when_the_window_passes()
    {
        var throttle = await Failed(LoginThrottle.MaxFailures);
        time.Advance(LoginThrottle.Window - TimeSpan.FromSeconds(1));
        Assert.True(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));
        // A failure after the window starts a new count.
        await throttle.RecordFailureAsync("alice", "10.0.0.1", default);
        Assert.False(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));
    }

    [Fact]
    public async Task Failures_spread_beyond_the_window_do_not_add_up()
    {
        var throttle = await Failed(LoginThrottle.MaxFailures - 1);
        time.Advance(LoginThrottle.Window);
        await throttle.RecordFailureAsync("alice", "10.0.0.1", default);
        Assert.False(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));
    }

    [Fact]
    public async Task A_success_clears_the_users_count_at_that_address_but_not_the_addresses_own()
    {
        var throttle = await Failed(LoginThrottle.MaxFailures - 1);
        await throttle.RecordSuccessAsync("alice", "10.0.0.1", default);
        await throttle.RecordFailureAsync("alice", "10.0.0.1", default);
        Assert.False(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));

        // An attacker's own successful login does not reset the count of the address it guesses from.
        var guesser = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailuresPerAddress - 1; i++)
        {
            await guesser.RecordFailureAsync($"user{i}", "10.0.0.3", default);
        }
        await guesser.RecordSuccessAsync("mallory", "10.0.0.3", default);
        await guesser.RecordFailureAsync("carol", "10.0.0.3", default);
        Assert.True(await guesser.IsBlockedAsync("mallory", "10.0.0.3", default));
    }

    [Fact]
    public async Task Without_an_address_the_attempts_count_as_one_unknown_address()
    {
        var throttle = await Failed(LoginThrottle.MaxFailures, address: null);
        Assert.True(await throttle.IsBlockedAsync("alice", null, default));
        Assert.False(await throttle.IsBlockedAsync("alice", "10.0.0.1", default));
    }

    [Fact]
    public async Task An_ipv6_address_counts_as_its_64_and_an_ipv4_mapped_one_as_ipv4()
    {
        var throttle = await Failed(LoginThrottle.MaxFailures, address: "2001:db8:1:2::1");
        Assert.True(await throttle.IsBlockedAsync("alice", "2001:db8:1:2:ffff:ffff:ffff:fffe", default));
        Assert.False(await throttle.IsBlockedAsync("alice", "2001:db8:1:3::1", default));

        var mapped = await Failed(LoginThrottle.MaxFailures, address: "::ffff:10.0.0.7");
        Assert.True(await mapped.IsBlockedAsync("alice", "10.0.0.7", default));
    }
}
