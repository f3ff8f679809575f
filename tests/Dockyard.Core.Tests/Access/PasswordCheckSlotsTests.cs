using Dockyard.Core.Access;

namespace Dockyard.Core.Tests.Access;

/// <summary>One password check at a time per user, a fixed number in all, and no slot for a caller that would wait too long.</summary>
public sealed class PasswordCheckSlotsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly PasswordCheckSlots slots = new(2, TimeSpan.Zero);

    [Fact]
    public async Task One_check_at_a_time_per_user()
    {
        using var alice = await slots.EnterAsync("alice", Ct);
        Assert.NotNull(alice);
        Assert.Null(await slots.EnterAsync("alice", Ct));
        using var bob = await slots.EnterAsync("bob", Ct);
        Assert.NotNull(bob);
    }

    [Fact]
    public async Task No_more_checks_than_the_total_and_hashes_of_new_passwords_count_too()
    {
        using var alice = await slots.EnterAsync("alice", Ct);
        using var signUp = await slots.EnterAsync(null, Ct);
        Assert.NotNull(signUp);
        Assert.Null(await slots.EnterAsync("bob", Ct));
        Assert.Null(await slots.EnterAsync(null, Ct));
    }

    [Fact]
    public async Task A_waiting_caller_gets_the_freed_slot_and_a_second_dispose_frees_nothing_more()
    {
        var waiting = new PasswordCheckSlots(1, TimeSpan.FromMinutes(5));
        var first = await waiting.EnterAsync("alice", Ct);
        var second = waiting.EnterAsync("alice", Ct);
        Assert.False(second.IsCompleted);
        first!.Dispose();
        first.Dispose();
        var got = await second;
        Assert.NotNull(got);
        var third = waiting.EnterAsync("bob", Ct);
        Assert.False(third.IsCompleted);
        got.Dispose();
        using var last = await third;
        Assert.NotNull(last);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_slots_as_they_were()
    {
        var waiting = new PasswordCheckSlots(1, TimeSpan.FromMinutes(5));
        using (await waiting.EnterAsync("alice", Ct))
        {
            using var cancel = new CancellationTokenSource();
            var wait = waiting.EnterAsync("alice", cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }
        // Both slots free again: entering does not have to wait at all.
        var after = waiting.EnterAsync("alice", Ct);
        Assert.True(after.IsCompleted);
        using var slot = await after;
        Assert.NotNull(slot);
    }
}
