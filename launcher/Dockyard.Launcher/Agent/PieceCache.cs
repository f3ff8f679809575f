using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The agent's verified pieces on disk (<see cref="CachedBlobs"/> for the layout), bounded in size: past the bound,
/// whole blobs go least recently used first. Only pieces that matched the registry's hash are stored, each under a
/// name carrying its SHA-256 and written to a temporary name then renamed, so a reader never sees half a piece. The
/// index is rebuilt from the folder at start (LRU order from the folders' times); a piece whose bytes no longer match
/// its name (disk corruption, a hand edit) is discarded when read, never served. The pieces verified last are also
/// kept in memory (<see cref="RecentPieces"/>, up to <c>memoryBytes</c>): a read of one of those is neither a disk
/// read nor a hash, and returns the very bytes that matched the registry's hash on arrival.
/// </summary>
internal sealed class PieceCache
{
    // The registry's largest piece ([p2p] piecesize): a file past it was not stored by this cache and fails its check.
    private const int MaxPieceBytes = 64 << 20;

    private readonly string root;
    private readonly long maxBytes;
    private readonly Lock gate = new();
    private readonly Dictionary<Digest, Entry> blobs = [];
    private long totalBytes;
    private long clock;
    private readonly RecentPieces recent;

    /// <param name="root">The cache folder.</param>
    /// <param name="maxBytes">The bound on disk.</param>
    /// <param name="memoryBytes">How much of the pieces verified last is also kept in memory; 0 keeps none (every read from disk, checked).</param>
    public PieceCache(string root, long maxBytes, long memoryBytes = 0)
    {
        this.root = Path.GetFullPath(root);
        this.maxBytes = maxBytes;
        recent = new RecentPieces(memoryBytes);
        Directory.CreateDirectory(this.root);
        var restored = CachedBlobs.Load(this.root).OrderBy(b => b.LastUse).ToList();
        foreach (var blob in restored)
        {
            var entry = blobs[blob.Blob] = new Entry { LastUse = ++clock };
            foreach (var (index, (hash, size)) in blob.Pieces)
            {
                entry.Pieces[index] = hash;
                entry.Bytes += size;
            }
            totalBytes += entry.Bytes;
        }
        // A smaller --cache-size than the last run's: the least recently used go now.
        MakeRoom(null, 0);
        Restored = [.. restored.Where(b => b.Repository is not null && Holds(b.Blob)).Select(b => (b.Blob, b.Repository!))];
    }

    /// <summary>The blobs kept from an earlier run with the repository each was fetched through, to announce again.</summary>
    public IReadOnlyList<(Digest Blob, RepositoryName Repository)> Restored { get; }

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

    /// <summary>The indices of the blob's cached pieces (none when it is not cached), for peers deciding whom to ask.</summary>
    public int[] PiecesOf(Digest blob)
    {
        lock (gate)
        {
            return blobs.TryGetValue(blob, out var entry) ? [.. entry.Pieces.Keys] : [];
        }
    }

