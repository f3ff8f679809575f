namespace Dockyard.Server.Configuration;

/// <summary><c>[azure]</c>: the Azure Storage account of the Azure backends.</summary>
public sealed class AzureOptions
{
    /// <summary><c>connectionstring</c>: an Azure Storage connection string; null when no Azure backend is used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>tableprefix</c>: prepended to the names of the metadata tables ([db] driver = azuretables).</summary>
    public string TablePrefix { get; set; } = "dockyard";
}
