using Dockyard.Signing.Verification;
using Dockyard.Azure.Tables;
using Dockyard.MySql;

namespace Dockyard.Hosting.Configuration;

/// <summary>Checks the settings before anything starts, so a wrong key fails at start-up with its name, not at the first push.</summary>
public static class RuntimeSettingsValidator
{
    private static readonly string[] RunModes = ["dev", "prod"];
    private static readonly string[] ListenModes = ["http", "https"];
    private static readonly string[] Backends = ["filesystem", "azure", "rados"];
    private static readonly string[] Drivers = ["sqlite", "azuretables", "mysql"];
    private static readonly string[] Authenticators = ["authn_db", "authn_ldap"];
    private static readonly string[] LogFormats = ["text", "json"];
    private static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    /// <exception cref="StartupException">Listing every fault found, one per line.</exception>
    public static void Validate(RuntimeSettings settings)
    {
        var errors = new List<string>();
        OneOf(errors, "runmode", settings.Runtime.RunMode, RunModes);
        OneOf(errors, "listenmode", settings.Runtime.ListenMode, ListenModes);
        if (Is(settings.Runtime.ListenMode, "https"))
        {
            FileExists(errors, "httpscertfile", settings.Runtime.HttpsCertFile);
            FileExists(errors, "httpskeyfile", settings.Runtime.HttpsKeyFile);
        }
        if (!LogLevels.Contains(settings.Log.Level, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"[log] level = '{settings.Log.Level}': expected one of {string.Join(", ", LogLevels)}");
        }
        OneOf(errors, "[log] format", settings.Log.Format, LogFormats);
        errors.AddRange(settings.Metrics.Validate());
        errors.AddRange(settings.Web.Validate());
        if (Is(settings.Db.Driver, "redis"))
        {
            errors.Add("[db] driver = 'redis': Redis is not a metadata driver in this build; expected sqlite | azuretables | mysql");
        }
        else
        {
            OneOf(errors, "[db] driver", settings.Db.Driver, Drivers);
        }
        OneOf(errors, "[dockyard] backend", settings.Dockyard.Backend, Backends);
        if (settings.Db.BusyTimeout is < 1 or > 3600)
        {
            errors.Add($"[db] busytimeout = {settings.Db.BusyTimeout}: seconds between 1 and 3600");
        }
        errors.AddRange(RedisComposition.ToOptions(settings.Db).Validate());
        OneOf(errors, "[db] pullcache", settings.Db.PullCache, RedisComposition.PullCacheValues);
        if (Is(settings.Db.Driver, "azuretables"))
        {
            errors.AddRange(ToTableOptions(settings.Azure).Validate());
        }
        if (Is(settings.Db.Driver, "mysql"))
        {
            errors.AddRange(ToMySqlOptions(settings.Db).Validate());
        }
        if (Is(settings.Dockyard.Backend, "rados"))
        {
            errors.AddRange(settings.Rados.ToStoreOptions().Validate());
        }
        if (string.IsNullOrWhiteSpace(settings.Dockyard.Path))
        {
            errors.Add("[dockyard] path: must name the data folder");
        }
        if (string.IsNullOrWhiteSpace(settings.Dockyard.Distribution))
        {
            errors.Add("[dockyard] distribution: must not be empty (it is the Docker-Distribution-API-Version header)");
        }
        if (settings.Dockyard.UploadPurgeAge < 0)
        {
            errors.Add($"[dockyard] uploadpurgeage = {settings.Dockyard.UploadPurgeAge}: hours must be 0 (never) or more");
        }
        if (!settings.Dockyard.Standalone)
        {
            OneOf(errors, "[dockyard] authmode", settings.Dockyard.AuthMode, ["token"]);
            OneOf(errors, "[auth_server] authn", settings.AuthServer.Authn, Authenticators);
            if (settings.AuthServer.Expiration < 60)
            {
                errors.Add($"[auth_server] expiration = {settings.AuthServer.Expiration}: docker clients need tokens valid for at least 60 seconds");
            }
            if (!string.IsNullOrWhiteSpace(settings.Token.Issuer) && !string.IsNullOrWhiteSpace(settings.AuthServer.Issuer)
                && settings.Token.Issuer != settings.AuthServer.Issuer)
            {
                errors.Add($"[token] issuer = '{settings.Token.Issuer}': must equal [auth_server] issuer = '{settings.AuthServer.Issuer}'");
            }
            if (!string.IsNullOrWhiteSpace(settings.Token.Realm) && !Uri.TryCreate(settings.Token.Realm, UriKind.Absolute, out _))
            {
                errors.Add($"[token] realm = '{settings.Token.Realm}': must be an absolute URL (or empty for this registry's /uam/auth)");
            }
        }
        if (UsesLdap(settings))
        {
            ValidateLdap(errors, settings.AuthnLdap);
        }
        if (!string.IsNullOrWhiteSpace(settings.Signing.PolicyFile))
        {
            ValidateSigningPolicy(errors, settings.Signing.PolicyFile);
        }
        if (Is(settings.Dockyard.Backend, "azure"))
        {
            errors.AddRange(settings.Azure.Validate());
        }
        foreach (var proxy in (settings.Dockyard.TrustedProxies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DockyardOptions.ParseNetwork(proxy) is null)
            {
                errors.Add($"[dockyard] trustedproxies: '{proxy}' is neither an IP address nor a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24)");
            }
        }
        if (settings.Quota.NamespaceSize < 0)
        {
            errors.Add($"[quota] namespacesize = {settings.Quota.NamespaceSize}: MiB must be 0 (unlimited) or more");
        }
        if (settings.Gc.Interval < 0)
        {
            errors.Add($"[gc] interval = {settings.Gc.Interval}: seconds must be 0 (no schedule) or more");
        }
        if (settings.Gc.Delay < 1)
        {
            errors.Add($"[gc] delay = {settings.Gc.Delay}: seconds must be 1 or more (the grace period protects pushes in flight)");
        }
        errors.AddRange(settings.Retention.SelectMany(r => r.Problems()));
        if (settings.Quota.Uploads < 0)
        {
            errors.Add($"[quota] uploads = {settings.Quota.Uploads}: must be 0 (unlimited) or more");
        }
        if (settings.Dockyard.Cachable && Is(settings.Dockyard.Backend, "filesystem"))
        {
            errors.Add("[dockyard] cachable = true: a read cache only applies to remote backends, not to backend = filesystem");
        }
        if (settings.Dockyard.Cachable && settings.Dockyard.CacheSize < 1)
        {
            errors.Add($"[dockyard] cachesize = {settings.Dockyard.CacheSize}: MiB must be 1 or more");
        }
        errors.AddRange(settings.Notifications.Validate());
        errors.AddRange(settings.P2P.Validate());
        if (errors.Count > 0)
        {
            var source = settings.ConfigFile is null ? "environment" : settings.ConfigFile;
            throw new StartupException($"invalid configuration ({source}):\n  " + string.Join("\n  ", errors));
        }
    }

