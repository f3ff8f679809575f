using System.Net;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Http.Tests.Volumes;

/// <summary>
/// The fencing rule's atomicity (docs/volumes.md): a host whose lease is taken over while its version is being stored
/// cannot leave that version tagged, and a commit past its second check keeps the lease until its tag is written.
/// Host A's lease has a 1 s TTL; the hooks wait past it and let host B act at the exact point.
/// </summary>
public sealed class VolumeCommitRaceTests
{
    private const string Repository = "team/vol";
    private static readonly RepositoryName Name = RepositoryName.Parse(Repository);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PastTtl = TimeSpan.FromMilliseconds(1300);

    [Fact]
    public async Task A_lease_taken_over_while_the_version_is_stored_refuses_it_and_latest_stays()
    {
        await using var server = await StartAsync();
        var (store, leases, config) = await ScenarioAsync(server);
        var first = await leases.AcquireAsync(Name, "host-a", Short, CancellationToken.None);
        var v1 = await PutAsync(server, Version(config, 1), first.Token);
        Assert.Equal(HttpStatusCode.Created, v1.StatusCode);
        await leases.ReleaseAsync(Name, "host-a", first.Token, CancellationToken.None);

        var stale = await leases.AcquireAsync(Name, "host-a", Short, CancellationToken.None);
        VolumeLease? taken = null;
        store.BeforeManifestPut = async () =>
        {
            taken = await TakeOverAsync(leases);
        };
        var v2 = await PutAsync(server, Version(config, 2), stale.Token);

        await RegistryPush.AssertErrorAsync(v2, HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(stale.Token + 1, taken?.Token);
        Assert.Equal(RegistryPush.Header(v1, "Docker-Content-Digest"), (await store.Tags.GetAsync(Name, "latest", CancellationToken.None))?.Value);
        Assert.Null(await store.Manifests.GetAsync(Name, Digest.Parse(RegistryPush.DigestOf(System.Text.Encoding.UTF8.GetBytes(Version(config, 2)))), CancellationToken.None));
    }

    [Fact]
    public async Task A_confirmed_version_keeps_the_lease_until_its_tag_is_written()
    {
        await using var server = await StartAsync();
        var (store, leases, config) = await ScenarioAsync(server);
        var lease = await leases.AcquireAsync(Name, "host-a", Short, CancellationToken.None);
        RegistryException? refused = null;
        store.BeforeTagSet = async () =>
        {
            refused = await Assert.ThrowsAsync<RegistryException>(() => TakeOverAsync(leases));
        };
        var put = await PutAsync(server, Version(config, 1), lease.Token);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(RegistryErrorCode.Conflict, refused?.Code);
        Assert.Equal(RegistryPush.Header(put, "Docker-Content-Digest"), (await store.Tags.GetAsync(Name, "latest", CancellationToken.None))?.Value);
    }

    private static Task<RegistryServer> StartAsync() => RegistryServer.StartAsync(services: services =>
    {
        var registered = services.Last(d => d.ServiceType == typeof(IMetadataStore));
        services.RemoveAll<IMetadataStore>();
        services.AddSingleton(sp => new HookedMetadataStore((IMetadataStore)registered.ImplementationFactory!(sp)));
        services.AddSingleton<IMetadataStore>(sp => sp.GetRequiredService<HookedMetadataStore>());
    });

    private static async Task<(HookedMetadataStore Store, VolumeLeaseService Leases, TestDescriptor Config)> ScenarioAsync(RegistryServer server) =>
        (server.Services.GetRequiredService<HookedMetadataStore>(), server.Services.GetRequiredService<VolumeLeaseService>(),
            await RegistryPush.PushDescriptorAsync(server.Client, Repository, VolumeArtifact.IndexMediaType, "{}"u8.ToArray()));

    // Host B, once host A's 1 s lease has run out.
    private static async Task<VolumeLease> TakeOverAsync(VolumeLeaseService leases)
    {
        await Task.Delay(PastTtl);
        return await leases.AcquireAsync(Name, "host-b", TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    private static string Version(TestDescriptor config, int number) =>
        RegistryPush.ImageManifestJson(RegistryPush.OciManifest, config, [],
            $"\"artifactType\":\"{VolumeArtifact.ArtifactType}\",\"annotations\":{{\"{VolumeArtifact.VersionAnnotation}\":\"{number}\"}}");

    private static async Task<HttpResponseMessage> PutAsync(RegistryServer server, string manifest, long token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/{Repository}/manifests/latest")
        {
            Content = new StringContent(manifest, System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new(RegistryPush.OciManifest);
        request.Headers.Add(VolumeArtifact.FencingTokenHeader, token.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await server.Client.SendAsync(request);
    }
}
