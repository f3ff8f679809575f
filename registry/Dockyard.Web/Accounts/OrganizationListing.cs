using Dockyard.Core.Access;
using Dockyard.Core.Accounts;

namespace Dockyard.Web.Accounts;

/// <summary>An organization the caller belongs to, with their role (null for a registry admin who is not a member).</summary>
public sealed record OrganizationRow(string Name, OrganizationRole? Role);

/// <summary>One page of organizations; <see cref="Next"/> is the cursor of the following page, null at the end.</summary>
public sealed record OrganizationPage(IReadOnlyList<OrganizationRow> Organizations, string? Next);

/// <summary>
/// The organizations the caller belongs to (every organization for a registry admin). The account store keeps members
/// per organization and no index per user, so this walks the organizations in name order with one membership lookup
/// each; a page examines at most <see cref="ScanBudget"/> of them so that one request cannot walk a huge registry.
/// </summary>
public sealed class OrganizationListing(IAccountStore accounts)
{
    public const int ScanBudget = 2_000;

    /// <param name="after">The cursor from the previous page; null for the first.</param>
    public async Task<OrganizationPage> ListAsync(Principal principal, string? after, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<OrganizationRow>();
        if (principal.UserName is not { } user)
        {
            return new OrganizationPage(rows, null);
        }
        var cursor = after;
        var examined = 0;
        while (rows.Count < limit && examined < ScanBudget)
        {
            var batch = await accounts.Organizations.ListAsync(cursor, 100, cancellationToken);
            if (batch.Count == 0)
            {
                return new OrganizationPage(rows, null);
            }
            foreach (var organization in batch)
            {
                examined++;
                cursor = organization.Name;
                var member = await accounts.Organizations.GetMemberAsync(organization.Name, user, cancellationToken);
                if (member is not null || principal.IsAdmin)
                {
                    rows.Add(new OrganizationRow(organization.Name, member?.Role));
                    if (rows.Count == limit)
                    {
                        break;
                    }
                }
            }
        }
        return new OrganizationPage(rows, cursor);
    }
}
