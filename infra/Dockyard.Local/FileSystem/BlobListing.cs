using Dockyard.Core.Blobs;
using Dockyard.Core.Names;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Lists the published blobs under <c>blobs/{algorithm}/{first two hex}/{hex}</c> in digest order, starting at the
/// folder of the <c>after</c> digest so that a page reads one or a few prefix folders, not the whole tree.
/// </summary>
internal static class BlobListing
{
    public static List<StoredBlob> List(string blobsRoot, string? after, int limit, CancellationToken cancellationToken)
    {
        var found = new List<StoredBlob>(Math.Min(limit, 1024));
        if (limit <= 0 || !Directory.Exists(blobsRoot))
        {
            return found;
        }
        var (afterAlgorithm, afterHex) = Split(after);
        foreach (var algorithm in SortedNames(Directory.EnumerateDirectories(blobsRoot)))
        {
            if (string.CompareOrdinal(algorithm, afterAlgorithm) < 0)
            {
                continue;
            }
            var sameAlgorithm = algorithm == afterAlgorithm;
            foreach (var prefix in SortedNames(Directory.EnumerateDirectories(Path.Combine(blobsRoot, algorithm))))
            {
                if (sameAlgorithm && afterHex.Length >= 2 && string.CompareOrdinal(prefix, afterHex[..2]) < 0)
                {
                    continue;
                }
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var file in SortedFiles(Path.Combine(blobsRoot, algorithm, prefix)))
                {
                    if (sameAlgorithm && string.CompareOrdinal(file.Name, afterHex) <= 0)
                    {
                        continue;
                    }
                    if (!Digest.TryParse(algorithm + ":" + file.Name, out var digest) || digest.Hex[..2] != prefix)
                    {
                        continue; // not a blob (a stray file); never listed, so never collected
                    }
                    file.Refresh();
                    if (!file.Exists)
                    {
                        continue; // deleted since the folder was read
                    }
                    found.Add(new StoredBlob(digest, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
                    if (found.Count == limit)
                    {
                        return found;
                    }
                }
            }
        }
        return found;
    }

    private static (string Algorithm, string Hex) Split(string? after)
    {
        if (after is null)
        {
            return ("", "");
        }
        var colon = after.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (after, "") : (after[..colon], after[(colon + 1)..]);
    }

    private static List<string> SortedNames(IEnumerable<string> folders)
    {
        var names = folders.Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static List<FileInfo> SortedFiles(string folder)
    {
        List<FileInfo> files;
        try
        {
            files = new DirectoryInfo(folder).EnumerateFiles().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }
}
