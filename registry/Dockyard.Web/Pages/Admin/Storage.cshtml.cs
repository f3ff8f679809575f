using Dockyard.Core.Quotas;
using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Dockyard.Web.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages.Admin;

/// <summary>
/// Storage for administrators: every namespace's stored bytes against <c>[quota] namespacesize</c>, a page at a time
/// (figures up to <see cref="NamespaceStorage.Freshness"/> old), and garbage collection's recent runs and next start.
/// Everyone else gets the 404 page. A namespace's own admins see their figures on its page.
/// </summary>
public sealed class StorageModel(BrowsingAccess access, NamespaceListing listing, NamespaceStorage storage, CollectionStatus collection)
    : RegistryPageModel(access)
{
    public const int PageSize = 50;
    public const int Runs = 10;

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public IReadOnlyList<NamespaceUsage> Namespaces { get; private set; } = [];

    /// <summary>The cursor of the next page of namespaces; null at the end.</summary>
    public string? Next { get; private set; }

    public CollectionStatusView Collection { get; private set; } = new([], null);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!(await IdentifyAsync()).IsAdmin)
        {
            return Missing("page");
        }
        var cancellationToken = HttpContext.RequestAborted;
        var page = await listing.ListAsync(Caller, After, PageSize, cancellationToken);
        var usages = new List<NamespaceUsage>(page.Namespaces.Count);
        foreach (var ns in page.Namespaces)
        {
            usages.Add(await storage.UsageAsync(ns, cancellationToken));
        }
        Namespaces = usages;
        Next = page.Next;
        Collection = await collection.ReadAsync(Runs, cancellationToken);
        return Page();
    }
}
