using Dockyard.Hosting.Configuration;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>Enforced mode needs token keys: generated in runmode = dev, a start-up error naming the key in prod.</summary>
public sealed class TokenKeyStartupTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-keys-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Prod_refuses_to_start_without_the_private_key_and_names_the_key()
    {
        var error = Assert.Throws<StartupException>(() => Build("prod"));
        Assert.Contains("[auth_server] privateKey", error.Message);
        Assert.False(File.Exists(Path.Combine(folder, "token.key")));
    }

    [Fact]
    public async Task Dev_generates_the_key_pair_and_certificate_at_the_configured_paths()
    {
        await using (Build("dev"))
        {
        }
        Assert.Contains("PRIVATE KEY", await File.ReadAllTextAsync(Path.Combine(folder, "token.key")));
        Assert.Contains("BEGIN CERTIFICATE", await File.ReadAllTextAsync(Path.Combine(folder, "token.crt")));
        // A second start reuses them rather than replacing them.
        var before = await File.ReadAllTextAsync(Path.Combine(folder, "token.key"));
        await using (Build("dev"))
        {
        }
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(folder, "token.key")));
    }

    private Microsoft.AspNetCore.Builder.WebApplication Build(string runMode) =>
        DockyardHost.Build(RuntimeSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["runmode"] = runMode,
            ["dockyard:standalone"] = "false",
            ["dockyard:path"] = Path.Combine(folder, "data"),
            ["auth_server:privateKey"] = Path.Combine(folder, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(folder, "token.crt"),
        }).Build()), "127.0.0.1", 0);
}
