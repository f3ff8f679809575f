using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Fetches a file's chunks at most <see cref="ChunkUploads.Parallel"/> at once, each into memory and checked against its
/// digest and size, and hands them back in file order; so memory stays at most that many chunks (16 MiB). An
/// encrypted chunk is decrypted in place and checked against its plaintext digest too.
/// </summary>
internal static class ChunkDownloads
{
    /// <summary>Writes the chunks of <paramref name="entry"/> in order to <paramref name="output"/>.</summary>
    /// <param name="cipher">The version's chunk cipher; null for a plain version.</param>
    /// <exception cref="LaunchException">A chunk does not match its digest or size, or does not decrypt to its plaintext digest.</exception>
    public static async Task WriteAsync(VolumeRegistry registry, VolumeEntry entry, ChunkCipher? cipher, Stream output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<byte[]>>();
        try
        {
            foreach (var chunk in entry.Chunks ?? [])
            {
                pending.Enqueue(FetchAsync(registry, entry.Path, chunk, cipher, stop.Token));
                if (pending.Count >= ChunkUploads.Parallel)
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

    private static async Task<byte[]> FetchAsync(VolumeRegistry registry, string path, ChunkRef chunk, ChunkCipher? cipher, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(chunk.Digest);
        var content = new byte[chunk.Size];
        using var response = await registry.Client.OpenBlobAsync(registry.Repository, digest, cancellationToken);
        await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = await input.ReadAtLeastAsync(content, content.Length, throwOnEndOfStream: false, cancellationToken);
        var extra = length == content.Length ? await input.ReadAsync(new byte[1], cancellationToken) : 0;
        if (length != content.Length || extra != 0 || "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)) != digest.Value)
        {
            throw new LaunchException(LaunchFailure.Registry, $"chunk {digest} of {path} does not match its digest");
        }
        return chunk.Plain is null ? content : Decrypt(path, chunk, cipher, content);
    }

    private static byte[] Decrypt(string path, ChunkRef chunk, ChunkCipher? cipher, byte[] content)
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
        return content;
    }
}
