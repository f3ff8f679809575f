using Dockyard.Hosting.Configuration;
using Dockyard.Testing;
using Microsoft.Extensions.Configuration;

namespace Dockyard.MySql.Tests.Configuration;

/// <summary><c>[db] driver = mysql</c> is checked at start-up: a missing key or an unreachable server names the key.</summary>
public sealed class MySqlStartupTests
{
    private static RuntimeSettings Settings(IDictionary<string, string?> values) =>
        RuntimeSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void A_missing_name_user_or_uri_fails_validation_naming_each_key()
    {
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(Settings(new Dictionary<string, string?> { ["db:driver"] = "mysql" })));

        Assert.Contains("[db] name", error.Message, StringComparison.Ordinal);
        Assert.Contains("[db] user", error.Message, StringComparison.Ordinal);
        Assert.Contains("[db] uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_section_passes_and_the_port_defaults_to_3306()
    {
        RuntimeSettingsValidator.Validate(Settings(new Dictionary<string, string?>
        {
            ["db:driver"] = "mysql", ["db:uri"] = "db.example", ["db:user"] = "root", ["db:passwd"] = "containerops", ["db:name"] = "dockyard",
        }));

        Assert.Equal(("db.example", 3306), MySqlStoreOptions.ParseUri("db.example"));
        Assert.Equal(("127.0.0.1", 13306), MySqlStoreOptions.ParseUri("127.0.0.1:13306"));
        Assert.Null(MySqlStoreOptions.ParseUri("db.example:notaport"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void A_pool_size_out_of_range_fails_validation_naming_the_key(string value)
    {
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(Settings(new Dictionary<string, string?>
        {
            ["db:driver"] = "mysql", ["db:uri"] = "db.example", ["db:user"] = "root", ["db:name"] = "dockyard", ["db:maxconnections"] = value,
        })));

        Assert.Contains($"[db] maxconnections = {value}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Driver_redis_is_refused_with_a_message_saying_so()
    {
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(Settings(new Dictionary<string, string?> { ["db:driver"] = "redis" })));

        Assert.Contains("[db] driver = 'redis': Redis is not a metadata driver", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_refuses_connections_fails_start_up_naming_the_uri()
    {
        var port = DockyardProcess.FreePort();
        var error = await Assert.ThrowsAsync<StartupException>(() => RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["db:driver"] = "mysql", ["db:uri"] = $"127.0.0.1:{port}", ["db:user"] = "dockyard", ["db:name"] = "dockyard",
        }));

        Assert.Contains($"[db] uri = '127.0.0.1:{port}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_fails_start_up_naming_it()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = MariaDb.OptionsFor(server, "absent_" + Guid.NewGuid().ToString("N")[..12]);
        var error = await Assert.ThrowsAsync<StartupException>(() => RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["db:driver"] = "mysql", ["db:uri"] = options.Uri, ["db:user"] = options.User, ["db:passwd"] = options.Password, ["db:name"] = options.Database,
        }));

        Assert.Contains($"name = '{options.Database}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown database", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
