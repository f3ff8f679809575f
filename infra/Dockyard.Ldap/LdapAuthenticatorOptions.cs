using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Ldap;

/// <summary>
/// The <c>[authn_ldap]</c> section, typed. <see cref="Validate"/> names the key of every fault so that a wrong setting
/// fails at start-up, not at the first login.
/// </summary>
public sealed class LdapAuthenticatorOptions
{
    /// <summary><c>addr</c>: <c>host:port</c> of the directory (389 plain, 636 TLS).</summary>
    public string Address { get; set; } = "";

    /// <summary><c>tls = yes</c>: LDAPS (TLS from the first byte).</summary>
    public bool UseTls { get; set; }

    /// <summary><c>insecuretlsskipverify = yes</c>: accept any server certificate (testing only).</summary>
    public bool InsecureTlsSkipVerify { get; set; }

    /// <summary>
    /// <c>domain</c>: with an <c>=</c> it is the base DN and users bind as <c>uid=NAME,DOMAIN</c>; otherwise it is a
    /// DNS domain and users bind as <c>NAME@DOMAIN</c> (Active Directory user principal name).
    /// </summary>
    public string Domain { get; set; } = "";

    /// <summary>How long one login may wait for the directory (connect, bind and reading <c>mail</c>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when <see cref="Domain"/> is a base DN (<c>uid=NAME,DOMAIN</c>) rather than a UPN suffix.</summary>
    public bool DomainIsBaseDn => Domain.Contains('=', StringComparison.Ordinal);

    internal string Host => SplitAddress(Address)!.Value.Host;

    internal int Port => SplitAddress(Address)!.Value.Port;

    /// <summary>Every fault, one message each naming its <c>[authn_ldap]</c> key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SplitAddress(Address) is null)
        {
            errors.Add($"[authn_ldap] addr = '{Address}': expected host:port (389 for plain LDAP, 636 with tls = yes)");
        }
        var domain = Domain.Trim();
        if (domain.Length == 0)
        {
            errors.Add("[authn_ldap] domain: required, a base DN (ou=people,dc=example,dc=com: users bind as uid=NAME,DOMAIN) "
                + "or a DNS domain (example.com: users bind as NAME@DOMAIN)");
        }
        else if (DomainIsBaseDn && !IsPlausibleDn(domain))
        {
            errors.Add($"[authn_ldap] domain = '{Domain}': not a DN (expected attribute=value pairs separated by commas, like ou=people,dc=example,dc=com)");
        }
        else if (!DomainIsBaseDn && !IsDnsDomain(domain))
        {
            errors.Add($"[authn_ldap] domain = '{Domain}': not a DNS domain (letters, digits, '-' and '.') nor a base DN (it has no '=')");
        }
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"[authn_ldap] timeout = {Timeout}: must be positive");
        }
        return errors;
    }

    internal static (string Host, int Port)? SplitAddress(string? address)
    {
        var text = address?.Trim() ?? "";
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return null;
        }
        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }
        var valid = Uri.CheckHostName(host) != UriHostNameType.Unknown;
        return valid ? (host, port) : null;
    }

    private static bool IsPlausibleDn(string dn) =>
        Regex.Split(dn, @"(?<!\\),").All(rdn => rdn.IndexOf('=') is var eq && eq > 0 && eq < rdn.Length - 1)
        && !dn.Any(c => c is '(' or ')' or '*' or '\0' or '"' or ';' or '<' or '>');

    private static bool IsDnsDomain(string domain) => Uri.CheckHostName(domain) == UriHostNameType.Dns;
}
