using Dockyard.Core.Errors;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dockyard.Web.Pages;

/// <summary>
/// A page whose forms change accounts or repositories through Core's services, which answer as they answer the UAM API:
/// something missing (or not the caller's to see) is the 404 page, something seen but not theirs to change is the 403
/// page, and a bad or conflicting value is shown on the form again (400, 409 or 429) as <see cref="Problem"/>.
/// </summary>
public abstract class ManagementPageModel(BrowsingAccess access) : RegistryPageModel(access)
{
    /// <summary>Why the last change was refused, worded by Core; null when nothing was refused.</summary>
    public string? Problem { get; private set; }

    /// <summary>The <c>redisplay</c> of a page whose handler already loaded everything it shows.</summary>
    protected Task<IActionResult> SamePage() => Task.FromResult<IActionResult>(Page());

    /// <param name="what">What the 404 and 403 pages name.</param>
    /// <param name="done">The answer after the change (a redirect, so a reload does not post again).</param>
    /// <param name="redisplay">The form again, with <see cref="Problem"/> set.</param>
    protected async Task<IActionResult> ChangeAsync(Func<CancellationToken, Task> change, string what, Func<IActionResult> done,
        Func<Task<IActionResult>> redisplay)
    {
        try
        {
            await change(HttpContext.RequestAborted);
            return done();
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.NotFound or RegistryErrorCode.NameUnknown or RegistryErrorCode.ManifestUnknown)
        {
            return Missing(what);
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.Denied or RegistryErrorCode.Unauthorized)
        {
            return Forbidden(what);
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.InvalidField or RegistryErrorCode.NameInvalid or RegistryErrorCode.Conflict
            or RegistryErrorCode.TooManyRequests)
        {
            Problem = e.Message;
            var page = await redisplay();
            if (page is PageResult)
            {
                Response.StatusCode = e.Code switch
                {
                    RegistryErrorCode.Conflict => StatusCodes.Status409Conflict,
                    RegistryErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
                    _ => StatusCodes.Status400BadRequest,
                };
            }
            return page;
        }
    }
}
