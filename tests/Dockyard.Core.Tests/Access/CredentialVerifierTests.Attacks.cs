using Dockyard.Core.Access;

namespace Dockyard.Core.Tests.Access;

/// <summary>Guessing cannot lock a user out of their own address, and concurrent guesses cannot buy more password checks.</summary>
public sealed partial class CredentialVerifierTests
{
    [Fact]
    public async Task A_victim_signs_in_from_their_own_address_while_an_attacker_fails_from_another()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Null((await verifier.VerifyAsync("alice", $"guess-{i}", "10.6.6.6", CancellationToken.None)).Principal);
        }
        Assert.True((await verifier.VerifyAsync("alice", "password-1", "10.6.6.6", CancellationToken.None)).Throttled);

        var victim = await verifier.VerifyAsync("alice", "password-1", "10.0.0.1", CancellationToken.None);
        Assert.False(victim.Throttled);
        Assert.Equal("alice", victim.Principal?.UserName);
    }

    [Fact]
    public async Task Concurrent_wrong_passwords_run_no_more_checks_than_the_failures_allowed()
    {
        users.Latency = TimeSpan.FromMilliseconds(20);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 49).Select(i =>
            Task.Run(() => verifier.VerifyAsync("alice", $"guess-{i}", "10.6.6.6", CancellationToken.None))));

        Assert.All(attempts, a => Assert.Null(a.Principal));
        Assert.InRange(verifier.PasswordChecks, 1, LoginThrottle.MaxFailures);
        Assert.Equal(49 - verifier.PasswordChecks, attempts.Count(a => a.Throttled));
    }

    [Fact]
    public async Task A_check_that_gets_no_slot_in_time_is_refused_without_hashing()
    {
        var slots = new PasswordCheckSlots(1, TimeSpan.Zero);
        var limited = new CredentialVerifier(new FakeAccounts(users), new LoginThrottle(time), time, slots: slots);
        using (await slots.EnterAsync("alice", CancellationToken.None))
        {
            Assert.True((await limited.VerifyAsync("alice", "password-1", "10.0.0.1", CancellationToken.None)).Throttled);
            // The total is taken too, so other users wait as well.
            Assert.True((await limited.VerifyAsync("bob", "password-1", "10.0.0.1", CancellationToken.None)).Throttled);
        }
        Assert.Equal(0, limited.PasswordChecks);
        Assert.NotNull((await limited.VerifyAsync("alice", "password-1", "10.0.0.1", CancellationToken.None)).Principal);
        Assert.Equal(1, limited.PasswordChecks);
    }

    [Fact]
    public async Task A_remembered_success_needs_no_slot_and_no_check()
    {
        var slots = new PasswordCheckSlots(1, TimeSpan.Zero);
        var limited = new CredentialVerifier(new FakeAccounts(users), new LoginThrottle(time), time, slots: slots);
        Assert.NotNull((await limited.VerifyAsync("alice", "password-1", "10.0.0.1", CancellationToken.None)).Principal);
        using (await slots.EnterAsync("alice", CancellationToken.None))
        {
            Assert.NotNull((await limited.VerifyAsync("alice", "password-1", "10.0.0.1", CancellationToken.None)).Principal);
        }
        Assert.Equal(1, limited.PasswordChecks);
    }

    [Fact]
    public async Task An_address_that_failed_for_many_names_is_refused_for_every_name()
    {
        for (var i = 0; i < LoginThrottle.MaxFailuresPerAddress; i++)
        {
            users.Put($"user{i}", "password-1");
            Assert.False((await verifier.VerifyAsync($"user{i}", "wrong", "10.6.6.6", CancellationToken.None)).Throttled);
        }
        Assert.True((await verifier.VerifyAsync("alice", "password-1", "10.6.6.6", CancellationToken.None)).Throttled);
        Assert.NotNull((await verifier.VerifyAsync("alice", "password-1", "10.0.0.1", CancellationToken.None)).Principal);
    }
}
