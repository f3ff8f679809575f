using System.Globalization;
using System.Text.RegularExpressions;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// What a <see cref="PieceCache"/> folder holds on disk, read back at start so a restarted agent keeps its pieces:
/// <c>&lt;algorithm&gt;-&lt;hex&gt;/&lt;index&gt;-&lt;sha256&gt;</c>, the name carrying the hash the piece matched before it was
/// written, and <c>repository</c>, the repository it was fetched through (to announce it again). Pieces are not hashed
/// here: start-up stays a directory scan however large the cache, and every read checks the bytes against the name.
/// </summary>
internal static partial class CachedBlobs
{
    public const string RepositoryFile = "repository";

    /// <param name="LastUse">The folder's modification time: a store writes into it and a read touches it, so it orders blobs by use across restarts.</param>
    public sealed record Restored(Digest Blob, RepositoryName? Repository, DateTime LastUse, IReadOnlyDictionary<int, (string Hash, long Size)> Pieces);

    public static string FolderName(Digest blob) => $"{blob.Algorithm}-{blob.Hex}";

    public static string PieceName(int index, string hash) => index.ToString(CultureInfo.InvariantCulture) + "-" + hash;

    /// <summary>The blobs under <paramref name="root"/>; leftovers of interrupted writes and anything else in a piece folder are deleted.</summary>
    public static List<Restored> Load(string root)
    {
        var restored = new List<Restored>();
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            if (FolderPattern().Match(Path.GetFileName(folder)) is not { Success: true } name
                || !Digest.TryParse($"{name.Groups[1].Value}:{name.Groups[2].Value}", out var blob))
            {
                continue;
            }
            var pieces = new Dictionary<int, (string, long)>();
            RepositoryName? repository = null;
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
            {
                if (file.Name == RepositoryFile)
                {
                    repository = RepositoryName.TryParse(File.ReadAllText(file.FullName).Trim(), out var parsed) ? parsed : null;
                }
                else if (PiecePattern().Match(file.Name) is { Success: true } piece
                    && int.TryParse(piece.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && !pieces.ContainsKey(index))
                {
                    pieces[index] = (piece.Groups[2].Value, file.Length);
                }
                else
                {
                    file.Delete();
                }
            }
            if (pieces.Count == 0)
            {
                Directory.Delete(folder, recursive: true);
                continue;
            }
            restored.Add(new Restored(blob, repository, Directory.GetLastWriteTimeUtc(folder), pieces));
        }
        return restored;
    }

    [GeneratedRegex("^(sha256|sha512)-([0-9a-f]+)\\z")]
    private static partial Regex FolderPattern();

    [GeneratedRegex("^([0-9]{1,9})-([0-9a-f]{64})\\z")]
    private static partial Regex PiecePattern();
}
