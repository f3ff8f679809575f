using Dockyard.Core.Access;
using Dockyard.Core.Names;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dockyard.Web.Pages;

/// <summary>
/// What every page needs: who the caller is (by the same rules as the API, see <see cref="BrowsingAccess"/>) and one
/// "not found" answer, used alike for what does not exist and for what the caller may not read.
/// </summary>
public abstract class RegistryPageModel(BrowsingAccess access) : PageModel
{
    /// <summary>Set by <see cref="IdentifyAsync"/>; anonymous until then.</summary>
    public Principal Caller { get; private set; } = Principal.Anonymous;

    protected BrowsingAccess Access => access;

    protected async Task<Principal> IdentifyAsync()
    {
        Caller = await access.PrincipalAsync(User, HttpContext.RequestAborted);
        return Caller;
    }

    /// <summary>The repository when the name is valid and the caller may read it; null otherwise (answer with <see cref="Missing"/>).</summary>
    protected async Task<(RepositoryName Repository, RepositoryActions Actions)?> ReadableAsync(string? name)
    {
        if (!RepositoryName.TryParse(name, out var repository))
        {
            return null;
        }
        var actions = await access.ActionsAsync(Caller, repository, HttpContext.RequestAborted);
        return actions.HasFlag(RepositoryActions.Pull) ? (repository, actions) : null;
    }

    /// <summary>
    /// The repository when the caller may delete in it (owners, organization admins, registry admins); otherwise the
    /// answer to give: the 404 page when they may not read it (or the name is invalid), the 403 page when they only may.
    /// </summary>
    protected async Task<(RepositoryName Repository, IActionResult? Refusal)> ManageableAsync(string? name, string what)
    {
        if (await ReadableAsync(name) is not ({ } repository, var actions))
        {
            return (default!, Missing(what));
        }
        return (repository, actions.HasFlag(RepositoryActions.Delete) ? null : Forbidden(what));
    }

    /// <summary>A 404 page naming what was asked for; the same whether it is missing or not the caller's to see.</summary>
    protected IActionResult Missing(string what)
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Partial("_NotFound", what);
    }

    /// <summary>A 403 page: the caller may see <paramref name="what"/> but not change it.</summary>
    protected IActionResult Forbidden(string what)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Partial("_Forbidden", what);
    }
}
