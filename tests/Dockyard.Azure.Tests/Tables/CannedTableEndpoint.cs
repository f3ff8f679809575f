using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Dockyard.Azure.Tables;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>
/// A table endpoint on loopback that answers every request with one status and Azure's error body, for the answers
/// Azurite cannot be made to give (503 ServerBusy, 500, 429). The real SDK talks to it over HTTP, retries included.
/// </summary>
internal sealed class CannedTableEndpoint : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly HttpListener listener = new();
    private readonly int status;
    private readonly string errorCode;
    private readonly Task serving;
    private int requests;

    private CannedTableEndpoint(int port, int status, string errorCode)
    {
        Port = port;
        this.status = status;
        this.errorCode = errorCode;
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>The requests answered so far (each of the SDK's attempts is one).</summary>
    public int Requests => Volatile.Read(ref requests);

    public static CannedTableEndpoint Start(int status, string errorCode) => new(DockyardProcess.FreePort(), status, errorCode);

    /// <summary>Tables on <paramref name="port"/> whose client retries <paramref name="retries"/> times, quickly.</summary>
    public static AzureTables Tables(int port, int retries) => AzureTables.FromOptions(
        new AzureTableOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        },
        new TableClientOptions { Retry = { MaxRetries = retries, Delay = TimeSpan.FromMilliseconds(10), Mode = RetryMode.Fixed } });

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            Interlocked.Increment(ref requests);
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["odata.error"] = new { code = errorCode, message = new { lang = "en-US", value = $"canned {status}" } },
            });
            context.Response.StatusCode = status;
            context.Response.Headers["x-ms-error-code"] = errorCode;
            context.Response.ContentType = "application/json;odata=minimalmetadata";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
