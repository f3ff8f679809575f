using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Dockyard.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages.Organizations;

/// <summary>The caller's organizations and a form to create one (through <see cref="OrganizationService"/>: the creator becomes its first admin).</summary>
[Authorize]
public sealed class IndexModel(BrowsingAccess access, OrganizationListing listing, OrganizationService organizations) : ManagementPageModel(access)
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    public OrganizationPage Organizations { get; private set; } = new([], null);

    public async Task<IActionResult> OnGetAsync()
    {
        await IdentifyAsync();
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await IdentifyAsync();
        return await ChangeAsync(
            async cancellationToken => await organizations.CreateAsync(Caller, NewName, null, null, null, null, null, cancellationToken),
            $"organization {NewName}", () => RedirectToPage("/Organizations/Organization", new { org = NewName }), ShowAsync);
    }

    private async Task<IActionResult> ShowAsync()
    {
        Organizations = await listing.ListAsync(Caller, After, PageSize, HttpContext.RequestAborted);
        return Page();
    }
}
