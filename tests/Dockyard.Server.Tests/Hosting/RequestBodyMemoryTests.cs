using System.Net;
using System.Net.Sockets;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// A body the server parses in memory is capped whatever its framing: 300 MiB sent chunked (no Content-Length) to the
/// anonymous sign-up of an enforced server is refused with 413, and the server's peak memory does not follow it.
/// </summary>
public sealed class RequestBodyMemoryTests : IDisposable
{
    private const long BodySize = 300L << 20;
    private const int Chunk = 1 << 20;
    private readonly string dataPath = Directory.CreateTempSubdirectory("dockyard-bodymemory-").FullName;

    public void Dispose() => Directory.Delete(dataPath, recursive: true);

    [Fact]
    public async Task A_300_MiB_chunked_sign_up_body_is_413_and_peak_memory_does_not_grow()
    {
        await using var server = await DockyardProcess.StartAsync(dataPath, new Dictionary<string, string> { ["DOCKYARD_DOCKYARD__STANDALONE"] = "false" });
        using (var warmUp = await server.Client.PostAsync("/uam/user/signup",
            new StringContent("""{"name":"warmup","email":"w@example.com","password":"warm-up-password"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, warmUp.StatusCode);
        }
        var baseline = server.PeakResidentBytes;

        var response = await SendChunkedAsync(server.Port, "/uam/user/signup");

        Assert.StartsWith("HTTP/1.1 413 ", response, StringComparison.Ordinal);
        Assert.Contains("\"SIZE_INVALID\"", response, StringComparison.Ordinal);
        var growth = server.PeakResidentBytes - baseline;
        Assert.True(growth < 200L << 20, $"peak RSS grew by {growth >> 20} MiB for a 300 MiB body (baseline {baseline >> 20} MiB)");
    }

    /// <summary>
    /// Sends <c>{"name":"aaa…"}</c> of <see cref="BodySize"/> bytes in 1 MiB chunks for as long as the server takes them (it
    /// may answer early and close), then returns the raw response. A raw socket, since HttpClient stops reading the answer
    /// when the server stops reading the body.
    /// </summary>
    private static async Task<string> SendChunkedAsync(int port, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var received = ReadAllAsync(stream);
        using var liveness = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"), liveness.Token);
            await WriteChunkAsync(stream, "{\"name\":\""u8.ToArray(), liveness.Token);
            var filler = new byte[Chunk];
            Array.Fill(filler, (byte)'a');
            for (long sent = 0; sent < BodySize; sent += Chunk)
            {
                await WriteChunkAsync(stream, filler, liveness.Token);
            }
            await WriteChunkAsync(stream, "\"}"u8.ToArray(), liveness.Token);
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), liveness.Token);
        }
        catch (IOException)
        {
            // The server answered and closed the connection instead of reading the rest: what a capped body should do.
        }
        return await received.WaitAsync(TimeSpan.FromMinutes(2));
    }

    private static async Task WriteChunkAsync(NetworkStream stream, byte[] data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), cancellationToken);
        await stream.WriteAsync(data, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>The start of what the server sends (enough for the status and error code), read until it closes (the request said
    /// <c>Connection: close</c>) or its chunked answer ends.</summary>
    private static async Task<string> ReadAllAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var tail = "";
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                var text = Encoding.UTF8.GetString(buffer, 0, n);
                if (head.Length < 4096)
                {
                    head.Append(text);
                }
                tail = (tail + text)[^Math.Min(tail.Length + text.Length, 16)..];
                if (tail.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
        }
        return head.ToString();
    }
}
