using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The <see cref="BlobTokenVerifier"/> built from the registry's <c>/p2p/v1/keys</c>, fetched on first need and again
/// after a failure at most every half minute (a registry that is down must not be asked on every peer request).
/// </summary>
internal sealed class TokenKeySource(TrackerClient tracker, TimeProvider time)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);
    // Any valid name: the keys route takes no repository, the client only needs one to scope its authorization.
    private static readonly RepositoryName KeysScope = RepositoryName.Parse("p2p/keys");
    private readonly SemaphoreSlim gate = new(1, 1);
    private BlobTokenVerifier? verifier;
    private DateTimeOffset nextTry = DateTimeOffset.MinValue;

    /// <summary>The verifier; null while the registry's keys cannot be had (peers are then refused every piece).</summary>
    public async Task<BlobTokenVerifier?> GetAsync(CancellationToken cancellationToken)
    {
        if (verifier is not null || time.GetUtcNow() < nextTry)
        {
            return verifier;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (verifier is null && time.GetUtcNow() >= nextTry)
            {
                try
                {
                    var (issuer, audience, keys) = await tracker.GetKeysAsync(KeysScope, cancellationToken);
                    verifier = keys.Count > 0 ? new BlobTokenVerifier(issuer, audience, keys) : null;
                }
                catch (Exception e) when (e is LaunchException or HttpRequestException or KeyNotFoundException or InvalidOperationException)
                {
                    verifier = null;
                }
                nextTry = time.GetUtcNow() + RetryAfter;
            }
            return verifier;
        }
        finally
        {
            gate.Release();
        }
    }
}
