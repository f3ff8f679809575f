using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// One blob being fetched: the registry's piece hashes, the blob token to show peers (null when the registry issues
/// none: then pieces come from the registry alone) and the peers the tracker named.
/// </summary>
internal sealed record BlobDownload(RepositoryName Repository, BlobPieces Pieces, string? Token, IReadOnlyList<string> Peers)
{
    public Digest Blob => Pieces.Blob;
}
