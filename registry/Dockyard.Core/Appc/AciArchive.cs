using System.Formats.Tar;
using System.Security.Cryptography;
using Dockyard.Core.Bodies;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.Appc;

/// <summary>What reading an ACI found: its manifest bytes, image id (<c>sha512-</c> of the uncompressed tar), and the sha256 digest and size of the file as given.</summary>
public sealed record AciInspection(byte[] Manifest, string ImageId, Digest Digest, long Size);

/// <summary>
/// Reads an ACI once, streaming: a tar (plain, gzip, bzip2 or xz) whose top level is exactly <c>manifest</c> (a
/// regular file) and <c>rootfs/</c>. Any other top-level entry, a missing part, an absolute or <c>..</c> path, or a
/// corrupt archive is refused with MANIFEST_INVALID naming the fault.
/// </summary>
public static class AciArchive
{
    public const int MaxManifestBytes = 1 << 20;

    public static async Task<AciInspection> InspectAsync(Stream raw, CancellationToken cancellationToken)
    {
        using var rawHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var tarHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var counted = new HashingReadStream(raw, rawHash);
        byte[]? manifest = null;
        var rootfs = false;
        try
        {
            await using var tar = new HashingReadStream(await Decompression.OpenAsync(counted, cancellationToken), tarHash);
            await using (var reader = new TarReader(tar, leaveOpen: true))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    var path = NormalizePath(entry.Name) ?? throw Refuse($"unsafe path '{entry.Name}' in the ACI");
                    var top = path.Split('/')[0];
                    if (path == "manifest")
                    {
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || manifest is not null)
                        {
                            throw Refuse("the ACI's 'manifest' must be one regular file");
                        }
                        manifest = await ReadSmallAsync(entry.DataStream, cancellationToken);
                    }
                    else if (top == "rootfs")
                    {
                        rootfs = true;
                    }
                    else if (path.Length > 0)
                    {
                        throw Refuse($"unexpected top-level entry '{top}' in the ACI: only 'manifest' and 'rootfs/' are allowed");
                    }
                }
            }
            // The image id covers the whole tar, end-of-archive blocks included; the digest covers every byte given.
            await tar.CopyToAsync(Stream.Null, cancellationToken);
            await counted.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (Exception e) when (Decompression.IsCorruptData(e))
        {
            throw Refuse($"the ACI is not a readable (optionally gzip, bzip2 or xz compressed) tar: {e.Message}");
        }
        if (manifest is null)
        {
            throw Refuse("the ACI has no 'manifest'");
        }
        if (!rootfs)
        {
            throw Refuse("the ACI has no 'rootfs/'");
        }
        return new AciInspection(manifest, "sha512-" + Convert.ToHexStringLower(tarHash.GetCurrentHash()),
            Digest.FromHash(Digest.Sha256, rawHash.GetCurrentHash()), counted.BytesRead);
    }

    /// <summary>A tar path without <c>./</c> prefixes and trailing slashes; null when absolute or when it climbs with <c>..</c>.</summary>
    public static string? NormalizePath(string name)
    {
        var path = name.Replace('\\', '/');
        if (path.StartsWith('/'))
        {
            return null;
        }
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        return parts.Contains("..") ? null : string.Join('/', parts);
    }

    internal static async Task<byte[]> ReadSmallAsync(Stream? data, CancellationToken cancellationToken) =>
        data is null ? []
        : (await BoundedBody.TryReadAsync(data, null, MaxManifestBytes, cancellationToken))?.ToArray()
            ?? throw Refuse($"the ACI's manifest is larger than {MaxManifestBytes} bytes");

    internal static RegistryException Refuse(string reason) => new(RegistryErrorCode.ManifestInvalid, reason);
}
