using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>The agent's log lines: what it fell back on and which peers misbehaved.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId}: registry endpoint http://{Listen}, peer endpoint {Advertise}, cache {Cache} ({CacheMiB} MiB)")]
    public static partial void Started(ILogger logger, string agentId, string listen, string advertise, string cache, long cacheMiB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "peer {Peer} sent a corrupt piece {Index} of {Blob}: discarded, peer banned")]
    public static partial void CorruptPiece(ILogger logger, string peer, int index, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "peer {Peer} failed piece {Index} of {Blob}: {Reason}")]
    public static partial void PeerFailed(ILogger logger, string peer, int index, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "peer {Peer} gave no bitfield of {Blob}: {Reason}")]
    public static partial void BitfieldFailed(ILogger logger, string peer, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the tracker is unavailable for {Blob} ({Reason}): pulling from the registry")]
    public static partial void TrackerUnavailable(ILogger logger, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "announcing {Blob} failed: {Reason}")]
    public static partial void AnnounceFailed(ILogger logger, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob}: {Pieces} pieces, {FromPeers} bytes from peers, {FromRegistry} from the registry")]
    public static partial void Delivered(ILogger logger, string blob, int pieces, long fromPeers, long fromRegistry);
}
