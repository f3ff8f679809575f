using Dockyard.Core.Access;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Sign-up, administrator bootstrap, reading users and changing passwords. Signing up cannot claim a name that already
/// holds repositories (pushed by an admin or in open mode): an administrator creates that user and adopts the data. With
/// an external directory (LDAP) there is no sign-up: accounts are made at their first directory login, and a name
/// signed up beforehand would be the account that login adopts, with the squatter's UI session still open on it.
/// Hashing a new password takes one of the shared <see cref="PasswordCheckSlots"/> (anonymous sign-ups must not buy
/// unbounded CPU), and the old password of a change is checked by the <see cref="CredentialVerifier"/>, throttled like any login.
/// </summary>
public sealed class UserService(IAccountStore accounts, AccountGuard guard, RepositoryOwnership ownership, TimeProvider time, CredentialVerifier verifier,
    PasswordCheckSlots slots)
{
    public const int MinimumPasswordLength = 8;

    /// <exception cref="RegistryException">DENIED (403) when passwords are checked by an external directory.</exception>
    public async Task<User> SignUpAsync(string? name, string? email, string? password, string? realName, string? comment, CancellationToken cancellationToken)
    {
        if (verifier.UsesExternalDirectory)
        {
            throw AccountErrors.Denied("sign-up is closed: accounts come from the LDAP directory and are created at their first login");
        }
        var validName = AccountNames.RequireNamespace(name, "name");
        var validEmail = RequireEmail(email);
        var user = new User(validName, validEmail, await HashAsync(RequirePassword(password, "password"), cancellationToken), realName, comment, false,
            User.DatabaseSource, time.GetUtcNow());
        if (await ownership.NamespaceHoldsDataAsync(validName, cancellationToken))
        {
            throw AccountErrors.NameTaken(validName);
        }
        return await CreateAsync(user, cancellationToken);
    }

    /// <summary>Creates a user from the command line or configuration (the administrator bootstrap); e-mail optional.</summary>
    public async Task<User> AddAsync(string? name, string? password, string? email, bool admin, CancellationToken cancellationToken)
    {
        var user = new User(AccountNames.RequireNamespace(name, "name"), email, await HashAsync(RequirePassword(password, "password"), cancellationToken),
            null, null, admin, User.DatabaseSource, time.GetUtcNow());
        return await CreateAsync(user, cancellationToken);
    }

    public async Task<User> GetAsync(string name, CancellationToken cancellationToken) => await guard.RequireUserAsync(name, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        accounts.Users.ListAsync(after, limit, cancellationToken);

    /// <summary>A user changes their own password (proving the old one); an admin may set anyone's.</summary>
    /// <param name="address">The client's address, for throttling guesses of the old password; null when unknown.</param>
    public async Task ChangePasswordAsync(Principal actor, string name, string? oldPassword, string? newPassword, string? address,
        CancellationToken cancellationToken)
    {
        var user = await guard.RequireUserAsync(name, cancellationToken);
        if (!actor.IsAdmin && actor.UserName != name)
        {
            throw AccountErrors.Denied("only the user or an administrator may change this password");
        }
        if (user.Source != User.DatabaseSource)
        {
            throw AccountErrors.Conflict($"user '{name}' authenticates through {user.Source}; change the password there");
        }
        if (!actor.IsAdmin)
        {
            // A bearer token names its user without the password: this check must not be an unthrottled guessing oracle.
            var check = oldPassword is null ? null : await verifier.VerifyAsync(name, oldPassword, address, cancellationToken);
            if (check is { Throttled: true })
            {
                throw TooMany();
            }
            if (check?.Principal is null)
            {
                throw new RegistryException(RegistryErrorCode.InvalidField, "oldpassword: does not match", new { field = "oldpassword" });
            }
        }
        var hash = await HashAsync(RequirePassword(newPassword, "newpassword"), cancellationToken);
        await accounts.Users.UpdateAsync(user with { PasswordHash = hash }, cancellationToken);
    }

    /// <summary>
    /// An administrator deletes a user (<see cref="IUserStore.DeleteAsync"/>): their memberships go and the name is
    /// freed. As Harbor refuses to delete a user who owns projects, a user whose namespace holds repositories, or who
    /// owns repositories elsewhere, is refused with a conflict naming them: delete or adopt those first, so that a later
    /// account of the same name never inherits them. An LDAP user is refused too: the directory would let them back
    /// in (and recreate the account) at their next login. So is the only administrator of an organization. Their sessions, remembered Basic logins and tokens stop
    /// working at once, since each of those is checked against the stored user on every request.
    /// </summary>
    public async Task DeleteAsync(Principal actor, string name, CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin)
        {
            throw AccountErrors.Denied("only an administrator may delete users");
        }
        var user = await guard.RequireUserAsync(name, cancellationToken);
        if (actor.UserName == name)
        {
            throw AccountErrors.Conflict("administrators cannot delete themselves; another administrator can");
        }
        if (user.Source != User.DatabaseSource)
        {
            throw AccountErrors.Conflict($"user '{name}' authenticates through {user.Source} and cannot be deleted locally: the next login would recreate it; remove them from the directory");
        }
        var holdsOwn = await ownership.NamespaceHoldsDataAsync(name, cancellationToken);
        var owned = holdsOwn ? null : await ownership.OwnedElsewhereAsync(name, cancellationToken);
        if (holdsOwn || owned is not null)
        {
            throw AccountErrors.Conflict(owned is null
                ? $"user '{name}' still owns repositories in namespace '{name}'; delete them first"
                : $"user '{name}' still owns repository '{owned}'; delete it (or have an administrator adopt it) first",
                new { user = name, repository = owned });
        }
        if (await SoleAdminOfAsync(name, cancellationToken) is { } organization)
        {
            throw AccountErrors.Conflict($"user '{name}' is the only administrator of organization '{organization}'; make another member an administrator first",
                new { user = name, organization });
        }
        if (!await accounts.Users.DeleteAsync(name, cancellationToken))
        {
            throw AccountErrors.NotFound("user", name);
        }
    }

    // An organization left without an administrator could no longer be managed by anyone but a registry administrator.
    // Organizations are walked a page at a time: the stores index members by organization, not by user, and deleting
    // a user is a rare administrator's action.
    private async Task<string?> SoleAdminOfAsync(string user, CancellationToken cancellationToken)
    {
        string? after = null;
        while (await accounts.Organizations.ListAsync(after, 500, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var organization in page)
            {
                if (await accounts.Organizations.GetMemberAsync(organization.Name, user, cancellationToken) is { Role: OrganizationRole.Admin }
                    && (await accounts.Organizations.ListMembersAsync(organization.Name, cancellationToken)).Count(m => m.Role == OrganizationRole.Admin) == 1)
                {
                    return organization.Name;
                }
            }
            after = page[^1].Name;
        }
        return null;
    }

    private async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        using var slot = await slots.EnterAsync(null, cancellationToken) ?? throw TooMany();
        return PasswordHasher.Hash(password);
    }

    private static RegistryException TooMany() => new(RegistryErrorCode.TooManyRequests, "too many password checks; try again later");

    private async Task<User> CreateAsync(User user, CancellationToken cancellationToken) =>
        await accounts.Users.TryCreateAsync(user, cancellationToken)
            ? user
            : throw AccountErrors.NameTaken(user.Name);

    // U+FFFD is what a lenient decoder makes of bytes that are not UTF-8 (ASP.NET Core's form and query readers do): a
    // password holding it would be matched, on the UI's sign-in form, by any such byte in its place.
    private static string RequirePassword(string? password, string field) =>
        password is null || password.Length < MinimumPasswordLength
            ? throw AccountNames.Invalid(field, null, $"must be at least {MinimumPasswordLength} characters")
            : password.Contains('\uFFFD', StringComparison.Ordinal)
                ? throw AccountNames.Invalid(field, null, "must be text: U+FFFD stands for bytes that are not UTF-8")
                : password;

    private static string RequireEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.IndexOf('@') is <= 0 || email.Length > 254 || email.Contains(' ')
            ? throw AccountNames.Invalid("email", email, "must be an e-mail address")
            : email;
}
