using Dockyard.Azure.Blobs;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[azure]</c>: the Azure Storage account of the Azure backends (<c>[dockyard] backend = azure</c>, <c>[db] driver = azuretables</c>).</summary>
public sealed class AzureOptions
{
    /// <summary><c>connectionstring</c>: the storage account's connection string (with its key, so that SAS URLs can be signed); null when no Azure backend is used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>container</c>: the blob container, created at start-up when missing.</summary>
    public string Container { get; set; } = "dockyard";

    /// <summary><c>sasredirect</c>: answer blob GETs with a 307 to a short-lived read SAS URL.</summary>
    public bool SasRedirect { get; set; }

    /// <summary><c>sasexpiry</c>: seconds a redirect's SAS URL stays valid.</summary>
    public int SasExpiry { get; set; } = 300;

    /// <summary><c>tableprefix</c>: prepended to the names of the metadata tables ([db] driver = azuretables).</summary>
    public string TablePrefix { get; set; } = "dockyard";

    /// <summary>The faults of the blob-store keys, each naming its key; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "[azure] connectionstring: required when [dockyard] backend = azure";
        }
        // Azure's rule: 3-63 characters, lower-case letters, digits and single '-' between them.
        if (Container.Length is < 3 or > 63 || Container.Any(c => !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            || Container.StartsWith('-') || Container.EndsWith('-') || Container.Contains("--", StringComparison.Ordinal))
        {
            yield return $"[azure] container = '{Container}': expected 3-63 lower-case letters, digits and single '-' (not first or last)";
        }
        if (SasExpiry is < 10 or > 7 * 24 * 3600)
        {
            yield return $"[azure] sasexpiry = {SasExpiry}: seconds between 10 and 604800";
        }
    }

    public AzureBlobStoreOptions ToStoreOptions() => new() { SasRedirect = SasRedirect, SasExpiry = TimeSpan.FromSeconds(SasExpiry) };
}
