using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>The home page: the namespaces holding something the caller may read, a page at a time.</summary>
public sealed class IndexModel(BrowsingAccess access, NamespaceListing listing) : RegistryPageModel(access)
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>A repository just deleted, to confirm it; null otherwise.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Deleted { get; set; }

    public NamespacePage Namespaces { get; private set; } = new([], null);

    public async Task OnGetAsync()
    {
        await IdentifyAsync();
        Namespaces = await listing.ListAsync(Caller, After, PageSize, HttpContext.RequestAborted);
    }
}
