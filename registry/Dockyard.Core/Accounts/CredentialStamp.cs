using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Core.Accounts;

/// <summary>
/// A short digest of a user's stored password hash (of the account source for LDAP users, whose password lives
/// elsewhere). What a password hands out — web UI sessions, bearer tokens, Docker Registry V1 tokens — carries the stamp
/// of the moment and is honoured only while it still matches, so a password change ends them all at once. It reveals
/// nothing usable: the hash it digests holds a salt the stamp does not.
/// </summary>
public static class CredentialStamp
{
    public static string Of(User user) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(user.PasswordHash ?? user.Source)).AsSpan(0, 12));

    /// <summary>The stamp of <paramref name="userName"/> as stored now; empty for anonymous callers and for names no user holds.</summary>
    public static async Task<string> OfAsync(IAccountStore accounts, string? userName, CancellationToken cancellationToken) =>
        userName is not null && await accounts.Users.GetAsync(userName, cancellationToken) is { } user ? Of(user) : "";
}
