using Dockyard.Core.Blobs;
using Dockyard.Core.Manifests;
using Dockyard.Core.Paging;
using Dockyard.Core.Referrers;
using Dockyard.Core.Uploads;
using Dockyard.Http.Routing;
using Dockyard.Http.V2;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Http;

/// <summary>
/// Registers the registry's services, handlers and the shared route table. The host registers the stores
/// (<c>IBlobStore</c>, <c>IMetadataStore</c>) and <see cref="RegistryHttpOptions"/>.
/// </summary>
public static class HttpRegistration
{
    public static IServiceCollection AddDockyardHttp(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<UploadHashCache>();
        services.AddSingleton(_ => new ManifestContentCache());
        services.AddSingleton<BlobService>();
        services.AddSingleton<BlobUploadService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<ListingService>();
        services.AddSingleton<ReferrersService>();
        services.AddSingleton<BlobHandler>();
        services.AddSingleton<BlobUploadHandler>();
        services.AddSingleton<ManifestHandler>();
        services.AddSingleton<TagListHandler>();
        services.AddSingleton<ReferrersHandler>();
        services.AddSingleton(sp => new RouteTable(V2Routes.Create(
            sp.GetRequiredService<BlobHandler>(), sp.GetRequiredService<BlobUploadHandler>(), sp.GetRequiredService<ManifestHandler>(),
            sp.GetRequiredService<TagListHandler>(), sp.GetRequiredService<ReferrersHandler>())));
        services.AddSingleton<RegistryDispatcher>();
        return services;
    }
}
