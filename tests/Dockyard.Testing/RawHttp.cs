using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Dockyard.Testing;

/// <summary>One answer read off the wire: its status and its head (status line and headers) as text.</summary>
public sealed record RawAnswer(int Status, string Head);

/// <summary>
/// Bytes written to a server's socket exactly as given, for framing no HTTP client will produce (two Content-Length headers, a
/// chunk size past 2^31, a request after a body), and every answer the server sent back until it closed the connection.
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Writes <paramref name="request"/> to <paramref name="server"/> and reads until the server closes the connection or
    /// <paramref name="quiet"/> passes without a byte; returns the status and head of each answer, in order.
    /// </summary>
    public static async Task<IReadOnlyList<RawAnswer>> ExchangeAsync(Uri server, byte[] request, TimeSpan? quiet = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var wait = new CancellationTokenSource(quiet ?? TimeSpan.FromSeconds(10));
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, wait.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                break;
            }
            if (read == 0)
            {
                break;
            }
            received.Write(buffer, 0, read);
        }
        return Answers(Encoding.Latin1.GetString(received.ToArray()));
    }

    /// <summary>A request of <paramref name="head"/> lines (request line first; Host is added) and then exactly <paramref name="body"/>.</summary>
    public static byte[] Request(Uri server, IEnumerable<string> head, ReadOnlySpan<byte> body) =>
        [.. Encoding.Latin1.GetBytes(string.Join("\r\n", head.Take(1).Append($"Host: {server.Host}:{server.Port}").Concat(head.Skip(1))) + "\r\n\r\n"), .. body];

    // Each "HTTP/1.1 NNN" that starts a line after a blank one (or the text): bodies may hold anything, but the registry's
    // answers here are JSON or HTML, which never hold such a line.
    private static List<RawAnswer> Answers(string text)
    {
        var answers = new List<RawAnswer>();
        var at = 0;
        while ((at = text.IndexOf("HTTP/1.1 ", at, StringComparison.Ordinal)) >= 0)
        {
            if (at == 0 || text.AsSpan(0, at).EndsWith("\r\n"))
            {
                var end = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
                var head = end < 0 ? text[at..] : text[at..end];
                answers.Add(new RawAnswer(int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture), head));
            }
            at += 9;
        }
        return answers;
    }
}
