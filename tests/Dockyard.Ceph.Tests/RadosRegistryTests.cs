using System.Net;
using System.Net.Http.Headers;
using Dockyard.Conformance.Blobs;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.Ceph.Tests;

/// <summary>The whole registry on <c>backend = rados</c>: a large streamed push and pull, and an OSD restart mid-push.</summary>
public sealed class RadosRegistryTests : IDisposable
{
    private readonly string nameSpace = TestCluster.NewNamespace();
    private readonly string? conf = TestCluster.ConfFile;

    [Fact]
    public async Task A_300_MiB_blob_is_pushed_and_pulled_streamed()
    {
        if (conf is null)
        {
            return;
        }
        await using var server = await StartAsync(conf, timeoutSeconds: 30);
        const long length = 300L << 20;
        var digest = Hash(new PatternStream(length, 11, 1 << 16));

        var response = await PushAsync(server, "big/layer", new PatternStream(length, 11, 1 << 16), length, digest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var pulled = await server.Client.GetAsync($"/v2/big/layer/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(length, pulled.Content.Headers.ContentLength);
        Assert.Equal(digest, Hash(await pulled.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task An_OSD_restart_mid_push_is_a_retryable_503_and_the_same_push_then_succeeds()
    {
        if (conf is null)
        {
            return;
        }
        await using var server = await StartAsync(conf, timeoutSeconds: 5);
        const long length = 24L << 20;
        var digest = Hash(new PatternStream(length, 12, 1 << 16));
        var osdStopped = new TaskCompletionSource();
        var stopper = Task.Run(async () =>
        {
            await TestCluster.OsdAsync(conf, "stop-osd");
            osdStopped.SetResult();
        });
        // The body pauses after 6 MiB (one chunk written) until the OSD is down, then sends the rest.
        var body = new GatedStream(new PatternStream(length, 12, 1 << 16), 6L << 20, osdStopped.Task);
        HttpResponseMessage? failed = null;
        try
        {
            failed = await PushAsync(server, "fault/layer", body, length, digest);
        }
        catch (HttpRequestException)
        {
            // The server answered 503 before reading the whole body and closed the connection: also retryable.
        }
        finally
        {
            await stopper;
            await TestCluster.OsdAsync(conf, "start-osd");
        }
        if (failed is not null)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.NotNull(failed.Headers.RetryAfter);
        }
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/v2/fault/layer/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(head)).StatusCode);
        }

        // As docker and skopeo do: retry while the cluster answers 503, until the OSD is back.
        var retried = await PushAsync(server, "fault/layer", new PatternStream(length, 12, 1 << 16), length, digest);
        for (var attempt = 0; retried.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 30; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            retried = await PushAsync(server, "fault/layer", new PatternStream(length, 12, 1 << 16), length, digest);
        }

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        using var pulled = await server.Client.GetAsync($"/v2/fault/layer/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(digest, Hash(await pulled.Content.ReadAsStreamAsync()));
    }

    public void Dispose()
    {
        if (conf is not null)
        {
            TestCluster.Empty(conf, nameSpace);
        }
    }

    private Task<RegistryServer> StartAsync(string confFile, int timeoutSeconds) => RegistryServer.StartAsync(new Dictionary<string, string?>
    {
        ["dockyard:backend"] = "rados",
        ["rados:conffile"] = confFile,
        ["rados:poolname"] = TestCluster.Pool,
        ["rados:timeout"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>POST, one streamed PATCH of the whole body, PUT with the digest; the PATCH's failure or the PUT's answer.</summary>
    private static async Task<HttpResponseMessage> PushAsync(RegistryServer server, string name, Stream body, long length, Digest digest)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var started = await client.PostAsync($"/v2/{name}/blobs/uploads/", null);
        if (started.StatusCode != HttpStatusCode.Accepted)
        {
            return started;
        }
        var content = new StreamContent(body, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        var patched = await client.PatchAsync(started.Headers.Location, content);
        if (patched.StatusCode != HttpStatusCode.Accepted)
        {
            return patched;
        }
        var location = patched.Headers.Location!.ToString();
        var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return await client.PutAsync($"{location}{separator}digest={digest}", null);
    }

    private static Digest Hash(Stream stream)
    {
        using (stream)
        {
            using var hash = Digest.CreateHash(Digest.Sha256);
            var buffer = new byte[1 << 20];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
            return Digest.FromHash(Digest.Sha256, hash.GetCurrentHash());
        }
    }

    /// <summary>Reads through to <paramref name="inner"/>, but waits for <paramref name="gate"/> once <paramref name="pauseAt"/> bytes are read.</summary>
    private sealed class GatedStream(Stream inner, long pauseAt, Task gate) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position >= pauseAt)
            {
                await gate.WaitAsync(cancellationToken);
            }
            var limit = position < pauseAt ? (int)Math.Min(buffer.Length, pauseAt - position) : buffer.Length;
            var n = await inner.ReadAsync(buffer[..limit], cancellationToken);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
