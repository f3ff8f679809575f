using System.Net;
using System.Net.Sockets;

namespace Dockyard.Testing;

/// <summary>An address nothing listens on, for tests of a service that is down.</summary>
public static class ClosedPort
{
    /// <summary><c>127.0.0.1:port</c> with a port just freed (nothing listens there unless another process took it since).</summary>
    public static string Address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }
}
