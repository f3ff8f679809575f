using System.Net.Sockets;
using Docker.DotNet;

namespace Dockyard.Launcher.Engine;

/// <summary>
/// Connects to the Docker engine named by <c>DOCKER_HOST</c> (default <c>unix:///var/run/docker.sock</c>) through
/// Docker.DotNet.Enhanced, and turns transport failures into <see cref="LaunchFailure.EngineUnreachable"/>.
/// </summary>
public static class EngineConnection
{
    public const string DefaultHost = "unix:///var/run/docker.sock";

    public static string Host => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : DefaultHost;

    /// <summary>A client that has answered a ping.</summary>
    /// <exception cref="LaunchException">The host is malformed or the engine does not answer.</exception>
    public static async Task<DockerClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var host = Host;
        if (!Uri.TryCreate(host, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("unix" or "tcp" or "http" or "https"))
        {
            throw new LaunchException(LaunchFailure.EngineUnreachable, $"DOCKER_HOST '{host}' is not unix:///PATH or tcp://HOST:PORT");
        }
        DockerClient client;
        try
        {
            client = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        }
        catch (Exception e) when (e is DockerConfigurationException or ArgumentException or NotSupportedException)
        {
            throw new LaunchException(LaunchFailure.EngineUnreachable, $"{host}: {e.Message}", e);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await client.System.PingAsync(timeout.Token);
            return client;
        }
        catch (Exception e) when (IsTransport(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new LaunchException(LaunchFailure.EngineUnreachable, $"{host}: {Innermost(e).Message} (is dockerd running? set DOCKER_HOST)", e);
        }
    }

    /// <summary>Runs an engine call, mapping transport failures and API errors to <see cref="LaunchException"/>s.</summary>
    public static async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DockerApiException e)
        {
            throw new LaunchException(LaunchFailure.Engine, $"{what}: {Message(e)}", e);
        }
        catch (Exception e) when (IsTransport(e))
        {
            throw new LaunchException(LaunchFailure.EngineUnreachable, $"{what}: {Innermost(e).Message}", e);
        }
    }

    public static Task CallAsync(string what, Func<Task> call) => CallAsync(what, async () =>
    {
        await call();
        return true;
    });

    /// <summary>The engine's own message from an API error body (<c>{"message":"…"}</c>).</summary>
    public static string Message(DockerApiException e)
    {
        try
        {
            using var body = System.Text.Json.JsonDocument.Parse(e.ResponseBody ?? "");
            return body.RootElement.GetProperty("message").GetString() ?? e.Message;
        }
        catch (Exception parse) when (parse is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or ArgumentNullException)
        {
            return e.ResponseBody is { Length: > 0 } text ? text.Trim() : e.Message;
        }
    }

    private static bool IsTransport(Exception e) => e is HttpRequestException or SocketException or IOException
        || e.InnerException is { } inner && IsTransport(inner);

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
