using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// Deletes one tag after a confirmation page (the manifest stays, reachable by digest, until garbage collection), for
/// those who may delete in the repository, as <c>DELETE /v2/&lt;name&gt;/manifests/&lt;tag&gt;</c> would. Signing in
/// comes first; then a repository the caller may not read is missing, and one they may read but not manage is refused.
/// </summary>
[Authorize]
public sealed class DeleteTagModel(BrowsingAccess access, ManifestService manifests) : RegistryPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Tag { get; set; } = "";

    public async Task<IActionResult> OnGetAsync() => await CheckAsync() is { } refused ? refused : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CheckAsync() is { } refused)
        {
            return refused;
        }
        try
        {
            await manifests.DeleteAsync(RepositoryName.Parse(Name), new ManifestReference(null, Tag), HttpContext.RequestAborted);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ManifestUnknown)
        {
            return Missing($"tag {Name}:{Tag}");
        }
        return RedirectToPage("/Repository", new { name = Name, deleted = Tag });
    }

    private async Task<IActionResult?> CheckAsync()
    {
        await IdentifyAsync();
        return Core.Names.Tag.IsValid(Tag) ? (await ManageableAsync(Name, $"tag {Name}:{Tag}")).Refusal : Missing($"tag {Name}:{Tag}");
    }
}
