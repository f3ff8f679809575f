using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Web.Pages;

/// <summary>
/// Deletes a whole repository (tags, manifests, every protocol's data, its UAM record and team grants) after a
/// confirmation page, through <see cref="RepositoryPolicyService.DeleteAsync"/> as <c>DELETE /uam/&lt;owner&gt;/&lt;name&gt;</c>
/// does. A repository whose name has one component is outside UAM's owner/name scheme, so only the API's other doors delete it.
/// </summary>
[Authorize]
public sealed class DeleteRepositoryModel(BrowsingAccess access, RepositoryPolicyService policies) : ManagementPageModel(access)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public async Task<IActionResult> OnGetAsync() => await CheckAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CheckAsync() is { } refused)
        {
            return refused;
        }
        // CheckAsync refused names of one component, so both parts are there.
        var (ns, name) = AccessPolicy.Split(Core.Names.RepositoryName.Parse(Name));
        return await ChangeAsync(cancellationToken => policies.DeleteAsync(Caller, ns, name!, cancellationToken), What,
            () => LocalRedirect("/?deleted=" + Uri.EscapeDataString(Name)), SamePage);
    }

    private string What => $"repository {Name}";

    private async Task<IActionResult?> CheckAsync()
    {
        await IdentifyAsync();
        var (repository, refusal) = await ManageableAsync(Name, What);
        return refusal ?? (AccessPolicy.Split(repository) is (_, null) ? Forbidden(What) : null);
    }
}
