using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The pieces this agent verified last, kept in memory up to a byte bound (the least recently used go first): the
/// pieces that arrived ahead of the engine's stream and the ones peers ask for most (those that just arrived) are then
/// neither read back from disk nor hashed again. Only a piece that matched the registry's hash on arrival is added,
/// with that hash, and its array is never written again; a read asks for the hash it expects, so a piece stored anew
/// under another hash is never answered with the old bytes.
/// </summary>
internal sealed class RecentPieces(long maxBytes)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(Digest Blob, int Index), LinkedListNode<Kept>> kept = [];
    // Most recently used first.
    private readonly LinkedList<Kept> order = new();
    private long bytes;

    /// <summary>The bytes held now (at most the bound).</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>Keeps a verified piece; <paramref name="piece"/> must not be changed afterwards. A piece larger than the bound is not kept.</summary>
    public void Add(Digest blob, int index, string hash, byte[] piece)
    {
        if (piece.Length > maxBytes)
        {
            return;
        }
        lock (gate)
        {
            if (kept.Remove((blob, index), out var old))
            {
                Drop(old);
            }
            kept[(blob, index)] = order.AddFirst(new Kept(blob, index, hash, piece));
            bytes += piece.Length;
            while (bytes > maxBytes && order.Last is { } last)
            {
                kept.Remove((last.Value.Blob, last.Value.Index));
                Drop(last);
            }
        }
    }

    /// <summary>The piece's bytes when it is kept under <paramref name="hash"/>; null otherwise. The array is shared: read it only.</summary>
    public byte[]? Get(Digest blob, int index, string hash)
    {
        lock (gate)
        {
            if (!kept.TryGetValue((blob, index), out var node) || node.Value.Hash != hash)
            {
                return null;
            }
            order.Remove(node);
            order.AddFirst(node);
            return node.Value.Bytes;
        }
    }

    /// <summary>Drops one piece (discarded from the cache).</summary>
    public void Forget(Digest blob, int index)
    {
        lock (gate)
        {
            if (kept.Remove((blob, index), out var node))
            {
                Drop(node);
            }
        }
    }

    /// <summary>Drops every piece of the blob (evicted from the cache).</summary>
    public void Forget(Digest blob)
    {
        lock (gate)
        {
            for (var node = order.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Blob == blob)
                {
                    kept.Remove((blob, node.Value.Index));
                    Drop(node);
                }
                node = next;
            }
        }
    }

    private void Drop(LinkedListNode<Kept> node)
    {
        order.Remove(node);
        bytes -= node.Value.Bytes.Length;
    }

    private sealed record Kept(Digest Blob, int Index, string Hash, byte[] Bytes);
}
