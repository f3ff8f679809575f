using Dockyard.Hosting.Configuration;

namespace Dockyard.Server.Tests.Configuration;

public sealed class RuntimeSettingsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-conf-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Reads_the_original_runtime_conf_format_with_top_level_keys_and_sections()
    {
        var file = Write("""
            runmode = prod
            listenmode = http

            [log]
            filepath = log/containerops-log

            [db]
            driver = sqlite
            uri = /srv/meta.db

            [dockyard]
            path = /srv/data
            domains = containerops.me
            distribution = registry/2.0
            standalone = true
            backend = filesystem

            [rados]
            chunksize = 4196304

            [authn_ldap]
            tls = yes
            """);
        var settings = RuntimeSettings.Load(file);
        Assert.Equal("prod", settings.Runtime.RunMode);
        Assert.Equal("log/containerops-log", settings.Log.FilePath);
        Assert.Equal("/srv/meta.db", settings.Db.Uri);
        Assert.Equal("/srv/data", settings.Dockyard.Path);
        Assert.Equal("containerops.me", settings.Dockyard.Domains);
        Assert.True(settings.Dockyard.Standalone);
        Assert.Equal(4196304, settings.Rados.ChunkSize);
        Assert.Equal("yes", settings.AuthnLdap.Tls);
        RuntimeSettingsValidator.Validate(settings);
    }

    [Fact]
    public void Explicit_values_override_the_file_like_environment_variables_do()
    {
        var file = Write("[dockyard]\npath = from-file\n");
        var settings = RuntimeSettings.Load(file, new Dictionary<string, string?> { ["dockyard:path"] = "from-env" });
        Assert.Equal("from-env", settings.Dockyard.Path);
    }

    [Fact]
    public void Environment_variables_with_the_DOCKYARD_prefix_override_the_file()
    {
        var file = Write("[dockyard]\ndomains = from-file\n");
        Environment.SetEnvironmentVariable("DOCKYARD_DOCKYARD__DOMAINS", "from-env.example");
        try
        {
            Assert.Equal("from-env.example", RuntimeSettings.Load(file).Dockyard.Domains);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKYARD_DOCKYARD__DOMAINS", null);
        }
    }

    [Fact]
    public void Defaults_are_the_embedded_registry()
    {
        var settings = RuntimeSettings.Bind(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.Equal("data", settings.Dockyard.Path);
        Assert.Equal("sqlite", settings.Db.Driver);
        Assert.Equal("filesystem", settings.Dockyard.Backend);
        Assert.True(settings.Dockyard.Standalone);
        Assert.Equal("http", settings.Runtime.ListenMode);
        RuntimeSettingsValidator.Validate(settings);
    }

    [Fact]
    public void A_missing_explicit_file_is_an_error()
    {
        var error = Assert.Throws<StartupException>(() => RuntimeSettings.Load(Path.Combine(folder, "absent.conf")));
        Assert.Contains("absent.conf", error.Message);
    }

    [Theory]
    [InlineData("[db]\ndriver = oracle\n", "[db] driver")]
    [InlineData("[db]\nbusytimeout = 0\n", "[db] busytimeout")]
    [InlineData("[dockyard]\ntrustedproxies = 10.0.0.5, proxy.example.com\n", "[dockyard] trustedproxies: 'proxy.example.com'")]
    [InlineData("[quota]\nnamespacesize = -1\n", "[quota] namespacesize")]
    [InlineData("[dockyard]\nbackend = tape\n", "[dockyard] backend")]
    [InlineData("listenmode = gopher\n", "listenmode")]
    [InlineData("runmode = fast\n", "runmode")]
    [InlineData("listenmode = https\n", "httpscertfile")]
    [InlineData("[log]\nlevel = loud\n", "[log] level")]
    [InlineData("[log]\nformat = xml\n", "[log] format")]
    [InlineData("[metrics]\ntoken = short\n", "[metrics] token")]
    [InlineData("[metrics]\ntoken = has a space in it somewhere\n", "[metrics] token")]
    [InlineData("[dockyard]\nstandalone = false\n[auth_server]\nauthn = authn_kerberos\n", "[auth_server] authn")]
    [InlineData("[dockyard]\nstandalone = false\n[auth_server]\nauthn = authn_ldap\n[authn_ldap]\ndomain = example.com\n", "[authn_ldap] addr")]
    [InlineData("[auth_server]\nauthn = authn_ldap\n[authn_ldap]\naddr = ldap.example.com\ndomain = example.com\n", "[authn_ldap] addr")]
    [InlineData("[auth_server]\nauthn = authn_ldap\n[authn_ldap]\naddr = ldap.example.com:389\n", "[authn_ldap] domain")]
    [InlineData("[auth_server]\nauthn = authn_ldap\n[authn_ldap]\naddr = ldap.example.com:636\ndomain = example.com\ntls = maybe\n", "[authn_ldap] tls")]
    [InlineData("[auth_server]\nauthn = authn_ldap\n[authn_ldap]\naddr = ldap.example.com:636\ndomain = example.com\ninsecuretlsskipverify = 1\n", "[authn_ldap] insecuretlsskipverify")]
    public void Validation_names_the_wrong_key(string ini, string key)
    {
        var settings = RuntimeSettings.Load(Write(ini));
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(settings));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Authn_ldap_with_a_complete_section_is_valid()
    {
        var settings = RuntimeSettings.Load(Write("""
            [dockyard]
            standalone = false
            [auth_server]
            authn = authn_ldap
            [authn_ldap]
            addr = ldap.example.com:636
            tls = yes
            insecuretlsskipverify = no
            domain = ou=people,dc=example,dc=com
            """));
        RuntimeSettingsValidator.Validate(settings);
        Assert.True(RuntimeSettingsValidator.UsesLdap(settings));
        var options = settings.AuthnLdap.ToAuthenticatorOptions();
        Assert.True(options.UseTls);
        Assert.False(options.InsecureTlsSkipVerify);
        Assert.True(options.DomainIsBaseDn);
    }

    [Fact]
    public void Metrics_and_log_format_keys_bind_and_a_bad_token_is_not_echoed()
    {
        var settings = RuntimeSettings.Load(Write("[log]\nformat = JSON\n[metrics]\nenabled = false\ntoken = 0123456789abcdef0123\n"));
        RuntimeSettingsValidator.Validate(settings);
        Assert.True(settings.Log.IsJson);
        Assert.False(settings.Metrics.ToOptions().Enabled);
        Assert.Equal("0123456789abcdef0123", settings.Metrics.ToOptions().Token);
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(RuntimeSettings.Load(Write("[metrics]\ntoken = tooshort99\n"))));
        Assert.DoesNotContain("tooshort99", error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_key()
    {
        var error = Assert.Throws<StartupException>(() => RuntimeSettings.Load(Write("[dockyard]\nstandalone = maybe\n")));
        Assert.Contains("dockyard:standalone", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private string Write(string content)
    {
        var path = Path.Combine(folder, "runtime.conf");
        File.WriteAllText(path, content);
        return path;
    }
}
