using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Core.Appc;

/// <summary>
/// Writes the appc image manifest of a converted Docker/OCI image from its config: exec (entrypoint + cmd, the
/// command resolved against PATH in the flattened rootfs), environment, working directory, user and group, exposed
/// ports, labels version/os/arch, and the image's labels as annotations where their names are valid AC identifiers.
/// </summary>
internal static partial class AciManifestWriter
{
    public const string AcVersion = "0.8.11";

    public static byte[] Write(string name, string version, string os, string arch, JsonElement config, IReadOnlySet<string> rootfs)
    {
        var container = config.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var env = Strings(container, "Env");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("acKind", "ImageManifest");
            json.WriteString("acVersion", AcVersion);
            json.WriteString("name", name);
            json.WriteStartArray("labels");
            foreach (var (label, value) in new[] { ("version", version), ("os", os), ("arch", arch) })
            {
                NameValue(json, label, value);
            }
            json.WriteEndArray();
            var exec = Strings(container, "Entrypoint").Concat(Strings(container, "Cmd")).ToList();
            if (exec.Count > 0)
            {
                exec[0] = Resolve(exec[0], env, rootfs);
                json.WriteStartObject("app");
                json.WriteStartArray("exec");
                exec.ForEach(json.WriteStringValue);
                json.WriteEndArray();
                var (user, group) = UserAndGroup(Text(container, "User"));
                json.WriteString("user", user);
                json.WriteString("group", group);
                if (Text(container, "WorkingDir") is { Length: > 0 } workingDirectory && workingDirectory.StartsWith('/'))
                {
                    json.WriteString("workingDirectory", workingDirectory);
                }
                json.WriteStartArray("environment");
                foreach (var variable in env.Where(e => e.IndexOf('=') > 0))
                {
                    NameValue(json, variable[..variable.IndexOf('=')], variable[(variable.IndexOf('=') + 1)..]);
                }
                json.WriteEndArray();
                WritePorts(json, container);
                json.WriteEndObject();
            }
            json.WriteStartArray("annotations");
            if (container.ValueKind == JsonValueKind.Object && container.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in labels.EnumerateObject().Where(l => Identifier().IsMatch(l.Name) && l.Value.ValueKind == JsonValueKind.String))
                {
                    NameValue(json, label.Name, label.Value.GetString()!);
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WritePorts(Utf8JsonWriter json, JsonElement container)
    {
        json.WriteStartArray("ports");
        if (container.ValueKind == JsonValueKind.Object && container.TryGetProperty("ExposedPorts", out var ports) && ports.ValueKind == JsonValueKind.Object)
        {
            foreach (var port in ports.EnumerateObject())
            {
                var parts = port.Name.Split('/');
                if (int.TryParse(parts[0], out var number))
                {
                    var protocol = parts.Length > 1 ? parts[1] : "tcp";
                    json.WriteStartObject();
                    json.WriteString("name", $"{number}-{protocol}");
                    json.WriteString("protocol", protocol);
                    json.WriteNumber("port", number);
                    json.WriteEndObject();
                }
            }
        }
        json.WriteEndArray();
    }

    private static string Resolve(string command, IEnumerable<string> env, IReadOnlySet<string> rootfs)
    {
        if (command.StartsWith('/'))
        {
            return command;
        }
        var path = env.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':').Select(d => d.TrimEnd('/') + "/" + command).FirstOrDefault(p => rootfs.Contains(p.TrimStart('/'))) ?? "/bin/" + command;
    }

    private static (string User, string Group) UserAndGroup(string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return ("0", "0");
        }
        var colon = user.IndexOf(':');
        return colon < 0 ? (user, "0") : (user[..colon], user[(colon + 1)..]);
    }

    private static void NameValue(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    [GeneratedRegex(@"^[a-z0-9]+([-._~/][a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
