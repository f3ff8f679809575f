namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A registry volume named on <c>launcher run -v dockyard:REPOSITORY[@VERSION]:DESTINATION[:ro|:rw]</c>: read-write (the
/// lease is taken, the folder is stored as a new version after the container exits) or read-only (no lease, nothing
/// stored). VERSION (<c>N</c>, <c>vN</c>, a tag or a digest) picks the version materialised instead of the latest; '@'
/// rather than docker's ':' because ':' already separates the parts (and a digest has one of its own).
/// </summary>
/// <param name="Version">The version to materialise; null for the latest.</param>
internal sealed record RunVolume(string Repository, string Destination, bool ReadOnly, string? Version = null)
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
        var rest = volume[Prefix.Length..];
        // The destination is absolute, so the source ends at the first ":/" (a repository, tag or digest holds none).
        var split = rest.IndexOf(":/", StringComparison.Ordinal);
        var source = split < 0 ? rest : rest[..split];
        string[] target = split < 0 ? [] : rest[(split + 1)..].Split(':');
        var readOnly = target.Length == 2 && target[1] == "ro";
        var at = source.IndexOf('@', StringComparison.Ordinal);
        var repository = at < 0 ? source : source[..at];
        var version = at < 0 ? null : source[(at + 1)..];
        if (target.Length is < 1 or > 2 || (target.Length == 2 && !readOnly && target[1] != "rw") || repository.Length == 0 || version is { Length: 0 })
        {
            throw new LaunchException(LaunchFailure.Usage, $"-v '{volume}': expected dockyard:REPOSITORY[@VERSION]:/DESTINATION[:ro|:rw]");
        }
        return new RunVolume(repository, target[0], readOnly, version is null ? null : VolumeVersions.CheckReference(version));
    }
}
