using System.Diagnostics;

namespace Dockyard.Core.Access;

/// <summary>
/// Bounds the password hashing callers can start (PBKDF2 is slow on purpose, about 0.2 CPU-seconds a run): one check at a
/// time per user name, so concurrent guesses at one user are decided one after another and each sees the failures counted
/// before it, and <see cref="TotalSlots"/> at once in all, so a flood of guesses at many names (or of sign-ups) cannot take
/// every core. A caller that gets no slot within <see cref="WaitLimit"/> is turned away (the HTTP layer answers 429)
/// instead of joining a queue without end.
/// </summary>
public sealed class PasswordCheckSlots
{
    private readonly SemaphoreSlim total;
    private readonly Dictionary<string, UserSlot> users = new(StringComparer.Ordinal);

    /// <summary>As many slots as CPUs, and a ten-second wait: a queue that long is an attack, not a busy minute.</summary>
    public PasswordCheckSlots() : this(Environment.ProcessorCount, TimeSpan.FromSeconds(10))
    {
    }

    public PasswordCheckSlots(int totalSlots, TimeSpan waitLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSlots, 1);
        TotalSlots = totalSlots;
        WaitLimit = waitLimit;
        total = new SemaphoreSlim(totalSlots, totalSlots);
    }

    /// <summary>How many checks or hashes may run at once, over all users.</summary>
    public int TotalSlots { get; }

    /// <summary>How long <see cref="EnterAsync"/> waits for a slot before giving up.</summary>
    public TimeSpan WaitLimit { get; }

    /// <summary>
    /// A slot for one password check of <paramref name="userName"/> (its own slot and one of the total), or, with a null
    /// name, for hashing a new password (one of the total only). Null when none came free within <see cref="WaitLimit"/>.
    /// Disposing the slot frees it.
    /// </summary>
    public async Task<IDisposable?> EnterAsync(string? userName, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var user = userName is null ? null : Join(userName);
        var userEntered = false;
        try
        {
            if (user is not null && !(userEntered = await user.Gate.WaitAsync(WaitLimit, cancellationToken)))
            {
                return null;
            }
            var left = WaitLimit - Stopwatch.GetElapsedTime(start);
            if (!await total.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken))
            {
                return null;
            }
            var slot = new Slot(this, userName, user);
            (user, userEntered) = (null, false);
            return slot;
        }
        finally
        {
            // Reached with a user still set only when no slot is handed out (a timeout or a cancellation).
            if (user is not null)
            {
                if (userEntered)
                {
                    user.Gate.Release();
                }
                Leave(userName!, user);
            }
        }
    }

    private UserSlot Join(string userName)
    {
        lock (users)
        {
            if (!users.TryGetValue(userName, out var user))
            {
                users[userName] = user = new UserSlot();
            }
            user.Holders++;
            return user;
        }
    }

    // A name's slot lives only while someone holds or awaits it, so guesses at endless names leave nothing behind.
    private void Leave(string userName, UserSlot user)
    {
        lock (users)
        {
            if (--user.Holders == 0)
            {
                users.Remove(userName);
            }
        }
    }

    private sealed class UserSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Holders { get; set; }
    }

    private sealed class Slot(PasswordCheckSlots owner, string? userName, UserSlot? user) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }
            owner.total.Release();
            if (user is not null)
            {
                user.Gate.Release();
                owner.Leave(userName!, user);
            }
        }
    }
}
