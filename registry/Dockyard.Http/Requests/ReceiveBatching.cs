using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Requests;

/// <summary>
/// Lets a long chunked request body arrive in large socket reads. docker sends a layer as one chunked PATCH in 32 KiB
/// pieces at the pace of its gzip (about 40 MB/s); read as they come, every piece woke the socket thread and two or
/// three thread-pool threads: about 300,000 context switches and 7 CPU-s for a 1 GiB push, taken from dockerd on a
/// small machine. While such a body streams, the connection's receive low-water mark (SO_RCVLOWAT) is raised, so that
/// the socket reports readable only once <see cref="LowWaterBytes"/> are waiting. A watchdog puts the mark back to one
/// byte whenever bytes below it sit unread from one tick to the next (the body's last piece, or a client that paused),
/// so a body waits at most two ticks (<see cref="Tick"/>) for its end; it raises the mark again on the tick after.
/// </summary>
/// <remarks>
/// Only for HTTP/1.x bodies without Content-Length on a TCP socket on Linux, where setting the mark wakes a reader the
/// new mark satisfies (tcp_set_rcvlowat). A body shorter than one tick is never batched. Disposing puts the mark back
/// before the response goes out, so the next request on the connection is read as usual.
/// </remarks>
public sealed class ReceiveBatching : IDisposable
{
    /// <summary>The low-water mark while a body streams: four of the transport's 64 KiB blocks.</summary>
    public const int LowWaterBytes = 256 * 1024;

    /// <summary>The watchdog's period.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How many bodies are batched at once in this process; later ones are read as they come. Each batched body costs its
    /// watchdog's ticks (100 a second), so without a bound every trickling upload an account may hold open
    /// ([quota] uploads) would add them: a client with many accounts could make the ticks a load of their own.
    /// </summary>
    public const int MaxBatched = 64;

    private static int batched;

    private readonly Lock gate = new();
    private readonly Socket socket;
    private readonly Timer timer;
    private bool raised;
    private bool disposed;
    private int lastAvailable;

    private ReceiveBatching(Socket socket)
    {
        this.socket = socket;
        timer = new Timer(static state => ((ReceiveBatching)state!).OnTick(), this, Tick, Tick);
    }

    /// <summary>Whether the mark is raised now (for tests).</summary>
    internal bool Raised
    {
        get
        {
            lock (gate)
            {
                return raised;
            }
        }
    }

    /// <summary>
    /// Starts batching the receives of <paramref name="context"/>'s body; null (nothing to dispose) when the request is
    /// not a chunked HTTP/1.x one on a Linux TCP socket (HTTP/2 streams share their connection; other hosts have no socket).
    /// </summary>
    public static ReceiveBatching? Start(HttpContext context)
    {
        var request = context.Request;
        if (!OperatingSystem.IsLinux() || request.ContentLength is not null || !HttpProtocol.IsHttp11(request.Protocol)
            || context.Features.Get<IConnectionSocketFeature>()?.Socket is not { ProtocolType: ProtocolType.Tcp } socket)
        {
            return null;
        }
        if (Interlocked.Increment(ref batched) > MaxBatched)
        {
            Interlocked.Decrement(ref batched);
            return null;
        }
        return new ReceiveBatching(socket);
    }

    private void OnTick()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            try
            {
                var available = socket.Available;
                if (!raised)
                {
                    SetMark(LowWaterBytes);
                    raised = true;
                }
                else if (available > 0 && available == lastAvailable)
                {
                    // Fewer bytes than the mark, unread for a whole tick: the reader must see them now.
                    SetMark(1);
                    raised = false;
                }
                lastAvailable = available;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The connection is gone; the request fails on its own.
                Release();
            }
        }
    }

    /// <summary>Bodies batched now in this process (for tests).</summary>
    internal static int Batched => Volatile.Read(ref batched);

    // Under the gate, once: the first of Dispose and a failed tick gives the slot back.
    private void Release()
    {
        disposed = true;
        timer.Dispose();
        Interlocked.Decrement(ref batched);
    }

    private void SetMark(int bytes) => socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater, bytes);

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            Release();
            if (raised)
            {
                try
                {
                    SetMark(1);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // The connection is gone: no next request to read.
                }
                raised = false;
            }
        }
    }
}
