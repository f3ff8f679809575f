namespace Dockyard.Launcher.Agent;

/// <summary>What an agent moved, for its log, the benchmark and tests (read with <see cref="Interlocked"/> semantics).</summary>
internal sealed class AgentStats
{
    private long fromPeers, fromRegistry, servedToPeers, badPieces, peerFailures, slowPeers;

    public long BytesFromPeers => Interlocked.Read(ref fromPeers);

    public long BytesFromRegistry => Interlocked.Read(ref fromRegistry);

    public long BytesServedToPeers => Interlocked.Read(ref servedToPeers);

    /// <summary>Pieces a peer sent that did not match the registry's hash (each one discarded).</summary>
    public long BadPieces => Interlocked.Read(ref badPieces);

    /// <summary>Piece requests to peers that failed (refused, cut off, timed out).</summary>
    public long PeerFailures => Interlocked.Read(ref peerFailures);

    /// <summary>Pieces this agent stopped sending because the asker did not take them within the upload deadline.</summary>
    public long SlowPeersCutOff => Interlocked.Read(ref slowPeers);

    public void FromPeer(long bytes) => Interlocked.Add(ref fromPeers, bytes);

    public void FromRegistry(long bytes) => Interlocked.Add(ref fromRegistry, bytes);

    public void ServedToPeer(long bytes) => Interlocked.Add(ref servedToPeers, bytes);

    public void BadPiece() => Interlocked.Increment(ref badPieces);

    public void PeerFailure() => Interlocked.Increment(ref peerFailures);

    public void SlowPeer() => Interlocked.Increment(ref slowPeers);
}
