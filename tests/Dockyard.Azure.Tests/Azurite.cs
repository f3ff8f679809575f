using Azure.Storage.Blobs;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests;

/// <summary>The Azurite that infra/scripts/azurite.sh started (test.sh exports its connection string).</summary>
internal static class Azurite
{
    public const string Variable = "DOCKYARD_TEST_AZURE_CONNECTION";

    /// <summary>The connection string; null (after reporting it, or failing on CI) when Azurite is not running.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : RequiredTool.Missing("azurite", $"is not running ({Variable} is unset; infra/scripts/azurite.sh start)");

    /// <summary>A fresh container name for one test or test class.</summary>
    public static string NewContainerName() => "test-" + Guid.NewGuid().ToString("N");

    public static BlobContainerClient Connect(string connectionString, string container) =>
        AzureStorageRegistration.Connect(connectionString, container, TimeSpan.FromSeconds(10));
}
