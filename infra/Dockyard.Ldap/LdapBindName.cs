namespace Dockyard.Ldap;

/// <summary>
/// The name a user binds as. Only <c>[a-z0-9._-]</c> is accepted, so a user name can never carry DN or filter syntax
/// (<c>,</c> <c>=</c> <c>*</c> <c>(</c> <c>)</c> <c>\</c>, NUL) into what is sent to the directory.
/// </summary>
internal static class LdapBindName
{
    /// <summary>Longer names are refused without asking the directory.</summary>
    public const int MaxLength = 128;

    public static bool IsSafe(string userName) =>
        userName.Length is > 0 and <= MaxLength && userName.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-');

    /// <summary><c>uid=NAME,DOMAIN</c> when the domain is a base DN, else <c>NAME@DOMAIN</c>; null for an unsafe name.</summary>
    public static string? For(string userName, LdapAuthenticatorOptions options) =>
        !IsSafe(userName) ? null
        : options.DomainIsBaseDn ? $"uid={userName},{options.Domain.Trim()}"
        : $"{userName}@{options.Domain.Trim()}";

    /// <summary>The filter that finds the user's entry after a UPN bind; the name is already known to be safe.</summary>
    public static string UpnFilter(string bindName) => $"(userPrincipalName={bindName})";

    /// <summary><c>example.com</c> → <c>dc=example,dc=com</c>, the usual naming context of an AD domain.</summary>
    public static string DomainToBaseDn(string domain) =>
        string.Join(',', domain.Trim().Split('.', StringSplitOptions.RemoveEmptyEntries).Select(part => "dc=" + part));
}
