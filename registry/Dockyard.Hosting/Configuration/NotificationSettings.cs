using Dockyard.Core.Events;

namespace Dockyard.Hosting.Configuration;

/// <summary>
/// <c>[notifications]</c>: <c>endpoints</c> names the webhook receivers, each configured in a section of its own,
/// <c>[notifications.&lt;name&gt;]</c> (<see cref="NotificationEndpointSettings"/>; <c>notifications_&lt;name&gt;</c> where
/// names cannot hold a dot). No endpoints: notifications are off.
/// </summary>
public sealed class NotificationSettings
{
    public const string Section = "notifications";

    /// <summary><c>endpoints</c>: comma-separated endpoint names; null or empty: none.</summary>
    public string? Endpoints { get; set; }

    /// <summary>The <c>[notifications.&lt;name&gt;]</c> sections found, by name as written (listed in <see cref="Endpoints"/> or not).</summary>
    public IReadOnlyDictionary<string, NotificationEndpointSettings> Sections { get; init; } = new Dictionary<string, NotificationEndpointSettings>();

    public IReadOnlyList<string> Names =>
        [.. (Endpoints ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static NotificationSettings Bind(IConfiguration configuration)
    {
        var sections = new Dictionary<string, NotificationEndpointSettings>(StringComparer.OrdinalIgnoreCase);
        // "notifications_<name>" too: Linux app settings (Azure Functions) turn dots in names into underscores.
        foreach (var section in configuration.GetChildren().Where(s => s.Key.Length > Section.Length + 1
            && s.Key.StartsWith(Section, StringComparison.OrdinalIgnoreCase) && s.Key[Section.Length] is '.' or '_'))
        {
            var endpoint = section.Get<NotificationEndpointSettings>() ?? new();
            endpoint.Headers = section.GetChildren()
                .Where(c => c.Key.StartsWith(NotificationEndpointSettings.HeaderPrefix, StringComparison.OrdinalIgnoreCase) && c.Value is not null)
                .ToDictionary(c => c.Key[NotificationEndpointSettings.HeaderPrefix.Length..], c => c.Value!, StringComparer.OrdinalIgnoreCase);
            sections[section.Key[(Section.Length + 1)..]] = endpoint;
        }
        return new NotificationSettings { Endpoints = configuration.GetSection(Section)["endpoints"], Sections = sections };
    }

    /// <summary>Every fault, each naming its key; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var names = Names;
        foreach (var name in names)
        {
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add($"[notifications] endpoints: '{name}' is not a name (letters, digits, - and _ only)");
            }
            else if (!Sections.TryGetValue(name, out var endpoint))
            {
                errors.Add($"[notifications] endpoints: '{name}' has no [notifications.{name}] section");
            }
            else
            {
                errors.AddRange(endpoint.Validate($"[notifications.{name}]"));
            }
        }
        errors.AddRange(names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"[notifications] endpoints: '{g.Key}' is listed twice"));
        errors.AddRange(Sections.Keys.Where(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase))
            .Select(k => $"[notifications.{k}]: not listed in [notifications] endpoints (list it there, with disabled = true to keep it idle, or remove the section)"));
        return errors;
    }

    /// <summary>The enabled endpoints (call after <see cref="Validate"/> found nothing).</summary>
    public NotificationOptions ToOptions() => new()
    {
        Endpoints = [.. Names.Select(n => (Name: n, Settings: Sections[n])).Where(e => !e.Settings.Disabled).Select(e => e.Settings.ToEndpoint(e.Name))],
    };
}
