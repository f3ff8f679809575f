using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Dockyard.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// Creates an empty repository, private unless asked otherwise, in the caller's own namespace or an organization they
/// administer, through <see cref="RepositoryPolicyService.CreateAsync"/> as <c>POST /uam/repository</c> does (which
/// also refuses a name that already holds data).
/// </summary>
[Authorize]
public sealed class NewRepositoryModel(BrowsingAccess access, RepositoryPolicyService policies, OrganizationListing organizations, IAccountStore accounts)
    : ManagementPageModel(access)
{
    [BindProperty]
    public string? Namespace { get; set; }

    [BindProperty]
    public string? RepositoryName { get; set; }

    [BindProperty]
    public bool IsPublic { get; set; }

    /// <summary>Where the caller may create: their own namespace, then the organizations they administer.</summary>
    public IReadOnlyList<string> Namespaces { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await IdentifyAsync();
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await IdentifyAsync();
        // Organizations by their name, the user's own namespace by theirs: UAM takes exactly one of the two.
        var isOrganization = Namespace is { Length: > 0 } ns && await accounts.Organizations.GetAsync(ns, HttpContext.RequestAborted) is not null;
        return await ChangeAsync(
            async cancellationToken => await policies.CreateAsync(Caller, RepositoryName, IsPublic, null,
                isOrganization ? Namespace : null, isOrganization ? null : Namespace, cancellationToken),
            $"namespace {Namespace}", () => RedirectToPage("/Repository", new { name = $"{Namespace}/{RepositoryName}" }), ShowAsync);
    }

    private async Task<IActionResult> ShowAsync()
    {
        var page = await organizations.ListAsync(Caller, null, 100, HttpContext.RequestAborted);
        Namespaces = [Caller.UserName!, .. page.Organizations.Where(o => o.Role is null or OrganizationRole.Admin).Select(o => o.Name)];
        return Page();
    }
}
