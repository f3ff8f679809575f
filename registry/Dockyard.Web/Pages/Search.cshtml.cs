using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>Repositories the caller may read whose name contains the query (lower-cased, as names are), a page at a time.</summary>
public sealed class SearchModel(BrowsingAccess access, RepositorySearch search) : RegistryPageModel(access)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>Null before a query is entered.</summary>
    public SearchPage? Results { get; private set; }

    public async Task OnGetAsync()
    {
        await IdentifyAsync();
        var query = Q?.Trim().ToLowerInvariant();
        if (query is { Length: > 0 and <= RepositorySearch.MaxQueryLength })
        {
            Q = query;
            Results = await search.SearchAsync(Caller, query, After, PageSize, HttpContext.RequestAborted);
        }
    }
}
