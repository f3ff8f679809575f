namespace Dockyard.Local.Caching;

/// <summary>
/// The files of the read cache with their sizes and last use, bounded in total size: adding past the bound evicts the
/// least recently used files (deleting a file being read is safe on POSIX; the reader keeps its handle).
/// </summary>
internal sealed class CacheIndex
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly long maxBytes;
    private long totalBytes;
    private long clock;

    /// <summary>Indexes the files already in the cache, oldest write first, evicting past the bound.</summary>
    public CacheIndex(IEnumerable<FileInfo> existing, long maxBytes)
    {
        this.maxBytes = maxBytes;
        foreach (var file in existing.OrderBy(f => f.LastWriteTimeUtc))
        {
            Add(file.FullName, file.Length);
        }
    }

    public long TotalBytes
    {
        get
        {
            lock (entries)
            {
                return totalBytes;
            }
        }
    }

    /// <summary>Marks a file as just used; false when the index does not hold it (evicted, or never cached).</summary>
    public bool Touch(string path)
    {
        lock (entries)
        {
            if (!entries.TryGetValue(path, out var entry))
            {
                return false;
            }
            entry.LastUse = ++clock;
            return true;
        }
    }

    /// <summary>Records a file just moved into the cache, then evicts the least recently used ones past the bound.</summary>
    public void Add(string path, long size)
    {
        List<string> evicted = [];
        lock (entries)
        {
            if (entries.TryGetValue(path, out var old))
            {
                totalBytes -= old.Size;
            }
            entries[path] = new Entry { Size = size, LastUse = ++clock };
            totalBytes += size;
            while (totalBytes > maxBytes && entries.Count > 0)
            {
                var oldest = entries.MinBy(e => e.Value.LastUse);
                entries.Remove(oldest.Key);
                totalBytes -= oldest.Value.Size;
                evicted.Add(oldest.Key);
            }
        }
        foreach (var file in evicted)
        {
            TryDelete(file);
        }
    }

    /// <summary>Forgets and deletes a file (a blob deleted from the store).</summary>
    public void Remove(string path)
    {
        lock (entries)
        {
            if (entries.Remove(path, out var entry))
            {
                totalBytes -= entry.Size;
            }
        }
        TryDelete(path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next start-up indexes (and may evict) it again.
        }
    }

    private sealed class Entry
    {
        public long Size { get; init; }

        public long LastUse { get; set; }
    }
}
