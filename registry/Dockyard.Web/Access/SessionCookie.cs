using System.Security.Claims;
using Dockyard.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Web.Access;

/// <summary>
/// Starts a session for a user whose password was just checked (sign-in) or just set (sign-up): the cookie holds the
/// user name and a stamp of the stored password (<see cref="CredentialStamp"/>), never the password.
/// </summary>
internal static class SessionCookie
{
    public static Task IssueAsync(HttpContext context, User user)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(BrowsingAccess.StampClaim, CredentialStamp.Of(user))],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }
}
