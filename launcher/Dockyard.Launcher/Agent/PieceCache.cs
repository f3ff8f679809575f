using System.Text.RegularExpressions;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The agent's verified pieces on disk (<c>&lt;cache&gt;/&lt;algorithm&gt;-&lt;hex&gt;/&lt;index&gt;</c>), bounded in size:
/// past the bound, whole blobs go least recently used first. Only pieces that matched the registry's hash are stored,
/// and each is written to a temporary name and renamed, so a reader never sees half a piece. The folder is emptied at
/// start (only its own
/// <c>&lt;algorithm&gt;-&lt;hex&gt;</c> folders, whatever else the folder holds): the index lives in memory.
/// </summary>
internal sealed partial class PieceCache
{
    private readonly string root;
    private readonly long maxBytes;
    private readonly Lock gate = new();
    private readonly Dictionary<Digest, Entry> blobs = [];
    private long totalBytes;
    private long clock;

    public PieceCache(string root, long maxBytes)
    {
        this.root = Path.GetFullPath(root);
        this.maxBytes = maxBytes;
        Directory.CreateDirectory(this.root);
        // Only what this cache writes goes: --cache may name a folder that holds other things.
        foreach (var folder in Directory.EnumerateDirectories(this.root).Where(f => PieceFolder().IsMatch(Path.GetFileName(f))))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("^(sha256|sha512)-[0-9a-f]+\\z")]
    private static partial Regex PieceFolder();

    public long TotalBytes
    {
        get
        {
            lock (gate)
            {
                return totalBytes;
            }
        }
    }

    /// <summary>True while at least one piece of the blob is cached.</summary>
    public bool Holds(Digest blob)
    {
        lock (gate)
        {
            return blobs.ContainsKey(blob);
        }
    }

    /// <summary>The piece's bytes; null when it is not cached.</summary>
    public async Task<byte[]?> ReadAsync(Digest blob, int index, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!blobs.TryGetValue(blob, out var entry) || !entry.Pieces.Contains(index))
            {
                return null;
            }
            entry.LastUse = ++clock;
        }
        try
        {
            return await File.ReadAllBytesAsync(PathOf(blob, index), cancellationToken);
        }
        catch (IOException)
        {
            // Evicted between the check and the read.
            return null;
        }
    }

    /// <summary>Stores a verified piece; false when the bound leaves no room for it even after evicting every other blob.</summary>
    public async Task<bool> StoreAsync(Digest blob, int index, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!MakeRoom(blob, bytes.Length))
        {
            return false;
        }
        try
        {
            var folder = Path.Combine(root, $"{blob.Algorithm}-{blob.Hex}");
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $"{index}.{Guid.NewGuid():N}.tmp");
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, PathOf(blob, index), overwrite: true);
        }
        catch (IOException)
        {
            // The disk is full, or the blob was evicted while this piece was written: it is simply not cached.
            lock (gate)
            {
                totalBytes -= bytes.Length;
            }
            return false;
        }
        lock (gate)
        {
            var entry = blobs.TryGetValue(blob, out var existing) ? existing : blobs[blob] = new Entry();
            if (entry.Pieces.Add(index))
            {
                entry.Bytes += bytes.Length;
            }
            else
            {
                // Stored twice by concurrent fetches: the room made for the second copy goes back.
                totalBytes -= bytes.Length;
            }
            entry.LastUse = ++clock;
        }
        return true;
    }

    // Reserves the bytes, evicting least recently used blobs other than this one.
    private bool MakeRoom(Digest blob, long bytes)
    {
        List<Digest> evicted = [];
        lock (gate)
        {
            while (totalBytes + bytes > maxBytes)
            {
                var victim = blobs.Where(b => b.Key != blob).OrderBy(b => b.Value.LastUse).Select(b => b.Key).FirstOrDefault();
                if (victim is null)
                {
                    return false;
                }
                totalBytes -= blobs[victim].Bytes;
                blobs.Remove(victim);
                evicted.Add(victim);
            }
            totalBytes += bytes;
        }
        foreach (var victim in evicted)
        {
            try
            {
                Directory.Delete(Path.Combine(root, $"{victim.Algorithm}-{victim.Hex}"), recursive: true);
            }
            catch (IOException)
            {
                // A reader holds a piece open; the folder is gone from the index, its files go with the next eviction or start.
            }
        }
        return true;
    }

    private string PathOf(Digest blob, int index) => Path.Combine(root, $"{blob.Algorithm}-{blob.Hex}", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private sealed class Entry
    {
        public HashSet<int> Pieces { get; } = [];

        public long Bytes { get; set; }

        public long LastUse { get; set; }
    }
}
