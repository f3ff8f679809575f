using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>
/// Stamp reads (<see cref="IRepositoryStamps.CurrentAsync"/>) shared by the pulls of one repository that overlap on this
/// node. At most one read per repository is under way; a pull that arrives meanwhile does not take that read's answer
/// (it was asked before the pull began, so a write ending in between would go unseen) but waits for the next read,
/// which is sent when the current one answers and serves every pull that arrived while it was awaited. Each pull so
/// still gets a stamp read after it began, as <see cref="IRepositoryStamps.CurrentAsync"/> promises, and a node serving
/// many pulls of one repository at once asks the shared store about once per round trip instead of once per pull.
/// A pull that arrives while no read is under way reads at once, as without sharing.
/// </summary>
internal sealed class SharedStampReads(IRepositoryStamps stamps)
{
    /// <summary>The repositories with a read under way, each with the pulls waiting for the read after it (null: none yet).</summary>
    private readonly Dictionary<string, TaskCompletionSource<string?>?> slots = new(StringComparer.Ordinal);

    public Task<string?> CurrentAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        TaskCompletionSource<string?> waiting;
        lock (slots)
        {
            if (slots.TryGetValue(repository.Value, out var next))
            {
                if (next is null)
                {
                    // No RunContinuationsAsynchronously: the pulls continue where the read completes (see ServeAsync).
                    slots[repository.Value] = next = new TaskCompletionSource<string?>();
                }
                return next.Task.WaitAsync(cancellationToken);
            }
            slots.Add(repository.Value, null);
            waiting = new TaskCompletionSource<string?>();
        }
        _ = ServeAsync(repository, waiting);
        return waiting.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Reads for <paramref name="waiting"/>, then for the pulls that arrived meanwhile, until none did. The next read is
    /// sent before the waiting pulls go on: they continue one after another on the thread that received the answer,
    /// instead of a thread woken for each. Not the pulls' tokens: a read serves pulls that are not cancelled too (the
    /// stamps bound their own wait).
    /// </summary>
    private async Task ServeAsync(RepositoryName repository, TaskCompletionSource<string?> waiting)
    {
        var read = Read(repository);
        while (true)
        {
            string? stamp = null;
            Exception? failure = null;
            try
            {
                stamp = await read;
            }
            catch (Exception e)
            {
                // CurrentAsync does not throw for an unreachable store; anything else reaches every pull that waited.
                failure = e;
            }
            TaskCompletionSource<string?>? next;
            lock (slots)
            {
                next = slots[repository.Value];
                if (next is null)
                {
                    slots.Remove(repository.Value);
                }
                else
                {
                    slots[repository.Value] = null;
                }
            }
            if (next is not null)
            {
                read = Read(repository);
            }
            if (failure is null)
            {
                waiting.SetResult(stamp);
            }
            else
            {
                waiting.SetException(failure);
            }
            if (next is null)
            {
                return;
            }
            waiting = next;
        }
    }

    private ValueTask<string?> Read(RepositoryName repository)
    {
        try
        {
            return stamps.CurrentAsync(repository, CancellationToken.None);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<string?>(e);
        }
    }
}
