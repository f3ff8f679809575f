using Dockyard.Core.Names;
using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>A namespace's repositories that the caller may read; a namespace showing none is reported missing.</summary>
public sealed class NamespaceModel(BrowsingAccess access, RepositoryListing listing) : RegistryPageModel(access)
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string Ns { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public RepositoryPage Repositories { get; private set; } = new([], null);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!RepositoryName.TryParse(Ns, out _) || Ns.Contains('/'))
        {
            return Missing($"namespace {Ns}");
        }
        await IdentifyAsync();
        Repositories = await listing.ListAsync(Caller, Ns, After, PageSize, HttpContext.RequestAborted);
        return Repositories.Repositories.Count == 0 && After is null ? Missing($"namespace {Ns}") : Page();
    }
}
