using System.Net;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Launcher.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Launcher.Tests;

/// <summary>
/// The launcher (and the P2P agent, which reads manifests through the same client) against a server answering in the
/// registry's place with endless bodies: what is read into memory stops at the body's own bound, with or without a
/// Content-Length, instead of growing until the process dies.
/// </summary>
public sealed class HostileRegistryTests
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_oversized_manifest_is_refused_with_or_without_a_content_length(bool declareLength)
    {
        await using var registry = await HostileRegistry.StartAsync(ManifestParser.MaxManifestBytes + 1, declareLength);
        using var client = new RegistryClient(registry.Address, null);

        var error = await Assert.ThrowsAsync<LaunchException>(() => client.GetManifestAsync(Repository, "latest", CancellationToken.None));

        Assert.Equal(LaunchFailure.Registry, error.Failure);
        Assert.Contains("more than", error.Message, StringComparison.Ordinal);
        // Without a declared length the server gets to send only about the limit before the client stops reading.
        Assert.True(registry.BytesSent <= ManifestParser.MaxManifestBytes + (1 << 20), $"{registry.BytesSent} bytes were sent");
    }

    [Fact]
    public async Task A_blob_longer_than_its_descriptor_is_refused()
    {
        await using var registry = await HostileRegistry.StartAsync(64 * 1024, declareLength: false);
        using var client = new RegistryClient(registry.Address, null);
        var descriptor = new Descriptor("application/vnd.oci.image.config.v1+json", Digest.Compute(new byte[16]), 16, null, [], null);

        var error = await Assert.ThrowsAsync<LaunchException>(() => client.ReadBlobAsync(Repository, descriptor, 1024, CancellationToken.None));

        Assert.Contains("more than 16 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_within_the_bound_is_read()
    {
        var manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"""u8.ToArray();
        await using var registry = await HostileRegistry.StartAsync(manifest);
        using var client = new RegistryClient(registry.Address, null);

        var read = await client.GetManifestAsync(Repository, "latest", CancellationToken.None);

        Assert.Equal(manifest, read!.Bytes);
    }

    /// <summary>A Kestrel server on loopback answering every request with the same body, counting what it wrote.</summary>
    private sealed class HostileRegistry : IAsyncDisposable
    {
        private readonly WebApplication app;
        private long sent;

        private HostileRegistry(WebApplication app) => this.app = app;

        public Uri Address { get; private set; } = null!;

        public long BytesSent => Interlocked.Read(ref sent);

        public static Task<HostileRegistry> StartAsync(byte[] body) => StartAsync(body.Length, true, body);

        public static async Task<HostileRegistry> StartAsync(long length, bool declareLength, byte[]? body = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var registry = new HostileRegistry(app);
            app.Run(async context =>
            {
                context.Response.ContentType = MediaTypes.OciManifest;
                if (declareLength)
                {
                    context.Response.ContentLength = length;
                }
                var chunk = body ?? new byte[64 * 1024];
                try
                {
                    for (long written = 0; written < length; written += chunk.Length)
                    {
                        var count = (int)Math.Min(chunk.Length, length - written);
                        await context.Response.Body.WriteAsync(chunk.AsMemory(0, count), context.RequestAborted);
                        Interlocked.Add(ref registry.sent, count);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The client stopped reading: what this test wants.
                }
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            registry.Address = new Uri(address + "/");
            return registry;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
