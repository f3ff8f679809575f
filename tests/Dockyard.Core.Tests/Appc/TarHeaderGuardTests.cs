using System.Formats.Tar;
using Dockyard.Core.Appc;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Tests.Appc;

/// <summary>
/// A tar's metadata entries (PAX headers, GNU long names) are refused over a megabyte as soon as their header has
/// passed, before .NET's reader allocates their data: an ACI of one 64 MiB PAX header is refused having read one block
/// past the header, and archives with long names under the cap (PAX and GNU) and file data that looks like a refused
/// header still read through.
/// </summary>
public sealed class TarHeaderGuardTests
{
    [Fact]
    public async Task A_huge_pax_header_is_refused_before_its_data_is_read()
    {
        var tar = Tar(new PaxTarEntry(TarEntryType.RegularFile, "rootfs/" + new string('a', 64 << 20)));
        var source = new CountingStream(tar);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => AciArchive.InspectAsync(source, CancellationToken.None));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, refused.Code);
        Assert.Contains("metadata entry ('x')", refused.Message, StringComparison.Ordinal);
        Assert.True(source.BytesRead < 64 << 10, $"{source.BytesRead} bytes read");
    }

    [Fact]
    public async Task Long_names_and_header_like_data_read_through()
    {
        // Data that begins like a refused header: the guard must skip it as data, by the size the reader uses.
        var lookalike = Tar(new PaxTarEntry(TarEntryType.RegularFile, new string('d', 2 << 20)))[..1024];
        var manifest = """{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app"}"""u8.ToArray();
        var tar = Tar(
            new PaxTarEntry(TarEntryType.RegularFile, "manifest") { DataStream = new MemoryStream(manifest) },
            new PaxTarEntry(TarEntryType.Directory, "rootfs/"),
            new PaxTarEntry(TarEntryType.RegularFile, "rootfs/" + new string('b', 300_000)) { DataStream = new MemoryStream(lookalike) },
            new GnuTarEntry(TarEntryType.RegularFile, "rootfs/" + new string('c', 500_000)) { DataStream = new MemoryStream(lookalike) },
            new UstarTarEntry(TarEntryType.SymbolicLink, "rootfs/link") { LinkName = "/etc/passwd" });

        var inspection = await AciArchive.InspectAsync(new MemoryStream(tar), CancellationToken.None);

        Assert.Equal(manifest, inspection.Manifest);
        Assert.Equal(tar.Length, inspection.Size);
    }

    [Fact]
    public async Task An_old_gnu_sparse_entry_is_the_clients_fault()
    {
        var tar = Tar(new GnuTarEntry(TarEntryType.RegularFile, "rootfs/sparse") { DataStream = new MemoryStream(new byte[10]) });
        Patch(tar, "rootfs/sparse\0"u8, 156, "S"u8);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => AciArchive.InspectAsync(new MemoryStream(tar), CancellationToken.None));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, refused.Code);
    }

    // Writes value at offset into the header of the entry named name, and sets the header's checksum again.
    private static void Patch(byte[] tar, ReadOnlySpan<byte> name, int offset, ReadOnlySpan<byte> value)
    {
        var at = 0;
        while (!tar.AsSpan(at).StartsWith(name))
        {
            at += 512;
        }
        var header = tar.AsSpan(at, 512);
        value.CopyTo(header[offset..]);
        header[148..156].Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
    }

    private static byte[] Tar(params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    // Every read of a MemoryStream subclass (span, async) ends in Read(byte[], int, int), so counting there counts all.
    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
    }
}
