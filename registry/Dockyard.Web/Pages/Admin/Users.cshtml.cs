using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages.Admin;

/// <summary>
/// The registry's users for administrators: a page of them, adding one (as <c>dockyard user add</c>, through
/// <see cref="UserService.AddAsync"/>: same rules and hashing as sign-up) and granting or taking the admin flag. Everyone
/// else, anonymous included, gets the 404 page: the page does not exist for them. Each user links to the confirmation
/// page that deletes them (<see cref="DeleteUserModel"/>).
/// </summary>
public sealed class UsersModel(BrowsingAccess access, UserService users, IAccountStore accounts) : ManagementPageModel(access)
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>The user just deleted (after the delete page's redirect); null otherwise.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Deleted { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewEmail { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public bool NewIsAdmin { get; set; }

    /// <summary>The user whose admin flag the form sets.</summary>
    [BindProperty]
    public string? Target { get; set; }

    [BindProperty]
    public bool MakeAdmin { get; set; }

    public IReadOnlyList<User> Users { get; private set; } = [];

    /// <summary>The last user shown when more follow; null at the end.</summary>
    public string? Next { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await AdminOnlyAsync() ?? await ShowAsync();

    public async Task<IActionResult> OnPostAddAsync() =>
        await AdminOnlyAsync() ?? await ChangeAsync(
            async cancellationToken => await users.AddAsync(NewName, NewPassword, string.IsNullOrWhiteSpace(NewEmail) ? null : NewEmail, NewIsAdmin, cancellationToken),
            $"user {NewName}", () => RedirectToPage("/Admin/Users"), () =>
            {
                NewPassword = null;
                return ShowAsync();
            });

    public async Task<IActionResult> OnPostAdminAsync() =>
        await AdminOnlyAsync() ?? await ChangeAsync(SetAdminAsync, $"user {Target}", () => RedirectToPage("/Admin/Users"), ShowAsync);

    private async Task SetAdminAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(Target ?? "", cancellationToken);
        if (user.Name == Caller.UserName && !MakeAdmin)
        {
            // An administrator demoting themselves from the UI would lose this very page; another admin (or the CLI) may.
            throw new RegistryException(RegistryErrorCode.Conflict, "you cannot take your own admin rights; ask another administrator");
        }
        await accounts.Users.UpdateAsync(user with { IsAdmin = MakeAdmin }, cancellationToken);
    }

    private async Task<IActionResult?> AdminOnlyAsync() => (await IdentifyAsync()).IsAdmin ? null : Missing("page");

    private async Task<IActionResult> ShowAsync()
    {
        var page = await users.ListAsync(After, PageSize + 1, HttpContext.RequestAborted);
        Users = page.Take(PageSize).ToList();
        Next = page.Count > PageSize ? Users[^1].Name : null;
        return Page();
    }
}
