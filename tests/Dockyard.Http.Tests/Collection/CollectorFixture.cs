using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Metadata;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Http.Tests.Collection;

/// <summary>Garbage collectors over a running test server's own stores.</summary>
internal static class CollectorFixture
{
    /// <summary>A collector whose clock runs <paramref name="ahead"/> (default two hours) ahead, with the server's grace period and rules unless given.</summary>
    public static GarbageCollector Collector(RegistryServer server, CollectionOptions? options = null, TimeSpan? ahead = null) =>
        new(server.Services.GetRequiredService<IBlobStore>(), server.Services.GetRequiredService<IMetadataStore>(),
            server.Services.GetRequiredService<RepositoryReferences>(), options ?? server.Services.GetRequiredService<CollectionOptions>(),
            new ShiftedTime(ahead ?? TimeSpan.FromHours(2)));

    public static IBlobStore Blobs(RegistryServer server) => server.Services.GetRequiredService<IBlobStore>();

    public static IMetadataStore Metadata(RegistryServer server) => server.Services.GetRequiredService<IMetadataStore>();
}
