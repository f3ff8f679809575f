using Dockyard.Ldap;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[token]</c>: how the registry validates bearer tokens (used when standalone = false).</summary>
public sealed class TokenOptions
{
    public string? Realm { get; set; }

    public string? Service { get; set; }

    public string? Issuer { get; set; }

    public string? RootCertBundle { get; set; }
}

/// <summary><c>[auth_server]</c>: the built-in token issuer.</summary>
public sealed class AuthServerOptions
{
    public string? Issuer { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary><c>expiration</c>: token lifetime in seconds.</summary>
    public int Expiration { get; set; } = 5000;

    /// <summary><c>authn</c>: authn_db | authn_ldap.</summary>
    public string Authn { get; set; } = "authn_db";
}

/// <summary><c>[rados]</c>: the Ceph RADOS blob store.</summary>
public sealed class RadosOptions
{
    /// <summary><c>chunksize</c>: bytes per RADOS object; null (empty) means 4 MiB.</summary>
    public long? ChunkSize { get; set; }

    /// <summary><c>poolname</c>: the pool; required with <c>backend = rados</c>.</summary>
    public string? PoolName { get; set; }

    /// <summary><c>username</c>: the cephx user without <c>client.</c>; null (empty) means admin.</summary>
    public string? UserName { get; set; }

    /// <summary><c>conffile</c>: the path of ceph.conf; null (empty) means /etc/ceph/ceph.conf.</summary>
    public string? ConfFile { get; set; }

    /// <summary><c>keyring</c>: the cephx keyring; null (empty) means the one ceph.conf names.</summary>
    public string? Keyring { get; set; }

    /// <summary><c>timeout</c>: seconds connecting or one RADOS operation may take; null (empty) means 30.</summary>
    public int? Timeout { get; set; }

    /// <summary>
    /// <c>namespace</c>: the RADOS namespace within the pool; null (empty) means the pool's default one. Garbage
    /// collection owns everything in it, so registries sharing a pool need one namespace each.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>The options of the RADOS blob store (defaults filled in), to validate and open.</summary>
    public Dockyard.Ceph.RadosBlobStoreOptions ToStoreOptions()
    {
        var options = new Dockyard.Ceph.RadosBlobStoreOptions { PoolName = PoolName?.Trim() ?? "", Keyring = Keyring };
        options.ChunkSize = ChunkSize ?? options.ChunkSize;
        options.Timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Timeout;
        options.ConfFile = string.IsNullOrWhiteSpace(ConfFile) ? options.ConfFile : ConfFile;
        options.UserName = string.IsNullOrWhiteSpace(UserName) ? options.UserName : UserName.Trim();
        options.Namespace = string.IsNullOrWhiteSpace(Namespace) ? options.Namespace : Namespace.Trim();
        return options;
    }
}

/// <summary><c>[authn_ldap]</c>: LDAP authentication.</summary>
public sealed class AuthnLdapOptions
{
    public string? Addr { get; set; }

    /// <summary><c>tls</c>: yes | no.</summary>
    public string Tls { get; set; } = "no";

    /// <summary><c>insecuretlsskipverify</c>: yes | no.</summary>
    public string InsecureTlsSkipVerify { get; set; } = "no";

    /// <summary><c>domain</c>: a base DN (users bind as <c>uid=NAME,DOMAIN</c>) or a DNS domain (<c>NAME@DOMAIN</c>).</summary>
    public string? Domain { get; set; }

    /// <summary>True for <c>yes</c> / <c>true</c>, false for <c>no</c> / <c>false</c> / empty, null for anything else.</summary>
    public static bool? ParseYesNo(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "yes" or "true" => true,
        "no" or "false" or "" or null => false,
        _ => null,
    };

    /// <summary>The typed options of the LDAP authenticator (call after validation).</summary>
    public LdapAuthenticatorOptions ToAuthenticatorOptions() => new()
    {
        Address = Addr?.Trim() ?? "",
        UseTls = ParseYesNo(Tls) ?? false,
        InsecureTlsSkipVerify = ParseYesNo(InsecureTlsSkipVerify) ?? false,
        Domain = Domain?.Trim() ?? "",
    };
}
