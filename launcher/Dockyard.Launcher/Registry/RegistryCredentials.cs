using System.Text;
using System.Text.Json;

namespace Dockyard.Launcher.Registry;

/// <summary>A user name and password for a registry (Basic, and the token service's Basic).</summary>
public sealed record RegistryCredentials(string UserName, string Password)
{
    public string BasicValue => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}"));

    /// <summary>
    /// The credentials <c>docker login</c> stored for <paramref name="host"/> in <c>$DOCKER_CONFIG/config.json</c>
    /// (default <c>~/.docker/config.json</c>): <c>auths[KEY].auth</c>, base64 of <c>user:password</c>, where KEY is the
    /// host or a URL naming it. Null when there is no file or no entry; credential helpers are not consulted.
    /// </summary>
    /// <exception cref="LaunchException">The file exists but is not JSON, or the entry is not base64 user:password.</exception>
    public static RegistryCredentials? FromDockerConfig(string host)
    {
        var folder = Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var entry in auths.EnumerateObject().Where(e => HostOf(e.Name) == host))
            {
                if (entry.Value.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
                {
                    return Decode(encoded, path);
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            throw new LaunchException(LaunchFailure.Usage, $"{path} is not JSON: {e.Message}", e);
        }
    }

    private static RegistryCredentials Decode(string encoded, string path)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredentials(text[..colon], text[(colon + 1)..])
                : throw new LaunchException(LaunchFailure.Usage, $"{path}: an auth entry is not base64 of user:password");
        }
        catch (FormatException e)
        {
            throw new LaunchException(LaunchFailure.Usage, $"{path}: an auth entry is not base64", e);
        }
    }

    /// <summary>"https://host:port/v1/" and "host:port" both name host:port.</summary>
    private static string HostOf(string key)
    {
        var text = key.Contains("://", StringComparison.Ordinal) ? key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..] : key;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? text[..slash] : text;
    }
}
