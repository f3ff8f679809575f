using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// Deletes one manifest by digest, with every tag pointing at it, after a confirmation page, as
/// <c>DELETE /v2/&lt;name&gt;/manifests/&lt;digest&gt;</c> does: the same 404-then-403 checks as deleting a tag.
/// </summary>
[Authorize]
public sealed class DeleteManifestModel(BrowsingAccess access, ManifestService manifests) : RegistryPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Digest { get; set; } = "";

    public async Task<IActionResult> OnGetAsync() => await CheckAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CheckAsync() is { } refused)
        {
            return refused;
        }
        var digest = Core.Names.Digest.Parse(Digest);
        try
        {
            await manifests.DeleteAsync(RepositoryName.Parse(Name), new ManifestReference(digest, null), HttpContext.RequestAborted);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ManifestUnknown)
        {
            return Missing(What);
        }
        return RedirectToPage("/Repository", new { name = Name, deleted = digest.Value });
    }

    private string What => $"manifest {Name}@{Digest}";

    private async Task<IActionResult?> CheckAsync()
    {
        await IdentifyAsync();
        return Core.Names.Digest.TryParse(Digest, out _) ? (await ManageableAsync(Name, What)).Refusal : Missing(What);
    }
}
