using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages.Organizations;

/// <summary>
/// A team: its members and its grants on the organization's repositories, for members of the organization (404 for
/// anyone else). <see cref="TeamService"/> decides who may change what, as for <c>/uam/team/…</c>: organization admins
/// and team admins staff the team, only organization admins grant it a permission on a repository.
/// </summary>
[Authorize]
public sealed class TeamModel(BrowsingAccess access, TeamService teams, AccountGuard guard) : ManagementPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Org { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Team { get; set; } = "";

    [BindProperty]
    public string? Member { get; set; }

    [BindProperty]
    public bool AsAdmin { get; set; }

    /// <summary>The repository's name inside the organization.</summary>
    [BindProperty]
    public string? Repository { get; set; }

    [BindProperty]
    public bool Write { get; set; }

    public IReadOnlyList<TeamMember> Members { get; private set; } = [];

    public IReadOnlyList<TeamRepository> Grants { get; private set; } = [];

    /// <summary>An admin of the organization (or of the registry): may staff the team and grant it repositories.</summary>
    public bool IsOrganizationAdmin { get; private set; }

    /// <summary>May add and remove members: an organization admin or an admin of this team.</summary>
    public bool CanStaff { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAddMemberAsync() =>
        await LoadAsync() ?? await ChangeAsync(
            async cancellationToken => await teams.AddUserAsync(Caller, Org, Team, Member, (int)(AsAdmin ? TeamRole.Admin : TeamRole.Member), cancellationToken),
            What, Reload, SamePage);

    public async Task<IActionResult> OnPostRemoveMemberAsync() =>
        await LoadAsync() ?? await ChangeAsync(cancellationToken => teams.RemoveUserAsync(Caller, Org, Team, Member ?? "", cancellationToken),
            What, Reload, SamePage);

    public async Task<IActionResult> OnPostGrantAsync() =>
        await LoadAsync() ?? await ChangeAsync(
            async cancellationToken => await teams.AddRepositoryAsync(Caller, Org, Repository, Team, (int)(Write ? TeamPermit.Write : TeamPermit.Read), cancellationToken),
            What, Reload, SamePage);

    public async Task<IActionResult> OnPostRevokeAsync() =>
        await LoadAsync() ?? await ChangeAsync(cancellationToken => teams.RemoveRepositoryAsync(Caller, Org, Team, Repository ?? "", cancellationToken),
            What, Reload, SamePage);

    private string What => $"team {Org}/{Team}";

    private RedirectToPageResult Reload() => RedirectToPage("/Organizations/Team", new { org = Org, team = Team });

    private async Task<IActionResult?> LoadAsync()
    {
        await IdentifyAsync();
        try
        {
            (_, Members, Grants) = await teams.GetAsync(Caller, Org, Team, HttpContext.RequestAborted);
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.NotFound or RegistryErrorCode.Denied)
        {
            return Missing(What);
        }
        IsOrganizationAdmin = await guard.IsOrganizationAdminAsync(Caller, Org, HttpContext.RequestAborted);
        CanStaff = IsOrganizationAdmin || Members.Any(m => m.User == Caller.UserName && m.Role == TeamRole.Admin);
        return null;
    }
}
