namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A registry volume named on <c>launcher run -v dockyard:REPOSITORY:DESTINATION[:ro]</c>: read-write (the lease is taken,
/// the folder is stored as a new version after the container exits) or read-only (the latest version, no lease, nothing
/// stored).
/// </summary>
internal sealed record RunVolume(string Repository, string Destination, bool ReadOnly)
{
    public const string Prefix = "dockyard:";

    /// <summary>Null when <paramref name="volume"/> is not a registry volume (a host path or an engine volume name).</summary>
    /// <exception cref="LaunchException">Usage when it starts with <c>dockyard:</c> but is malformed.</exception>
    public static RunVolume? TryParse(string volume)
    {
        if (!volume.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = volume[Prefix.Length..].Split(':');
        var readOnly = parts.Length == 3 && parts[2] == "ro";
        if (parts.Length is < 2 or > 3 || (parts.Length == 3 && !readOnly && parts[2] != "rw") || parts[0].Length == 0 || !parts[1].StartsWith('/'))
        {
            throw new LaunchException(LaunchFailure.Usage, $"-v '{volume}': expected dockyard:REPOSITORY:/DESTINATION[:ro]");
        }
        return new RunVolume(parts[0], parts[1], readOnly);
    }
}
