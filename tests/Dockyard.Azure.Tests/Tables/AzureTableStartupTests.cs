using Dockyard.Hosting.Configuration;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>A wrong <c>[azure]</c> key or an unreachable table endpoint fails at start-up, naming the key (no Azurite needed).</summary>
public sealed class AzureTableStartupTests
{
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Only a guard against a start-up that hangs, never a speed claim (speed belongs in bench/): well beyond the
    // start-up check's own timeout, far shorter than waiting forever.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(null, "dockyard", "[azure] connectionstring: required")]
    [InlineData("not a connection string", "dockyard", "[azure] connectionstring: not a valid")]
    [InlineData("UseDevelopmentStorage=true", "9lives", "[azure] tableprefix = '9lives'")]
    [InlineData("UseDevelopmentStorage=true", "has-dash", "[azure] tableprefix = 'has-dash'")]
    public async Task Invalid_azure_keys_are_refused_naming_the_key(string? connection, string prefix, string expected)
    {
        var error = await Assert.ThrowsAsync<StartupException>(() => StartAsync(connection, prefix));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task An_unreachable_table_endpoint_fails_start_up_naming_the_key_instead_of_hanging()
    {
        // Port 9 (discard) on loopback: nothing listens, so the connection is refused.
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

        // Building the host blocks in the start-up check, hence Task.Run: the guard must be able to give up on it.
        var error = await Assert.ThrowsAsync<StartupException>(() => Task.Run(() => StartAsync(connection, "dockyard")).WaitAsync(HangGuard));

        Assert.StartsWith("[azure] connectionstring: Azure Tables cannot be reached", error.Message);
    }

    [Fact]
    public async Task Azuretables_is_an_accepted_driver_name()
    {
        var error = await Assert.ThrowsAsync<StartupException>(() => StartAsync(null, "dockyard", driver: "AzureTables"));

        Assert.DoesNotContain("expected sqlite", error.Message);
        Assert.Contains("[azure] connectionstring: required", error.Message);
    }

    private static async Task StartAsync(string? connection, string prefix, string driver = "azuretables")
    {
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["db:driver"] = driver,
            ["azure:connectionstring"] = connection,
            ["azure:tableprefix"] = prefix,
        });
    }
}