    /// <summary>Records the repository the blob is fetched through, so a restarted agent can announce it again.</summary>
    public void Remember(Digest blob, RepositoryName repository)
    {
        try
        {
            var folder = FolderOf(blob);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, CachedBlobs.RepositoryFile), repository.Value);
        }
        catch (IOException)
        {
            // Not remembered: after a restart the pieces are still served, only not announced until fetched again.
        }
    }

    /// <summary>The piece's bytes, checked against the hash it was stored under; null when it is not cached (or was corrupt, and is now gone).</summary>
    public Task<byte[]?> ReadAsync(Digest blob, int index, CancellationToken cancellationToken) => ReadAsync(blob, index, null, cancellationToken);

    /// <summary>
    /// The piece's bytes when it is cached under <paramref name="expectedHash"/> (the registry's hash of that piece) and
    /// its bytes still match it, so a caller holding the registry's hashes need not hash them again; else null.
    /// </summary>
    public async Task<byte[]?> ReadAsync(Digest blob, int index, string? expectedHash, CancellationToken cancellationToken) =>
        await ReadCheckedAsync(blob, index, expectedHash, pooled: false, cancellationToken) is { } piece ? piece.Buffer : null;

    /// <summary>The bytes of the pieces kept in memory now (see <see cref="RecentPieces"/>).</summary>
    public long MemoryBytes => recent.Bytes;

    /// <summary>
    /// The piece's bytes, checked as <see cref="ReadAsync(Digest, int, CancellationToken)"/> does: the array kept in
    /// memory, else read from disk into an array of the shared pool (it goes back when the result is disposed), so what a
    /// peer is sent is never allocated anew for each peer. Null when it is not cached (or was corrupt, and is now gone).
    /// </summary>
    public async Task<RentedPiece?> RentAsync(Digest blob, int index, CancellationToken cancellationToken) =>
        await ReadCheckedAsync(blob, index, null, pooled: true, cancellationToken) is { } piece ? new RentedPiece(piece.Buffer, piece.Length, piece.Pooled) : null;

    private async Task<(byte[] Buffer, int Length, bool Pooled)?> ReadCheckedAsync(Digest blob, int index, string? expectedHash, bool pooled,
        CancellationToken cancellationToken)
    {
        string? hash;
        lock (gate)
        {
            if (!blobs.TryGetValue(blob, out var entry) || !entry.Pieces.TryGetValue(index, out hash) || (expectedHash is not null && hash != expectedHash))
            {
                return null;
            }
            entry.LastUse = ++clock;
        }
        if (recent.Get(blob, index, hash) is { } kept)
        {
            return (kept, kept.Length, false);
        }
        byte[]? buffer = null;
        int length;
        try
        {
            await using (var file = new FileStream(PathOf(blob, index, hash), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1,
                FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                length = (int)Math.Min(file.Length, MaxPieceBytes);
                buffer = pooled ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            }
            Directory.SetLastWriteTimeUtc(FolderOf(blob), DateTime.UtcNow);
        }
        catch (IOException)
        {
            // Evicted between the check and the read.
            Return(buffer, pooled);
            return null;
        }
        if (Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length))) == hash)
        {
            return (buffer, length, pooled);
        }
        Return(buffer, pooled);
        Discard(blob, index, hash, length);
        return null;
    }

    private static void Return(byte[]? buffer, bool pooled)
    {
        if (pooled && buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stores a verified piece; false when the bound leaves no room for it even after evicting every other blob.</summary>
    public Task<bool> StoreAsync(Digest blob, int index, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        StoreVerifiedAsync(blob, index, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes.Span)), cancellationToken);

    /// <summary>
    /// Stores a piece the caller has just checked against the registry's <paramref name="hash"/> (lowercase hex SHA-256),
    /// under that name without hashing it again; false when the bound leaves no room for it. When the bytes are a whole
    /// array, that array is also kept in memory among the pieces verified last: the caller must not change it afterwards.
    /// </summary>
    public async Task<bool> StoreVerifiedAsync(Digest blob, int index, ReadOnlyMemory<byte> bytes, string hash, CancellationToken cancellationToken)
    {
        if (!MakeRoom(blob, bytes.Length))
        {
            return false;
        }
        try
        {
            var folder = FolderOf(blob);
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $"{index}.{Guid.NewGuid():N}.tmp");
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, PathOf(blob, index, hash), overwrite: true);
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
        string? replaced = null;
        lock (gate)
        {
            var entry = blobs.TryGetValue(blob, out var existing) ? existing : blobs[blob] = new Entry();
            if (entry.Pieces.TryGetValue(index, out var old))
            {
                // Stored twice by concurrent fetches, or once under another piece size: the room made for the second copy goes back.
                totalBytes -= bytes.Length;
                replaced = old == hash ? null : old;
            }
            else
            {
                entry.Bytes += bytes.Length;
            }
            entry.Pieces[index] = hash;
            entry.LastUse = ++clock;
        }
        if (MemoryMarshal.TryGetArray(bytes, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length)
        {
            recent.Add(blob, index, hash, whole.Array);
        }
        if (replaced is not null)
        {
            File.Delete(PathOf(blob, index, replaced));
        }
        return true;
    }

    private void Discard(Digest blob, int index, string hash, long length)
    {
        recent.Forget(blob, index);
        lock (gate)
        {
            if (blobs.TryGetValue(blob, out var entry) && entry.Pieces.TryGetValue(index, out var current) && current == hash)
            {
                entry.Pieces.Remove(index);
                entry.Bytes -= length;
                totalBytes -= length;
                if (entry.Pieces.Count == 0)
                {
                    blobs.Remove(blob);
                }
            }
        }
        File.Delete(PathOf(blob, index, hash));
    }

    // Reserves the bytes, evicting least recently used blobs other than this one.
    private bool MakeRoom(Digest? blob, long bytes)
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
            recent.Forget(victim);
            try
            {
                Directory.Delete(FolderOf(victim), recursive: true);
            }
            catch (IOException)
            {
                // Gone from the index all the same; what stays on disk is verified pieces the next start reads back.
            }
        }
        return true;
    }

    private string FolderOf(Digest blob) => Path.Combine(root, CachedBlobs.FolderName(blob));

    private string PathOf(Digest blob, int index, string hash) => Path.Combine(FolderOf(blob), CachedBlobs.PieceName(index, hash));

    private sealed class Entry
    {
        public Dictionary<int, string> Pieces { get; } = [];

        public long Bytes { get; set; }

        public long LastUse { get; set; }
    }
}
