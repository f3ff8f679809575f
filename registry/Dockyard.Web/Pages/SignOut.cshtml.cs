using Dockyard.Web.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>Ends the session. POST only (with the antiforgery token), so a link or image elsewhere cannot sign anyone out.</summary>
public sealed class SignOutModel(BrowsingAccess access) : RegistryPageModel(access)
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/Index");
    }
}
