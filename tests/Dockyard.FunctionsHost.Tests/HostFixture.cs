using Dockyard.Azure;
using Dockyard.Azure.Tables;
using Dockyard.Testing;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// One real host per test class, on Azurite (DOCKYARD_TEST_AZURE_CONNECTION; test.sh starts it) with the blob backend
/// and Azure Tables in a container and tables of its own, deleted when the class is done. The rest of the app settings
/// come from the local.settings.json in the build output, as under <c>func start</c>. Without DOCKYARD_TEST_FUNCTIONS_HOST
/// the tests are skipped, on CI too (a clone without ../shared/functions-host); without Azurite they fail on CI.
/// </summary>
public abstract class HostFixture : IAsyncLifetime
{
    private const string AzuriteVariable = "DOCKYARD_TEST_AZURE_CONNECTION";

    private readonly string id = Guid.NewGuid().ToString("N")[..12];
    private FunctionsHost? host;
    private string? connection;

    /// <summary>Settings beyond the storage ones (<c>section__key</c>, as in local.settings.json).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>The running host; skips the test when DOCKYARD_TEST_FUNCTIONS_HOST is unset, fails it (on CI) without Azurite.</summary>
    internal FunctionsHost Host
    {
        get
        {
            if (FunctionsHost.FindLauncher() is null)
            {
                throw new SkipException($"{FunctionsHost.Variable} is unset (test.sh sets it when ../shared/functions-host exists)");
            }
            if (connection is null)
            {
                RequiredTool.Missing("azurite", $"is not running ({AzuriteVariable} is unset; infra/scripts/azurite.sh start)");
            }
            return host!;
        }
    }

    /// <summary>The host's own Azure Tables (the tracker's state among them), to look at what it stored.</summary>
    internal AzureTables Tables() => AzureTables.FromOptions(new AzureTableOptions { ConnectionString = connection, TablePrefix = "funchost" + id });

    public async Task InitializeAsync()
    {
        connection = Environment.GetEnvironmentVariable(AzuriteVariable) is { Length: > 0 } value ? value : null;
        if (FunctionsHost.FindLauncher() is not { } launcher || connection is null)
        {
            return;
        }
        var settings = new Dictionary<string, string>(Settings)
        {
            ["AzureWebJobsStorage"] = connection,
            ["azure__connectionstring"] = connection,
            ["azure__container"] = "funchost-" + id,
            ["azure__tableprefix"] = "funchost" + id,
        };
        host = await FunctionsHost.StartAsync(launcher, settings);
    }

    public async Task DisposeAsync()
    {
        if (host is null)
        {
            return;
        }
        await host.DisposeAsync();
        await AzureStorageRegistration.Connect(connection!, "funchost-" + id, TimeSpan.FromSeconds(10)).DeleteIfExistsAsync();
        await Tables().DeleteTablesAsync(CancellationToken.None);
    }
}

/// <summary>The app as local.settings.json configures it: open (standalone) mode, appc discovery for registry.test.</summary>
public sealed class OpenHostFixture : HostFixture
{
    public const string Domain = "registry.test";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["dockyard__domains"] = Domain };
}

/// <summary>The same app with access enforced (<c>standalone = false</c>) and its token keys in a temp folder.</summary>
public class EnforcedHostFixture : HostFixture
{
    private readonly string keys = Path.Combine(Path.GetTempPath(), "dockyard-funchost-keys-" + Guid.NewGuid().ToString("N")[..8]);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["dockyard__standalone"] = "false",
        ["auth_server__privateKey"] = Path.Combine(keys, "token.key"),
        ["token__rootcertbundle"] = Path.Combine(keys, "token.crt"),
    };
}

/// <summary>
/// The app with the host's body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) lowered to <see cref="Limit"/>, so that bodies
/// over it are cheap to send.
/// </summary>
public sealed class SmallBodyLimitHostFixture : HostFixture
{
    public const int Limit = 4 << 20;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Every class that starts a host runs alone: two hosts and their workers at once would crowd a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class FunctionsHostCollection
{
    public const string Name = "functions host";
}

/// <summary>The enforced app cutting blobs into 1 MiB P2P pieces, so a few MiB make a blob of several.</summary>
public sealed class P2PHostFixture : EnforcedHostFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings) { ["p2p__piecesize"] = "1024" };
}
