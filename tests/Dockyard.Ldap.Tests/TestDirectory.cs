using Dockyard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Ldap.Tests;

/// <summary>
/// The private slapd that infra/scripts/ldap-server.sh starts (test.sh exports its URLs): alice / alice-secret and
/// bob / bob-secret under ou=people,dc=dockyard,dc=test.
/// </summary>
internal static class TestDirectory
{
    public const string AlicePassword = "alice-secret";
    public const string AliceMail = "alice@dockyard.test";

    /// <summary>host:port of the plain LDAP listener; null (test skipped, or failed on CI) when slapd is not running.</summary>
    public static string? Address => AddressOf("DOCKYARD_TEST_LDAP_URL");

    /// <summary>host:port of the LDAPS listener (self-signed certificate).</summary>
    public static string? TlsAddress => AddressOf("DOCKYARD_TEST_LDAPS_URL");

    public static string BaseDn => Environment.GetEnvironmentVariable("DOCKYARD_TEST_LDAP_BASE") is { Length: > 0 } b ? b : "ou=people,dc=dockyard,dc=test";

    public static LdapAuthenticator Authenticator(string address, bool tls = false, bool skipVerify = false, TimeSpan? timeout = null) =>
        new(new LdapAuthenticatorOptions
        {
            Address = address,
            Domain = BaseDn,
            UseTls = tls,
            InsecureTlsSkipVerify = skipVerify,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        }, NullLogger<LdapAuthenticator>.Instance);

    /// <summary>A port on 127.0.0.1 that nothing listens on.</summary>
    public static string ClosedAddress() => ClosedPort.Address();

    private static string? AddressOf(string variable)
    {
        var url = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            RequiredTool.Missing("slapd", $"is not running ({variable} is unset; infra/scripts/ldap-server.sh start, or ./test.sh, starts it)");
            return null;
        }
        var uri = new Uri(url);
        return $"{uri.Host}:{uri.Port}";
    }
}
