using System.Collections.Concurrent;
using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Tells the tracker which blobs this agent serves: as soon as it starts fetching one (peers get the pieces it has and
/// a 404 for the rest), then again at half the announcement's lifetime while the cache still holds pieces of it.
/// Failures are logged, never fatal: the tracker being down only makes this agent invisible for a while.
/// </summary>
internal sealed class Announcer(TrackerClient tracker, AgentOptions options, PieceCache cache, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Digest, RepositoryName> held = new();
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private string address = "";

    public void Start(string advertisedAddress)
    {
        address = advertisedAddress;
        loop = RefreshAsync(stopping.Token);
    }

    /// <summary>The address announced for this agent (what peers see it as).</summary>
    public string Address => address;

    /// <summary>Announces the blob now (in the background) and keeps it announced.</summary>
    public void Hold(RepositoryName repository, Digest blob) => _ = HoldAsync(repository, blob);

    /// <summary>
    /// Announces the blob now and keeps it announced. A download awaits this before asking for peers, so of two agents
    /// starting together the later one always finds the earlier.
    /// </summary>
    public Task HoldAsync(RepositoryName repository, Digest blob)
    {
        held[blob] = repository;
        cache.Remember(blob, repository);
        return AnnounceAsync(repository, blob, stopping.Token);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.AnnouncementTtl / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var (blob, repository) in held)
                {
                    if (cache.Holds(blob))
                    {
                        await AnnounceAsync(repository, blob, cancellationToken);
                    }
                    else
                    {
                        held.TryRemove(blob, out _);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AnnounceAsync(RepositoryName repository, Digest blob, CancellationToken cancellationToken)
    {
        try
        {
            await tracker.AnnounceAsync(repository, blob, options.AgentId, address, options.AnnouncementTtl, cancellationToken);
        }
        catch (Exception e) when (e is LaunchException or HttpRequestException or IOException)
        {
            AgentLog.AnnounceFailed(logger, blob.Value, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        stopping.Dispose();
    }
}
