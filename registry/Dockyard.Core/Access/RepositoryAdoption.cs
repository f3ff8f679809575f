using Dockyard.Core.Accounts;
using Dockyard.Core.Metadata;

namespace Dockyard.Core.Access;

/// <summary>
/// An administrator's adoption of a namespace's repositories by an account (<c>dockyard repo adopt</c>): every
/// repository of the namespace — recorded in UAM or present only as data pushed while the registry ran with
/// <c>standalone = true</c> — gets the account as its owner; repositories without a record become private.
/// </summary>
public sealed class RepositoryAdoption(IAccountStore accounts, IMetadataStore metadata, TimeProvider time)
{
    private const int Page = 500;

    /// <summary>The full names of the repositories now owned by <paramref name="owner"/>, in name order.</summary>
    /// <exception cref="Errors.RegistryException">NOT_FOUND when no user or organization is named <paramref name="owner"/>.</exception>
    public async Task<IReadOnlyList<string>> AdoptAsync(string @namespace, string owner, CancellationToken cancellationToken)
    {
        if (await accounts.Users.GetAsync(owner, cancellationToken) is null && await accounts.Organizations.GetAsync(owner, cancellationToken) is null)
        {
            throw AccountErrors.NotFound("account", owner);
        }
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var policy in await accounts.Repositories.ListAsync(@namespace, cancellationToken))
        {
            names.Add(policy.Name);
        }
        var prefix = @namespace + "/";
        for (var after = prefix; ;)
        {
            var page = await metadata.Repositories.ListAsync(after, Page, cancellationToken);
            var inNamespace = page.TakeWhile(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            names.UnionWith(inNamespace.Select(n => n[prefix.Length..]));
            if (inNamespace.Count < Page)
            {
                break;
            }
            after = inNamespace[^1];
        }
        foreach (var name in names)
        {
            var policy = await accounts.Repositories.GetAsync(@namespace, name, cancellationToken);
            if (policy is null)
            {
                await accounts.Repositories.TryCreateAsync(new RepositoryPolicy(@namespace, name, false, null, time.GetUtcNow(), owner), cancellationToken);
            }
            else if (policy.Owner != owner)
            {
                await accounts.Repositories.UpdateAsync(policy with { Owner = owner }, cancellationToken);
            }
        }
        return [.. names.Select(n => prefix + n)];
    }
}
