using System.Text.RegularExpressions;

namespace Dockyard.Azure.Tables;

/// <summary>Where the Azure Tables metadata store keeps its tables (<c>[azure] connectionstring</c>, <c>[azure] tableprefix</c>).</summary>
public sealed partial class AzureTableOptions
{
    /// <summary>An Azure Storage connection string with a table endpoint; null or empty is invalid.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prepended to every table name (letters and digits, starting with a letter, up to 40 characters).</summary>
    public string TablePrefix { get; set; } = "dockyard";

    /// <summary>How long the start-up check may wait for the table endpoint.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Every fault, each naming its runtime.conf key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("[azure] connectionstring: required when [db] driver = azuretables");
        }
        if (!PrefixGrammar().IsMatch(TablePrefix ?? ""))
        {
            errors.Add($"[azure] tableprefix = '{TablePrefix}': letters and digits starting with a letter, 1 to 40 characters");
        }
        return errors;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixGrammar();
}
