using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// One blob being fetched: the registry's piece hashes, the blob token to show peers (null when the registry issues
/// none: then pieces come from the registry alone) and what is known of the swarm's peers and their pieces as the
/// download runs.
/// </summary>
internal sealed record BlobDownload(RepositoryName Repository, BlobPieces Pieces, string? Token, SwarmHoldings Holdings)
{
    public Digest Blob => Pieces.Blob;

    public SwarmView Swarm => Holdings.Swarm;
}
