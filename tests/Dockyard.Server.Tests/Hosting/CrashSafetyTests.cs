using System.Net;
using System.Security.Cryptography;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>SIGKILL in the middle of a push must leave no partial blob visible, and the same push must then succeed.</summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int BlobSize = 48 * 1024 * 1024;
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "dockyard-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dataPath))
        {
            Directory.Delete(dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task Kill_9_mid_upload_leaves_nothing_partial_and_the_push_succeeds_after_restart()
    {
        var content = RandomNumberGenerator.GetBytes(BlobSize);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        string location;
        await using (var first = await DockyardProcess.StartAsync(dataPath))
        {
            using var start = await first.Client.PostAsync("/v2/crash/test/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            location = start.Headers.Location!.AbsolutePath;

            // Stream the body slowly enough that the kill lands while bytes are still arriving.
            var body = new ThrottledStream(content, chunk: 1 << 20, delay: TimeSpan.FromMilliseconds(20));
            var patch = first.Client.PatchAsync(location, new StreamContent(body));
            await WaitUntilAsync(() => StagedBytes() > 4 * 1024 * 1024);
            first.KillHard();
            await Assert.ThrowsAnyAsync<Exception>(() => patch);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(dataPath, "blobs"), "*", SearchOption.AllDirectories));
        await using var second = await DockyardProcess.StartAsync(dataPath);
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/v2/crash/test/blobs/{digest}"))
        using (var missing = await second.Client.SendAsync(head))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        // The interrupted session committed nothing: the server reports an empty upload, not the torn bytes.
        using (var status = await second.Client.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-0", status.Headers.GetValues("Range").Single());
        }

        using var retry = await second.Client.PostAsync($"/v2/crash/test/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var pulled = await second.Client.GetByteArrayAsync($"/v2/crash/test/blobs/{digest}");
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(pulled)));
    }

    private long StagedBytes() =>
        Directory.Exists(Path.Combine(dataPath, "uploads"))
            ? Directory.EnumerateFiles(Path.Combine(dataPath, "uploads"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the upload never reached the server");
            await Task.Delay(20);
        }
    }

    /// <summary>A non-seekable body (so HttpClient streams it chunked) that pauses between chunks.</summary>
    private sealed class ThrottledStream(byte[] content, int chunk, TimeSpan delay) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            var n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - position);
            content.AsMemory(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
