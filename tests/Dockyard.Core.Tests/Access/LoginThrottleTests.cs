using Dockyard.Core.Access;

namespace Dockyard.Core.Tests.Access;

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
    public void Blocks_after_the_maximum_number_of_failures()
    {
        Assert.False(Failed(LoginThrottle.MaxFailures - 1).IsBlocked("alice", "10.0.0.1"));
        var throttle = Failed(LoginThrottle.MaxFailures);
        Assert.True(throttle.IsBlocked("alice", "10.0.0.1"));
        // Per user from anywhere; other users behind the same address are not locked out by one user's failures.
        Assert.True(throttle.IsBlocked("alice", "10.9.9.9"));
        Assert.True(throttle.IsBlocked("alice", null));
        Assert.False(throttle.IsBlocked("bob", "10.0.0.1"));
        Assert.False(throttle.IsBlocked("bob", "10.9.9.9"));
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
    public void A_success_clears_the_users_count_but_not_the_addresses()
    {
        var throttle = Failed(LoginThrottle.MaxFailures - 1);
        throttle.RecordSuccess("alice");
        throttle.RecordFailure("alice", "10.0.0.2");
        Assert.False(throttle.IsBlocked("alice", "10.0.0.2"));
    }

    [Fact]
    public void Without_an_address_only_the_user_counts() =>
        Assert.False(Failed(LoginThrottle.MaxFailures, address: null).IsBlocked("bob", "10.0.0.1"));
}
