using Dockyard.Azure.Tables;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>
/// The Azurite instance the test script starts (<c>DOCKYARD_TEST_AZURE_CONNECTION</c>). Each caller gets tables of
/// its own under a fresh prefix, and deletes them afterwards.
/// </summary>
internal static class Azurite
{
    public const string ConnectionVariable = "DOCKYARD_TEST_AZURE_CONNECTION";

    /// <summary>The connection string; null (test skipped, or failed on CI) when the variable is unset.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value
            ? value
            : RequiredTool.Missing("azurite", $"is not running ({ConnectionVariable} is unset; infra/scripts/azurite.sh start)");

    /// <summary>A table prefix no other test uses.</summary>
    public static string FreshPrefix() => "t" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Fresh, created tables; null when Azurite is not available.</summary>
    public static async Task<AzureTables?> CreateTablesAsync()
    {
        if (ConnectionString is not { } connection)
        {
            return null;
        }
        var tables = AzureTables.FromOptions(new AzureTableOptions { ConnectionString = connection, TablePrefix = FreshPrefix() });
        await tables.CreateTablesAsync(CancellationToken.None);
        return tables;
    }
}
