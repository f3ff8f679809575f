using System.Formats.Tar;

namespace Dockyard.Core.Appc;

/// <summary>
/// Flattens image layers into one <c>rootfs/</c> tree, streaming: layers are read top-most first, so the first entry
/// seen for a path wins; <c>.wh.&lt;name&gt;</c> hides a path of the layers below, <c>.wh..wh..opq</c> hides everything
/// below in its directory, and a path under an upper non-directory is hidden too. Whiteout files are never written.
/// </summary>
internal sealed class AciLayerFlattener(TarWriter writer)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
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
