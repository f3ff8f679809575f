using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// Self sign-up, open to anyone exactly as <c>POST /uam/user/signup</c> is: <see cref="UserService.SignUpAsync"/> applies the
/// same name, e-mail and password rules, the same hashing (PBKDF2, one of the shared password-check slots) and refuses a
/// name already held by an account or by repositories. The new user is signed in at once.
/// </summary>
public sealed class SignUpModel(BrowsingAccess access, UserService users) : ManagementPageModel(access)
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public int MinimumPasswordLength => UserService.MinimumPasswordLength;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        User? created = null;
        var result = await ChangeAsync(async cancellationToken => created = await users.SignUpAsync(UserName, Email, Password, null, null, cancellationToken),
            $"user {UserName}", () => LocalRedirect("/"), () =>
            {
                Password = null;
                return SamePage();
            });
        if (created is not null)
        {
            await SessionCookie.IssueAsync(HttpContext, created);
        }
        return result;
    }
}
