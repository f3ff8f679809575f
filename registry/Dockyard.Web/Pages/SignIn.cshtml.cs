using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dockyard.Web.Pages;

/// <summary>
/// Signs in with a Dockyard (or LDAP) account through the same <see cref="CredentialVerifier"/> as Basic auth and the
/// token endpoint, so the same failure throttle counts guesses from every door. The cookie holds the user name and a
/// stamp of the password it was signed in with (<see cref="SessionCookie"/>), never the password.
/// </summary>
public sealed class SignInModel(BrowsingAccess access, CredentialVerifier verifier, IAccountStore accounts) : RegistryPageModel(access)
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why the last attempt failed; null before one.</summary>
    public string? Failure { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(UserName) || string.IsNullOrEmpty(Password))
        {
            return Fail(StatusCodes.Status400BadRequest, "Enter your user name and password.");
        }
        var check = await verifier.VerifyAsync(UserName, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.RequestAborted);
        if (check.Principal is not { UserName: { } name })
        {
            return check switch
            {
                { Outcome: AuthenticationOutcome.Unavailable } => Fail(StatusCodes.Status503ServiceUnavailable,
                    "The directory that checks passwords is unavailable; try again later."),
                { Throttled: true } => Fail(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins; try again in a few minutes."),
                _ => Fail(StatusCodes.Status401Unauthorized, "Invalid user name or password."),
            };
        }
        if (await accounts.Users.GetAsync(name, HttpContext.RequestAborted) is not { } user)
        {
            return Fail(StatusCodes.Status401Unauthorized, "Invalid user name or password.");
        }
        await SessionCookie.IssueAsync(HttpContext, user);
        // Only a path on this site: an open redirect would let a link to the sign-in page send the user anywhere.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private PageResult Fail(int status, string message)
    {
        Response.StatusCode = status;
        Failure = message;
        Password = null;
        return Page();
    }
}
