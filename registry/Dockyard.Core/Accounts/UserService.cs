using Dockyard.Core.Access;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Sign-up, administrator bootstrap, reading users and changing passwords. Signing up cannot claim a name that already
/// holds repositories (pushed by an admin or in open mode): an administrator creates that user and adopts the data.
/// </summary>
public sealed class UserService(IAccountStore accounts, AccountGuard guard, RepositoryOwnership ownership, TimeProvider time)
{
    public const int MinimumPasswordLength = 8;

    public async Task<User> SignUpAsync(string? name, string? email, string? password, string? realName, string? comment, CancellationToken cancellationToken)
    {
        var validName = AccountNames.RequireNamespace(name, "name");
        var validEmail = RequireEmail(email);
        var user = new User(validName, validEmail, PasswordHasher.Hash(RequirePassword(password, "password")), realName, comment, false,
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
        var user = new User(AccountNames.RequireNamespace(name, "name"), email, PasswordHasher.Hash(RequirePassword(password, "password")),
            null, null, admin, User.DatabaseSource, time.GetUtcNow());
        return await CreateAsync(user, cancellationToken);
    }

    public async Task<User> GetAsync(string name, CancellationToken cancellationToken) => await guard.RequireUserAsync(name, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        accounts.Users.ListAsync(after, limit, cancellationToken);

    /// <summary>A user changes their own password (proving the old one); an admin may set anyone's.</summary>
    public async Task ChangePasswordAsync(Principal actor, string name, string? oldPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var user = await guard.RequireUserAsync(name, cancellationToken);
        if (!actor.IsAdmin)
        {
            if (actor.UserName != name)
            {
                throw AccountErrors.Denied("only the user or an administrator may change this password");
            }
            if (user.PasswordHash is null || oldPassword is null || !PasswordHasher.Verify(oldPassword, user.PasswordHash))
            {
                throw new RegistryException(RegistryErrorCode.InvalidField, "oldpassword: does not match", new { field = "oldpassword" });
            }
        }
        if (user.Source != User.DatabaseSource)
        {
            throw AccountErrors.Conflict($"user '{name}' authenticates through {user.Source}; change the password there");
        }
        await accounts.Users.UpdateAsync(user with { PasswordHash = PasswordHasher.Hash(RequirePassword(newPassword, "newpassword")) }, cancellationToken);
    }

    private async Task<User> CreateAsync(User user, CancellationToken cancellationToken) =>
        await accounts.Users.TryCreateAsync(user, cancellationToken)
            ? user
            : throw AccountErrors.NameTaken(user.Name);

    private static string RequirePassword(string? password, string field) =>
        password is null || password.Length < MinimumPasswordLength
            ? throw AccountNames.Invalid(field, null, $"must be at least {MinimumPasswordLength} characters")
            : password;

    private static string RequireEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.IndexOf('@') is <= 0 || email.Length > 254 || email.Contains(' ')
            ? throw AccountNames.Invalid("email", email, "must be an e-mail address")
            : email;
}
