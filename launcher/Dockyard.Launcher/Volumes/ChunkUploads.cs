using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The chunk uploads of one snapshot, at most <see cref="Parallel"/> at once: a chunk the registry is known to hold (the
/// previous version's, or one queued earlier in this snapshot) is skipped; any other is asked for with HEAD and uploaded
/// when missing. Each queued chunk is copied out of the chunker's buffer, so memory stays at most
/// <see cref="Parallel"/> chunks (16 MiB) beyond the chunker's own. <see cref="CompleteAsync"/> waits for them all.
/// </summary>
internal sealed class ChunkUploads(VolumeRegistry registry, HashSet<string> present) : IAsyncDisposable
{
    public const int Parallel = 4;
    private readonly SemaphoreSlim slots = new(Parallel, Parallel);
    private readonly List<Task> running = [];

    /// <summary>Starts uploading <paramref name="content"/> unless it is known to be there; waits while all slots are busy.</summary>
    public async Task QueueAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (!present.Add(digest.Value))
        {
            return;
        }
        await slots.WaitAsync(cancellationToken);
        var copy = content.ToArray();
        running.Add(Task.Run(async () =>
        {
            try
            {
                if (!await registry.HasBlobAsync(digest, cancellationToken))
                {
                    await registry.PushBlobAsync(digest, copy, cancellationToken);
                }
            }
            finally
            {
                slots.Release();
            }
        }, cancellationToken));
        // A failed upload fails the snapshot at the next chunk rather than after the whole volume was read.
        if (running.Find(t => t.IsFaulted || t.IsCanceled) is { } failed)
        {
            await failed;
        }
        running.RemoveAll(t => t.IsCompletedSuccessfully);
    }

    /// <summary>Waits for every upload; the first failure is thrown.</summary>
    public async Task CompleteAsync()
    {
        await Task.WhenAll(running);
        running.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception e) when (e is LaunchException or HttpRequestException or OperationCanceledException)
        {
            // Already thrown to the snapshot by QueueAsync or CompleteAsync; here only no upload may outlive it.
        }
        slots.Dispose();
    }
}
