using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Fetches a file's chunks at most <see cref="Parallel"/> requests at once and hands them back in file order. Chunks
/// that lie back to back in one pack are read by one range request (up to <see cref="MaxSpan"/> bytes); a chunk stored
/// as a blob of its own (before packs) by a GET of that blob. Each chunk is checked against its digest and size, and
/// an encrypted chunk is decrypted in place and checked against its plaintext digest too. Memory stays at most
/// <see cref="Parallel"/> runs (16 MiB).
/// </summary>
internal static class ChunkDownloads
{
    public const int Parallel = 4;
    private const int MaxSpan = 4 << 20;

    /// <summary>The largest chunk an index may name: the largest any chunking profile cuts (encryption keeps the size).</summary>
    public static readonly int MaxChunk = Math.Max(ChunkingProfile.Legacy.Max, ChunkingProfile.Small.Max);

    /// <summary>Writes the chunks of <paramref name="entry"/> in order to <paramref name="output"/>.</summary>
    /// <param name="index">The version's index, which lists the packs the chunks lie in.</param>
    /// <param name="cipher">The version's chunk cipher; null for a plain version.</param>
    /// <exception cref="LaunchException">A chunk does not match its digest or size, or does not decrypt to its plaintext digest, or the index places it outside its pack.</exception>
    public static async Task WriteAsync(VolumeRegistry registry, VolumeIndex index, VolumeEntry entry, ChunkCipher? cipher, Stream output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<byte[]>>();
        try
        {
            foreach (var run in Runs(index, entry))
            {
                pending.Enqueue(FetchAsync(registry, entry.Path, run, cipher, stop.Token));
                if (pending.Count >= Parallel)
                {
                    await output.WriteAsync(await pending.Dequeue(), cancellationToken);
                }
            }
            while (pending.Count > 0)
            {
                await output.WriteAsync(await pending.Dequeue(), cancellationToken);
            }
        }
        finally
        {
            if (pending.Count > 0)
            {
                await stop.CancelAsync();
                await Task.WhenAll(pending).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Chunks read by one request: a run of a pack (<paramref name="Pack"/> from <paramref name="Offset"/>), or one chunk stored alone.</summary>
    private sealed record Run(PackRef? Pack, long Offset, List<ChunkRef> Chunks)
    {
        public long Length { get; set; }
    }

    private static IEnumerable<Run> Runs(VolumeIndex index, VolumeEntry entry)
    {
        Run? open = null;
        foreach (var chunk in entry.Chunks ?? [])
        {
            var pack = Locate(index, entry.Path, chunk);
            if (open is not null && pack is not null && open.Pack == pack && open.Offset + open.Length == chunk.Offset && open.Length + chunk.Size <= MaxSpan)
            {
                open.Chunks.Add(chunk);
                open.Length += chunk.Size;
                continue;
            }
            if (open is not null)
            {
                yield return open;
            }
            open = new Run(pack, chunk.Offset ?? 0, [chunk]) { Length = chunk.Size };
        }
        if (open is not null)
        {
            yield return open;
        }
    }

    private static PackRef? Locate(VolumeIndex index, string path, ChunkRef chunk)
    {
        // The size comes from an index another user may have pushed: past the largest chunk any profile cuts, it would
        // only make this host allocate what the index says (a chunk is read into memory whole).
        if (chunk.Size < 0 || chunk.Size > MaxChunk || (chunk.Pack is null) != (chunk.Offset is null))
        {
            throw new LaunchException(LaunchFailure.Registry, $"the volume index has an invalid chunk {chunk.Digest} in {path}");
        }
        if (chunk.Pack is not { } number)
        {
            return null;
        }
        return index.Packs is { } packs && number >= 0 && number < packs.Count && chunk.Offset >= 0 && chunk.Offset + chunk.Size <= packs[number].Size
            ? packs[number]
            : throw new LaunchException(LaunchFailure.Registry, $"the volume index places chunk {chunk.Digest} of {path} outside its pack");
    }

    private static async Task<byte[]> FetchAsync(VolumeRegistry registry, string path, Run span, ChunkCipher? cipher, CancellationToken cancellationToken)
    {
        var content = span.Pack is { } pack
            ? await registry.ReadRangeAsync(Digest.Parse(pack.Digest), span.Offset, (int)span.Length, cancellationToken)
            : await ReadAloneAsync(registry, span.Chunks[0], cancellationToken);
        var at = 0;
        foreach (var chunk in span.Chunks)
        {
            var slice = content.AsSpan(at, chunk.Size);
            if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(slice)) != chunk.Digest)
            {
                throw new LaunchException(LaunchFailure.Registry, $"chunk {chunk.Digest} of {path} does not match its digest");
            }
            if (chunk.Plain is not null)
            {
                Decrypt(path, chunk, cipher, slice);
            }
            at += chunk.Size;
        }
        return content;
    }

    // A chunk stored as a blob of its own, read whole; a blob longer or shorter than the index says is refused.
    private static async Task<byte[]> ReadAloneAsync(VolumeRegistry registry, ChunkRef chunk, CancellationToken cancellationToken)
    {
        var content = new byte[chunk.Size];
        using var response = await registry.Client.OpenBlobAsync(registry.Repository, Digest.Parse(chunk.Digest), cancellationToken);
        await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = await input.ReadAtLeastAsync(content, content.Length, throwOnEndOfStream: false, cancellationToken);
        var extra = length == content.Length ? await input.ReadAsync(new byte[1], cancellationToken) : 0;
        return length == content.Length && extra == 0 ? content
            : throw new LaunchException(LaunchFailure.Registry, $"chunk {chunk.Digest} does not match its size");
    }

    private static void Decrypt(string path, ChunkRef chunk, ChunkCipher? cipher, Span<byte> content)
    {
        if (cipher is null || !Digest.TryParse(chunk.Plain, out var plain))
        {
            throw new LaunchException(LaunchFailure.Registry, $"chunk {chunk.Digest} of {path} is encrypted in a version that has no chunk key, or names no valid plaintext digest");
        }
        cipher.Transform(plain, content);
        if (Digest.Compute(content) != plain)
        {
            CryptographicOperations.ZeroMemory(content);
            throw new LaunchException(LaunchFailure.DecryptionFailed, $"chunk {chunk.Digest} of {path} does not decrypt to its plaintext digest {plain}");
        }
    }
}
