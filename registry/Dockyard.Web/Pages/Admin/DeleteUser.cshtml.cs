using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages.Admin;

/// <summary>
/// Deletes a user after a confirmation page, for administrators only (everyone else gets the 404 page), through
/// <see cref="UserService.DeleteAsync"/> as <c>DELETE /uam/user/&lt;name&gt;</c> and <c>dockyard user rm</c> do: a user
/// who still owns repositories, an LDAP user or the caller themselves is refused with Core's reason on this page (409).
/// </summary>
public sealed class DeleteUserModel(BrowsingAccess access, UserService users) : ManagementPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public User? Target { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await AdminOnlyAsync() ?? await ChangeAsync(LoadAsync, $"user {Name}", Page, SamePage);

    public async Task<IActionResult> OnPostAsync() =>
        await AdminOnlyAsync() ?? await ChangeAsync(async cancellationToken =>
        {
            await LoadAsync(cancellationToken);
            await users.DeleteAsync(Caller, Name, cancellationToken);
        }, $"user {Name}", () => RedirectToPage("/Admin/Users", new { deleted = Name }), SamePage);

    private async Task LoadAsync(CancellationToken cancellationToken) => Target = await users.GetAsync(Name, cancellationToken);

    private async Task<IActionResult?> AdminOnlyAsync() => (await IdentifyAsync()).IsAdmin ? null : Missing("page");
}
