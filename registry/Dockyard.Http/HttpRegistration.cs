using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Appc;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Events;
using Dockyard.Core.Manifests;
using Dockyard.Core.P2P;
using Dockyard.Core.Paging;
using Dockyard.Core.Quotas;
using Dockyard.Core.Referrers;
using Dockyard.Core.Signatures;
using Dockyard.Core.Uploads;
using Dockyard.Core.V1;
using Dockyard.Core.Volumes;
using Dockyard.Http.Appc;
using Dockyard.Http.Auth;
using Dockyard.Http.Health;
using Dockyard.Http.Events;
using Dockyard.Http.P2P;
using Dockyard.Http.Routing;
using Dockyard.Http.Telemetry;
using Dockyard.Http.Token;
using Dockyard.Http.Uam;
using Dockyard.Http.V1;
using Dockyard.Http.V2;
using Dockyard.Http.Volumes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Http;

/// <summary>
/// Registers the registry's services, handlers and the shared route table. The host registers the stores
/// (<c>IBlobStore</c>, <c>IMetadataStore</c>, <c>IAccountStore</c>, <c>IV1ImageStore</c>, <c>IImageSignatureStore</c>, <c>IPeerDistributionStore</c>), <see cref="RegistryHttpOptions"/>,
/// <see cref="RegistryAuthOptions"/> (standalone when absent), optionally an <c>IExternalAuthenticator</c> (LDAP), an
/// <see cref="IManifestPullGuard"/> (every pull allowed when absent), <c>IAciStore</c> with <see cref="AppcOptions"/>
/// (defaults when absent), an <see cref="IAciSignatureVerifier"/> (every ACI signature refused when absent),
/// <see cref="MetricsOptions"/> (an open /metrics when absent), an <c>IVolumeLeaseStore</c> (volume leases refused with 501 when absent), and
/// <c>IEventQueue</c> with <see cref="NotificationOptions"/> (no endpoints, so no events, when absent) and, for
/// <see cref="EventDelivery"/>, an <see cref="IEventSender"/>.
/// </summary>
public static class HttpRegistration
{
    public static IServiceCollection AddDockyardHttp(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new RegistryAuthOptions());
        services.TryAddSingleton<IManifestPullGuard, OpenPullGuard>();
        services.TryAddSingleton(new AppcOptions());
        services.TryAddSingleton(new QuotaOptions());
        services.TryAddSingleton(new CollectionOptions());
        services.TryAddSingleton<CollectionSchedule>();
        services.TryAddSingleton(new MetricsOptions());
        services.TryAddSingleton<IAciSignatureVerifier, UnavailableAciSignatureVerifier>();
        services.TryAddSingleton(new NotificationOptions());
        services.TryAddSingleton<IVolumeLeaseStore, UnavailableVolumeLeaseStore>();
        services.TryAddSingleton<IManifestCommitGuard>(sp => sp.GetRequiredService<VolumeLeaseService>());
        services.TryAddSingleton(new PeerTrackerOptions());
        services.AddSingleton<EventSignal>();
        services.AddSingleton<UploadHashCache>();
        services.AddSingleton(_ => new ManifestContentCache());
        services.AddSingleton(_ => new ListedTagPages());
        Singletons(services, typeof(BlobLinker), typeof(RepositoryReferences), typeof(GarbageCollector),
            typeof(BlobService), typeof(BlobUploadService), typeof(UploadPurge), typeof(ManifestService), typeof(ListingService), typeof(ReferrersService),
            typeof(AccountGuard), typeof(UserService), typeof(OrganizationService), typeof(TeamService), typeof(RepositoryPolicyService),
            typeof(AccessPolicy), typeof(RepositoryOwnership), typeof(RepositoryEraser), typeof(RepositoryAdoption), typeof(NamespaceQuota), typeof(UploadAdmission), typeof(LoginThrottle), typeof(TokenIssuer), typeof(TokenValidator), typeof(NamespaceAges), typeof(RequestAuthorizer),
            typeof(BlobHandler), typeof(BlobUploadHandler), typeof(ManifestHandler), typeof(TagListHandler), typeof(ReferrersHandler),
            typeof(ImageSignatureService), typeof(SignatureExtensionHandler), typeof(EventPublisher), typeof(EventDelivery), typeof(RequestEvents),
            typeof(TokenHandler), typeof(UserHandler), typeof(OrganizationHandler), typeof(TeamHandler), typeof(RepositoryHandler),
            typeof(V1Tokens), typeof(V1ImageService), typeof(V1RepositoryService), typeof(V1ToSchema2),
            typeof(V1UserHandler), typeof(V1RepositoryHandler), typeof(V1ImageHandler), typeof(V1SearchHandler),
            typeof(RegistryDispatcher), typeof(AciKeyRing), typeof(AciPushService), typeof(AciConverter), typeof(AppcNames),
            typeof(DiscoveryHandler), typeof(FetchHandler), typeof(PushHandler), typeof(PubkeysHandler),
            typeof(RequestTelemetry), typeof(HealthHandler), typeof(MetricsHandler),
            typeof(VolumeLeaseService), typeof(VolumeLeaseHandler));
        Singletons(services, typeof(PeerTracker), typeof(BlobPieceService), typeof(BlobTokens), typeof(PieceHandler), typeof(PeerHandler), typeof(BlobTokenHandler));
        services.TryAddSingleton(_ => new PasswordCheckSlots());
        services.AddSingleton(sp => new CredentialVerifier(sp.GetRequiredService<IAccountStore>(), sp.GetRequiredService<LoginThrottle>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<IExternalAuthenticator>(), sp.GetRequiredService<PasswordCheckSlots>()));
        services.AddSingleton(sp => new RouteTable(Routes(sp)));
        return services;
    }

    private static IEnumerable<RouteDefinition> Routes(IServiceProvider sp)
    {
        return HealthRoutes.Create(sp.GetRequiredService<HealthHandler>(), sp.GetRequiredService<MetricsHandler>())
            .Concat(UamRoutes.Create(sp.GetRequiredService<TokenHandler>(), sp.GetRequiredService<UserHandler>(), sp.GetRequiredService<OrganizationHandler>(),
                sp.GetRequiredService<TeamHandler>(), sp.GetRequiredService<RepositoryHandler>()))
            .Concat(V2Routes.Create(sp.GetRequiredService<BlobHandler>(), sp.GetRequiredService<BlobUploadHandler>(), sp.GetRequiredService<ManifestHandler>(),
                sp.GetRequiredService<TagListHandler>(), sp.GetRequiredService<ReferrersHandler>(),
                sp.GetRequiredService<SignatureExtensionHandler>()))
            .Concat(V1Routes.Create(sp.GetRequiredService<V1UserHandler>(), sp.GetRequiredService<V1RepositoryHandler>(),
                sp.GetRequiredService<V1ImageHandler>(), sp.GetRequiredService<V1SearchHandler>()))
            .Concat(VolumeRoutes.Create(sp.GetRequiredService<VolumeLeaseHandler>()))
            .Concat(P2PRoutes.Create(sp.GetRequiredService<PeerTrackerOptions>(), sp.GetRequiredService<PieceHandler>(), sp.GetRequiredService<PeerHandler>(), sp.GetRequiredService<BlobTokenHandler>()))
            .Concat(AppcRoutes.Create(sp.GetRequiredService<DiscoveryHandler>(), sp.GetRequiredService<FetchHandler>(),
                sp.GetRequiredService<PushHandler>(), sp.GetRequiredService<PubkeysHandler>()))
            // Last: it matches any path, but only with ?ac-discovery=1.
            .Append(AppcRoutes.RootDiscovery(sp.GetRequiredService<DiscoveryHandler>()));
    }

    private static void Singletons(IServiceCollection services, params Type[] types)
    {
        foreach (var type in types)
        {
            services.AddSingleton(type);
        }
    }
}
