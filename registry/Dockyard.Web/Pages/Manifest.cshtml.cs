using Dockyard.Core.Access;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Web.Access;
using Dockyard.Web.Browsing;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>One manifest by tag or digest: config, layers, annotations, referrers, and commands to pull it.</summary>
public sealed class ManifestModel(BrowsingAccess access, ManifestDetails details) : RegistryPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? Reference { get; set; }

    public ManifestView View { get; private set; } = null!;

    /// <summary>True when the caller may delete in the repository (the page links to deleting this manifest).</summary>
    public bool CanDelete { get; private set; }

    /// <summary>The registry as clients name it (this request's host), for the pull commands.</summary>
    public string RegistryHost => Request.Host.Value ?? "localhost";

    public async Task<IActionResult> OnGetAsync()
    {
        await IdentifyAsync();
        if (await ReadableAsync(Name) is not ({ } repository, var actions) || ParseReference(Reference) is not { } reference)
        {
            return Missing($"manifest {Name}:{Reference}");
        }
        if (await details.GetAsync(repository, reference, HttpContext.RequestAborted) is not { } view)
        {
            return Missing($"manifest {Name}:{Reference}");
        }
        View = view;
        CanDelete = actions.HasFlag(RepositoryActions.Delete);
        return Page();
    }

    private static ManifestReference? ParseReference(string? text)
    {
        try
        {
            return string.IsNullOrEmpty(text) ? null : ManifestReference.Parse(text);
        }
        catch (RegistryException)
        {
            return null;
        }
    }
}
