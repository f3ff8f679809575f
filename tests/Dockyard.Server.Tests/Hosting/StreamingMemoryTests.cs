using System.Net;
using System.Security.Cryptography;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>Bodies are streamed both ways: the server's peak memory must not grow with the size of a blob.</summary>
public sealed class StreamingMemoryTests : IDisposable
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "dockyard-memory-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dataPath))
        {
            Directory.Delete(dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task Pushing_and_pulling_a_1_GiB_blob_does_not_grow_peak_memory()
    {
        await using var server = await DockyardProcess.StartAsync(dataPath);
        await PushAndPullAsync(server, "warm/up", 16L << 20);
        var baseline = server.PeakResidentBytes;

        await PushAndPullAsync(server, "big/blob", 1L << 30);

        var growth = server.PeakResidentBytes - baseline;
        Assert.True(growth < 64L << 20, $"peak RSS grew by {growth >> 20} MiB for a 1 GiB blob (baseline {baseline >> 20} MiB)");
    }

    private static async Task PushAndPullAsync(DockyardProcess server, string repository, long size)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(new PatternStream(size)));
        using var start = await server.Client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        var location = start.Headers.Location!.AbsolutePath;
        using (var patch = await server.Client.PatchAsync(location, new StreamContent(new PatternStream(size), 1 << 20)))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }
        using (var put = await server.Client.PutAsync($"{location}?digest={digest}", null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var get = await server.Client.GetAsync($"/v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await get.Content.ReadAsStreamAsync();
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
    }

    /// <summary>A non-seekable, deterministic, incompressible-enough stream of any length, never held in memory.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private static readonly byte[] Block = RandomNumberGenerator.GetBytes(1 << 20);
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - position);
            for (var done = 0; done < n;)
            {
                var at = (int)((position + done) % Block.Length);
                var take = Math.Min(n - done, Block.Length - at);
                Block.AsSpan(at, take).CopyTo(buffer[done..]);
                if (at == 0)
                {
                    // Vary each mebibyte by its index so that no two blocks of a blob are equal.
                    buffer[done] ^= (byte)((position + done) >> 20);
                }
                done += take;
            }
            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
