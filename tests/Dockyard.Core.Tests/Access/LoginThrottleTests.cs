using Dockyard.Core.Access;

namespace Dockyard.Core.Tests.Access;

/// <summary>Failures count per user and address and per address; a user's failures elsewhere never lock them out.</summary>
public sealed class LoginThrottleTests
{
    private readonly ManualTime time = new();

    private LoginThrottle Failed(int times, string user = "alice", string? address = "10.0.0.1")
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < times; i++)
        {
            throttle.RecordFailure(user, address);
        }
        return throttle;
    }

    [Fact]
    public void Blocks_the_user_from_that_address_after_the_maximum_number_of_failures()
    {
        Assert.False(Failed(LoginThrottle.MaxFailures - 1).IsBlocked("alice", "10.0.0.1"));
        var throttle = Failed(LoginThrottle.MaxFailures);
        Assert.True(throttle.IsBlocked("alice", "10.0.0.1"));
        // Not from elsewhere: failures at another address must not lock the user out of their own.
        Assert.False(throttle.IsBlocked("alice", "10.9.9.9"));
        Assert.False(throttle.IsBlocked("alice", null));
        // Other users behind the same address are not locked out by one user's failures.
        Assert.False(throttle.IsBlocked("bob", "10.0.0.1"));
    }

    [Fact]
    public void Failures_of_one_user_from_many_addresses_block_none_of_the_others()
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < 200; i++)
        {
            throttle.RecordFailure("admin", $"10.1.{i / 250}.{i % 250}");
        }
        Assert.False(throttle.IsBlocked("admin", "10.0.0.1"));
    }

    [Fact]
    public void An_address_guessing_many_names_is_blocked_for_everyone()
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailuresPerAddress - 1; i++)
        {
            throttle.RecordFailure($"user{i}", "10.0.0.1");
        }
        Assert.False(throttle.IsBlocked("dave", "10.0.0.1"));
        throttle.RecordFailure("carol", "10.0.0.1");
        Assert.True(throttle.IsBlocked("dave", "10.0.0.1"));
        Assert.False(throttle.IsBlocked("dave", "10.0.0.2"));
    }

    [Fact]
    public void The_block_ends_when_the_window_passes()
    {
        var throttle = Failed(LoginThrottle.MaxFailures);
        time.Advance(LoginThrottle.Window - TimeSpan.FromSeconds(1));
        Assert.True(throttle.IsBlocked("alice", "10.0.0.1"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.IsBlocked("alice", "10.0.0.1"));
        // A failure after the window starts a new count.
        throttle.RecordFailure("alice", "10.0.0.1");
        Assert.False(throttle.IsBlocked("alice", "10.0.0.1"));
    }

    [Fact]
    public void Failures_spread_beyond_the_window_do_not_add_up()
    {
        var throttle = Failed(LoginThrottle.MaxFailures - 1);
        time.Advance(LoginThrottle.Window);
        throttle.RecordFailure("alice", "10.0.0.1");
        Assert.False(throttle.IsBlocked("alice", "10.0.0.1"));
    }

    [Fact]
    public void A_success_clears_the_users_count_at_that_address_but_not_the_addresses_own()
    {
        var throttle = Failed(LoginThrottle.MaxFailures - 1);
        throttle.RecordSuccess("alice", "10.0.0.1");
        throttle.RecordFailure("alice", "10.0.0.1");
        Assert.False(throttle.IsBlocked("alice", "10.0.0.1"));

        // An attacker's own successful login does not reset the count of the address it guesses from.
        var guesser = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailuresPerAddress - 1; i++)
        {
            guesser.RecordFailure($"user{i}", "10.0.0.3");
        }
        guesser.RecordSuccess("mallory", "10.0.0.3");
        guesser.RecordFailure("carol", "10.0.0.3");
        Assert.True(guesser.IsBlocked("mallory", "10.0.0.3"));
    }

    [Fact]
    public void Without_an_address_the_attempts_count_as_one_unknown_address()
    {
        var throttle = Failed(LoginThrottle.MaxFailures, address: null);
        Assert.True(throttle.IsBlocked("alice", null));
        Assert.False(throttle.IsBlocked("alice", "10.0.0.1"));
    }

    [Fact]
    public void An_ipv6_address_counts_as_its_64_and_an_ipv4_mapped_one_as_ipv4()
    {
        var throttle = Failed(LoginThrottle.MaxFailures, address: "2001:db8:1:2::1");
        Assert.True(throttle.IsBlocked("alice", "2001:db8:1:2:ffff:ffff:ffff:fffe"));
        Assert.False(throttle.IsBlocked("alice", "2001:db8:1:3::1"));

        var mapped = Failed(LoginThrottle.MaxFailures, address: "::ffff:10.0.0.7");
        Assert.True(mapped.IsBlocked("alice", "10.0.0.7"));
    }
}