    /// <summary><c>[auth_server] authn = authn_ldap</c>: passwords are checked by the directory (in standalone mode too, for UAM's actor).</summary>
    public static bool UsesLdap(RuntimeSettings settings) => Is(settings.AuthServer.Authn, "authn_ldap");

    /// <summary>The Azure Tables store's options from <c>[azure]</c>.</summary>
    public static AzureTableOptions ToTableOptions(AzureOptions azure) =>
        new() { ConnectionString = azure.ConnectionString, TablePrefix = azure.TablePrefix };

    /// <summary>The MySQL store's options from <c>[db]</c> (uri, user, passwd, name, maxconnections).</summary>
    public static MySqlStoreOptions ToMySqlOptions(DbOptions db) =>
        new() { Uri = db.Uri, User = db.User, Password = db.Passwd, Database = db.Name, MaxConnections = db.MaxConnections };

    private static void ValidateLdap(List<string> errors, AuthnLdapOptions ldap)
    {
        var yesNo = true;
        foreach (var (key, value) in new[] { ("tls", ldap.Tls), ("insecuretlsskipverify", ldap.InsecureTlsSkipVerify) })
        {
            if (AuthnLdapOptions.ParseYesNo(value) is null)
            {
                errors.Add($"[authn_ldap] {key} = '{value}': expected yes | no");
                yesNo = false;
            }
        }
        if (yesNo)
        {
            errors.AddRange(ldap.ToAuthenticatorOptions().Validate());
        }
    }

    private static void ValidateSigningPolicy(List<string> errors, string path)
    {
        try
        {
            SignaturePolicyLoader.Load(path);
        }
        catch (SignaturePolicyException e)
        {
            errors.AddRange(e.Errors.Select(error => $"[signing] policyfile = '{path}': {error}"));
        }
    }

    private static void OneOf(List<string> errors, string key, string value, string[] allowed, string hint = "")
    {
        if (!allowed.Any(a => Is(value, a)))
        {
            errors.Add($"{key} = '{value}': expected {string.Join(" | ", allowed)}{hint}");
        }
    }

    private static void FileExists(List<string> errors, string key, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key}: required when listenmode = https");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{key} = '{path}': file not found");
        }
    }

    private static bool Is(string value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);
}
