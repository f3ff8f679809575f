using Dockyard.Core.Names;
using Dockyard.Core.Quotas;
using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Dockyard.Web.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// A namespace's repositories that the caller may read; a namespace showing none is reported missing. The namespace's
/// admins (see <see cref="BrowsingAccess.AdministersNamespaceAsync"/>) also see its storage against the quota and the
/// garbage collector's status.
/// </summary>
public sealed class NamespaceModel(BrowsingAccess access, RepositoryListing listing, NamespaceStorage storage, CollectionStatus collection)
    : RegistryPageModel(access)
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string Ns { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public RepositoryPage Repositories { get; private set; } = new([], null);

    /// <summary>The namespace's storage; null unless the caller administers the namespace.</summary>
    public NamespaceUsage? Storage { get; private set; }

    /// <summary>Garbage collection's status; null unless the caller administers the namespace.</summary>
    public CollectionStatusView? Collection { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!RepositoryName.TryParse(Ns, out _) || Ns.Contains('/'))
        {
            return Missing($"namespace {Ns}");
        }
        await IdentifyAsync();
        Repositories = await listing.ListAsync(Caller, Ns, After, PageSize, HttpContext.RequestAborted);
        if (Repositories.Repositories.Count == 0 && After is null)
        {
            return Missing($"namespace {Ns}");
        }
        if (await Access.AdministersNamespaceAsync(Caller, Ns, HttpContext.RequestAborted))
        {
            Storage = await storage.UsageAsync(Ns, HttpContext.RequestAborted);
            // Ten runs, so the last real collection shows even after a few dry runs.
            Collection = await collection.ReadAsync(10, HttpContext.RequestAborted);
        }
        return Page();
    }
}
