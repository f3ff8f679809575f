using System.Formats.Tar;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Appc;

/// <summary>
/// Flattens image layers into one <c>rootfs/</c> tree, streaming: layers are read top-most first, so the first entry
/// seen for a path wins; <c>.wh.&lt;name&gt;</c> hides a path of the layers below, <c>.wh..wh..opq</c> hides everything
/// below in its directory, and a path under an upper non-directory is hidden too. Whiteout files are never written.
/// Every path seen is remembered, so what a layer may make it hold is capped: a path of at most
/// <see cref="MaxPathLength"/> characters, at most <see cref="MaxRememberedCharacters"/> in all (tar headers of long
/// names shrink a thousandfold under gzip, so a small layer could otherwise make the server hold gigabytes).
/// </summary>
internal sealed class AciLayerFlattener(TarWriter writer)
{
    /// <summary>Linux's PATH_MAX: no file system takes a longer path.</summary>
    public const int MaxPathLength = 4096;

    /// <summary>What the sets of paths may hold: images of a million files of 60-character paths fit.</summary>
    public const long MaxRememberedCharacters = 64L << 20;

    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private long remembered;
    private readonly HashSet<string> emitted = new(StringComparer.Ordinal);
    private readonly HashSet<string> nonDirectories = new(StringComparer.Ordinal);
    private readonly HashSet<string> hidden = new(StringComparer.Ordinal);
    private readonly HashSet<string> opaque = new(StringComparer.Ordinal);

    /// <summary>The rootfs paths written (without the <c>rootfs/</c> prefix), for resolving the command.</summary>
    public IReadOnlySet<string> Paths => emitted;

    /// <summary>Adds one layer (an uncompressed tar stream); call from the top layer down.</summary>
    public async Task AddLayerAsync(Stream layer, CancellationToken cancellationToken)
    {
        var layerHidden = new List<string>();
        var layerOpaque = new List<string>();
        await using var reader = new TarReader(layer, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes || AciArchive.NormalizePath(entry.Name) is not { Length: > 0 } path)
            {
                continue;
            }
            Remember(path);
            var slash = path.LastIndexOf('/');
            var (parent, name) = slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
            if (name == OpaqueMarker)
            {
                layerOpaque.Add(parent);
                continue;
            }
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                layerHidden.Add(parent.Length == 0 ? name[WhiteoutPrefix.Length..] : parent + "/" + name[WhiteoutPrefix.Length..]);
                continue;
            }
            if (emitted.Contains(path) || IsHidden(path))
            {
                continue;
            }
            entry.Name = "rootfs/" + path;
            if (entry.EntryType is TarEntryType.HardLink && AciArchive.NormalizePath(entry.LinkName) is { } target)
            {
                entry.LinkName = "rootfs/" + target;
            }
            await writer.WriteEntryAsync(entry, cancellationToken);
            emitted.Add(path);
            if (entry.EntryType is not TarEntryType.Directory)
            {
                nonDirectories.Add(path);
            }
        }
        // A layer's whiteouts hide only what lies below it.
        hidden.UnionWith(layerHidden);
        opaque.UnionWith(layerOpaque);
    }

    private void Remember(string path)
    {
        if (path.Length > MaxPathLength)
        {
            throw new RegistryException(RegistryErrorCode.Unsupported, $"a layer names a path of {path.Length} characters, over {MaxPathLength}");
        }
        remembered += path.Length;
        if (remembered > MaxRememberedCharacters)
        {
            throw new RegistryException(RegistryErrorCode.Unsupported, $"the layers name over {MaxRememberedCharacters} characters of paths");
        }
    }

    private bool IsHidden(string path)
    {
        if (hidden.Contains(path))
        {
            return true;
        }
        for (var at = path.LastIndexOf('/'); at > 0; at = path.LastIndexOf('/', at - 1))
        {
            var ancestor = path[..at];
            if (hidden.Contains(ancestor) || opaque.Contains(ancestor) || nonDirectories.Contains(ancestor))
            {
                return true;
            }
        }
        return opaque.Contains("");
    }
}
