using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages.Organizations;

/// <summary>
/// An organization's members and teams, for its members (and registry admins); to anyone else it is the 404 page, for
/// reading and for every form alike. Adding and removing members and creating teams go through
/// <see cref="OrganizationService"/> and <see cref="TeamService"/>, which let only the organization's admins do them
/// (403 for other members) and keep at least one admin.
/// </summary>
[Authorize]
public sealed class OrganizationModel(BrowsingAccess access, OrganizationService organizations, TeamService teams, AccountGuard guard)
    : ManagementPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Org { get; set; } = "";

    [BindProperty]
    public string? Member { get; set; }

    [BindProperty]
    public bool AsAdmin { get; set; }

    [BindProperty]
    public string? TeamName { get; set; }

    public IReadOnlyList<OrganizationMember> Members { get; private set; } = [];

    public IReadOnlyList<Team> Teams { get; private set; } = [];

    /// <summary>True when the caller may change membership and teams (an admin of the organization or of the registry).</summary>
    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAddMemberAsync() =>
        await LoadAsync() ?? await ChangeAsync(
            async cancellationToken => await organizations.AddUserAsync(Caller, Org, Member,
                (int)(AsAdmin ? OrganizationRole.Admin : OrganizationRole.Member), cancellationToken),
            $"organization {Org}", Reload, SamePage);

    public async Task<IActionResult> OnPostRemoveMemberAsync() =>
        await LoadAsync() ?? await ChangeAsync(cancellationToken => organizations.RemoveUserAsync(Caller, Org, Member ?? "", cancellationToken),
            $"organization {Org}", Reload, SamePage);

    public async Task<IActionResult> OnPostCreateTeamAsync() =>
        await LoadAsync() ?? await ChangeAsync(async cancellationToken => await teams.CreateAsync(Caller, Org, TeamName, null, cancellationToken),
            $"organization {Org}", () => RedirectToPage("/Organizations/Team", new { org = Org, team = TeamName }), SamePage);

    private RedirectToPageResult Reload() => RedirectToPage("/Organizations/Organization", new { org = Org });

    // The members-only read decides whether the organization exists for the caller; every handler starts with it.
    private async Task<IActionResult?> LoadAsync()
    {
        await IdentifyAsync();
        try
        {
            Members = await organizations.ListMembersAsync(Caller, Org, HttpContext.RequestAborted);
            Teams = await teams.ListAsync(Caller, Org, HttpContext.RequestAborted);
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.NotFound or RegistryErrorCode.Denied)
        {
            return Missing($"organization {Org}");
        }
        CanManage = await guard.IsOrganizationAdminAsync(Caller, Org, HttpContext.RequestAborted);
        return null;
    }
}
