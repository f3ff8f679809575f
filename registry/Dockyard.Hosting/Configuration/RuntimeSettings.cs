namespace Dockyard.Hosting.Configuration;

/// <summary>
/// Every section of runtime.conf bound to its options class. Loaded from the INI file (when there is one) and then
/// environment variables prefixed <c>DOCKYARD_</c>, with <c>__</c> between section and key
/// (<c>DOCKYARD_DOCKYARD__PATH=/srv/data</c>, <c>DOCKYARD_LISTENMODE=https</c>).
/// </summary>
public sealed class RuntimeSettings
{
    public const string EnvironmentPrefix = "DOCKYARD_";
    public const string DefaultConfigPath = "conf/runtime.conf";

    public required RuntimeOptions Runtime { get; init; }
    public required LogOptions Log { get; init; }
    public required DbOptions Db { get; init; }
    public required DockyardOptions Dockyard { get; init; }
    public required TokenOptions Token { get; init; }
    public required AuthServerOptions AuthServer { get; init; }
    public required RadosOptions Rados { get; init; }
    public required AzureOptions Azure { get; init; }
    public required AuthnLdapOptions AuthnLdap { get; init; }
    public SigningOptions Signing { get; init; } = new();
    public QuotaSettings Quota { get; init; } = new();
    public GcSettings Gc { get; init; } = new();
    public P2PSettings P2P { get; init; } = new();

    /// <summary>The <c>[retention.NAME]</c> sections in file order; empty when there are none.</summary>
    public IReadOnlyList<RetentionSettings> Retention { get; init; } = [];
    public MetricsSettings Metrics { get; init; } = new();
    public NotificationSettings Notifications { get; init; } = new();
    public WebSettings Web { get; init; } = new();

    /// <summary>The configuration file actually read; null when running on the embedded defaults.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// Reads <paramref name="configFile"/> (or <c>DOCKYARD_CONFIG</c>, or conf/runtime.conf when present) plus the
    /// environment. An explicitly named file that does not exist is an error.
    /// </summary>
    public static RuntimeSettings Load(string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var explicitFile = configFile ?? Environment.GetEnvironmentVariable("DOCKYARD_CONFIG");
        if (explicitFile is not null && !File.Exists(explicitFile))
        {
            throw new StartupException($"configuration file '{explicitFile}' does not exist");
        }
        var file = explicitFile ?? (File.Exists(DefaultConfigPath) ? DefaultConfigPath : null);
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddIniFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }
        return Bind(builder.Build(), file);
    }

    public static RuntimeSettings Bind(IConfiguration configuration, string? configFile = null)
    {
        try
        {
            return new RuntimeSettings
            {
                Runtime = configuration.Get<RuntimeOptions>() ?? new(),
                Log = configuration.GetSection("log").Get<LogOptions>() ?? new(),
                Db = configuration.GetSection("db").Get<DbOptions>() ?? new(),
                Dockyard = configuration.GetSection("dockyard").Get<DockyardOptions>() ?? new(),
                Token = configuration.GetSection("token").Get<TokenOptions>() ?? new(),
                AuthServer = configuration.GetSection("auth_server").Get<AuthServerOptions>() ?? new(),
                Rados = configuration.GetSection("rados").Get<RadosOptions>() ?? new(),
                Azure = configuration.GetSection("azure").Get<AzureOptions>() ?? new(),
                AuthnLdap = configuration.GetSection("authn_ldap").Get<AuthnLdapOptions>() ?? new(),
                Signing = configuration.GetSection("signing").Get<SigningOptions>() ?? new(),
                Quota = configuration.GetSection("quota").Get<QuotaSettings>() ?? new(),
                Gc = configuration.GetSection("gc").Get<GcSettings>() ?? new(),
                P2P = configuration.GetSection("p2p").Get<P2PSettings>() ?? new(),
                Retention = RetentionSettings.Bind(configuration),
                Metrics = configuration.GetSection("metrics").Get<MetricsSettings>() ?? new(),
                Notifications = NotificationSettings.Bind(configuration),
                Web = configuration.GetSection("web").Get<WebSettings>() ?? new(),
                ConfigFile = configFile,
            };
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key ("Failed to convert configuration value at 'dockyard:standalone'...").
            throw new StartupException(e.Message, e);
        }
    }
}

/// <summary>A configuration fault found at start-up; its message names the key to fix.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
