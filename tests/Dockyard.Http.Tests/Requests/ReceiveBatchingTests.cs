using System.Net;
using System.Net.Sockets;
using Dockyard.Http.Requests;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Tests.Requests;

/// <summary>
/// The receive low-water mark of a streamed body, on a real loopback TCP connection: raised while the body streams,
/// lowered in time for a last piece smaller than the mark (else the socket would never report it), put back to one byte
/// when the request is done. Streamed uploads end to end: BlobUploadTests.
/// </summary>
public sealed class ReceiveBatchingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_last_piece_below_the_mark_is_still_delivered_and_the_mark_is_put_back()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the low-water mark is raised on Linux only");
        using var pair = await LoopbackPair.ConnectAsync();
        var batching = ReceiveBatching.Start(ChunkedRequest(pair.Server));
        Assert.NotNull(batching);
        using (batching)
        {
            await WaitUntilAsync(() => batching.Raised);
            Assert.Equal(ReceiveBatching.LowWaterBytes, Mark(pair.Server));
            // The receive waits before the bytes come, as Kestrel's does: only the socket's readiness can complete it.
            var receive = pair.Server.ReceiveAsync(new byte[4096]);
            await Task.Delay(ReceiveBatching.Tick * 3);
            Assert.False(receive.IsCompleted);
            await pair.Client.SendAsync(new byte[100]);
            Assert.Equal(100, await receive.WaitAsync(Patience));
        }
        Assert.Equal(1, Mark(pair.Server));
    }

    [Fact]
    public async Task At_most_MaxBatched_bodies_are_batched_at_once_and_a_finished_one_frees_its_place()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the low-water mark is raised on Linux only");
        using var pair = await LoopbackPair.ConnectAsync();
        var started = new List<ReceiveBatching>();
        try
        {
            // Other tests' uploads may hold places meanwhile, so count until refused rather than to an exact number.
            for (var i = 0; i <= ReceiveBatching.MaxBatched; i++)
            {
                if (ReceiveBatching.Start(ChunkedRequest(pair.Server)) is not { } batching)
                {
                    break;
                }
                started.Add(batching);
            }
            Assert.InRange(started.Count, 1, ReceiveBatching.MaxBatched);
            Assert.Null(ReceiveBatching.Start(ChunkedRequest(pair.Server)));
        }
        finally
        {
            started.ForEach(b => b.Dispose());
        }
        await WaitUntilAsync(() => ReceiveBatching.Batched < ReceiveBatching.MaxBatched);
        using var again = ReceiveBatching.Start(ChunkedRequest(pair.Server));
        Assert.NotNull(again);
    }

    [Theory]
    [InlineData("HTTP/1.1", 10L, true)]
    [InlineData("HTTP/2", null, true)]
    [InlineData("HTTP/1.1", null, false)]
    public async Task Bodies_of_declared_length_HTTP2_streams_and_hosts_without_a_socket_are_read_as_they_come(string protocol, long? length, bool socket)
    {
        using var pair = await LoopbackPair.ConnectAsync();
        var context = socket ? ChunkedRequest(pair.Server) : new DefaultHttpContext();
        context.Request.Protocol = protocol;
        context.Request.ContentLength = length;

        Assert.Null(ReceiveBatching.Start(context));
        Assert.Equal(1, Mark(pair.Server));
    }

    private static DefaultHttpContext ChunkedRequest(Socket socket)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers.TransferEncoding = "chunked";
        context.Features.Set<IConnectionSocketFeature>(new SocketFeature(socket));
        return context;
    }

    private static int Mark(Socket socket) => (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater)!;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(ReceiveBatching.Tick);
        }
    }

    private sealed class SocketFeature(Socket socket) : IConnectionSocketFeature
    {
        public Socket Socket => socket;
    }

    /// <summary>Both ends of one loopback TCP connection.</summary>
    private sealed class LoopbackPair(Socket client, Socket server) : IDisposable
    {
        public Socket Client => client;

        public Socket Server => server;

        public static async Task<LoopbackPair> ConnectAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accept = listener.AcceptAsync();
            await client.ConnectAsync(listener.LocalEndPoint!);
            return new LoopbackPair(client, await accept);
        }

        public void Dispose()
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
