using Dockyard.Core.Blobs;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// What the nodes of a cluster share: the metadata store and the blob store, as runtime.conf sections every node
/// gets verbatim. A backend owns a fresh, private slice of its services (a container, a table prefix, a database, a
/// namespace) and deletes it in <see cref="CleanUpAsync"/>.
/// </summary>
public abstract record ClusterBackend(string Name)
{
    /// <summary>
    /// The runtime.conf sections naming the shared stores (<c>[db]</c>, <c>[dockyard] backend</c> and the backend's
    /// own section), as INI text; the harness adds the <c>[dockyard]</c> keys every node sets for itself.
    /// </summary>
    public abstract IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; }

    /// <summary>The shared blob store itself, read behind the registry's back to check that every blob in it is whole.</summary>
    public abstract IBlobStore OpenBlobStore();

    /// <summary>Removes what the cluster wrote to the shared services.</summary>
    public abstract Task CleanUpAsync();
}
