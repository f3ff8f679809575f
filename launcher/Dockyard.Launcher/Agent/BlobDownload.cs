using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// One blob being fetched: the registry's piece hashes, the blob token to show peers (null when the registry issues
/// none: then pieces come from the registry alone) and the swarm of peers the tracker names as the download runs.
/// </summary>
internal sealed record BlobDownload(RepositoryName Repository, BlobPieces Pieces, string? Token, SwarmView Swarm)
{
    public Digest Blob => Pieces.Blob;
}
