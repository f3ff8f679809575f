using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// A repository: its visibility, a page of tags, and for those who may delete in it (owners, organization admins,
/// registry admins) the visibility switch and links to delete tags. Changing visibility goes through
/// <see cref="RepositoryPolicyService"/>, as the UAM API does.
/// </summary>
public sealed class RepositoryModel(BrowsingAccess access, TagListing tags, IAccountStore accounts, RepositoryPolicyService policies, IMetadataStore metadata,
    OlderFormatListing olderFormats)
    : RegistryPageModel(access)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>A tag just deleted, to confirm it; null otherwise.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Deleted { get; set; }

    [BindProperty]
    public bool MakePublic { get; set; }

    public RepositoryPolicy? Policy { get; private set; }

    public bool CanManage { get; private set; }

    public TagPage Tags { get; private set; } = new([], null);

    /// <summary>The repository's Docker V1 tags and appc ACIs (first page of each).</summary>
    public OlderFormats Older { get; private set; } = new([], false, [], false);

    public async Task<IActionResult> OnGetAsync()
    {
        await IdentifyAsync();
        if (await ReadableAsync(Name) is not ({ } repository, var actions))
        {
            return Missing($"repository {Name}");
        }
        CanManage = actions.HasFlag(RepositoryActions.Delete);
        Policy = AccessPolicy.Split(repository) is (var ns, { } name) ? await accounts.Repositories.GetAsync(ns, name, HttpContext.RequestAborted) : null;
        // The owner may read a name in their namespace before anything is there (a push would create it); the page shows
        // only what exists, so a deleted repository is gone here too.
        if (Policy is null && !await metadata.Repositories.ExistsAsync(repository, HttpContext.RequestAborted))
        {
            return Missing($"repository {Name}");
        }
        Tags = await tags.ListAsync(repository, After, PageSize, HttpContext.RequestAborted);
        Older = await olderFormats.ListAsync(repository, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostVisibilityAsync()
    {
        if ((await IdentifyAsync()).IsAnonymous)
        {
            return Challenge();
        }
        if (await ReadableAsync(Name) is not ({ } repository, _) || AccessPolicy.Split(repository) is not (var ns, { } name))
        {
            return Missing($"repository {Name}");
        }
        try
        {
            await policies.UpdateAsync(Caller, ns, name, MakePublic, null, HttpContext.RequestAborted);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.NotFound)
        {
            return Missing($"repository {Name}");
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.Denied)
        {
            return Forbidden($"repository {Name}");
        }
        return RedirectToPage("/Repository", new { name = repository.Value });
    }
}
