using System.Formats.Tar;
using System.IO.Compression;

namespace Dockyard.Interop.Tests.TestImages;

/// <summary>
/// One gzip image layer holding a static busybox as <c>bin/busybox</c> and its applets as symlinks, so that the image
/// runs with <c>sh</c>, <c>echo</c> and friends. Deterministic: every entry has mtime 0 and owner root.
/// </summary>
public sealed class BusyboxLayer
{
    /// <summary>Where busybox-static installs its binary (Debian's merged /usr makes both paths the same file).</summary>
    public static readonly string[] BusyboxPaths = ["/bin/busybox", "/usr/bin/busybox"];

    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101; // 0755

    private static readonly string[] Applets = ["sh", "echo", "cat", "ls", "true", "false", "uname", "env"];

    private BusyboxLayer(byte[] tar, byte[] compressed)
    {
        Tar = tar;
        Compressed = compressed;
    }

    /// <summary>The uncompressed tar; its sha256 is the config's diff_id.</summary>
    public byte[] Tar { get; }

    /// <summary>The gzip blob pushed to registries; its sha256 is the layer digest.</summary>
    public byte[] Compressed { get; }

    public string DiffId => OciBlob.DigestOf(Tar);

    public string Digest => OciBlob.DigestOf(Compressed);

    /// <summary>The static busybox binary on this machine, or null when busybox-static is not installed.</summary>
    public static string? FindBusybox() => BusyboxPaths.FirstOrDefault(File.Exists);

    /// <param name="marker">Written as <c>etc/dockyard-test-marker</c> when given: a layer (and so a config) no engine has seen.</param>
    public static BusyboxLayer Create(string busyboxPath, string? marker = null)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(Entry(TarEntryType.Directory, "bin/", Executable));
            using (var binary = File.OpenRead(busyboxPath))
            {
                var file = Entry(TarEntryType.RegularFile, "bin/busybox", Executable);
                file.DataStream = binary;
                writer.WriteEntry(file);
            }
            foreach (var applet in Applets)
            {
                var link = Entry(TarEntryType.SymbolicLink, "bin/" + applet, Executable);
                link.LinkName = "busybox";
                writer.WriteEntry(link);
            }
            writer.WriteEntry(Entry(TarEntryType.Directory, "tmp/", (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit));
            if (marker is not null)
            {
                writer.WriteEntry(Entry(TarEntryType.Directory, "etc/", Executable));
                var file = Entry(TarEntryType.RegularFile, "etc/dockyard-test-marker", (UnixFileMode)0b110_100_100);
                file.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(marker));
                writer.WriteEntry(file);
            }
        }
        var tarBytes = tar.ToArray();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tarBytes);
        }
        return new BusyboxLayer(tarBytes, compressed.ToArray());
    }

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        ModificationTime = DateTimeOffset.UnixEpoch,
        Uid = 0,
        Gid = 0,
    };
}
