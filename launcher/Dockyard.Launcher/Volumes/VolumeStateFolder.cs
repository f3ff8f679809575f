using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// One host's volume state (the plugin's <c>--state</c> folder), laid out as
/// <code>
/// host-id                    this host's name as a lease holder (made once)
/// volumes/NAME/repository    the volume's repository
/// volumes/NAME/data/         the mountpoint: the materialised version and the container's changes
/// volumes/NAME/lease         "HOLDER TOKEN" while this host holds the read-write lease
/// volumes/NAME/version       the manifest digest data/ was materialised from
/// volumes/NAME/read-only     present when created with --opt mode=ro (mounted with no lease, never snapshotted)
/// volumes/NAME/pinned        the version given with --opt version=… (read-only: always mounted; read-write: until a change is stored)
/// volumes/NAME/recipients    public key paths (--opt encrypt-recipient), one a line: new versions are encrypted for them
/// volumes/NAME/decrypt-keys  private key paths (--opt decrypt-key), one a line: encrypted versions are opened with them
/// </code>
/// </summary>
internal sealed partial class VolumeStateFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>This host's lease holder name: the machine name and a random suffix, made on first use and kept.</summary>
    public string HostId()
    {
        var path = Path.Combine(Root, "host-id");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Root);
            var machine = Environment.MachineName.Length > 100 ? Environment.MachineName[..100] : Environment.MachineName;
            File.WriteAllText(path, $"{machine}-{Guid.NewGuid():N}");
        }
        return File.ReadAllText(path).Trim();
    }

    public IReadOnlyList<string> Names() => Directory.Exists(Folder(""))
        ? Directory.EnumerateDirectories(Folder("")).Select(Path.GetFileName).Where(n => n is not null && Exists(n)).Select(n => n!).Order(StringComparer.Ordinal).ToList()
        : [];

    public bool Exists(string name) => File.Exists(Path.Combine(Folder(name), "repository"));

    /// <summary>The repository of volume <paramref name="name"/>; null when this host has no such volume.</summary>
    public string? Repository(string name) => Exists(name) ? File.ReadAllText(Path.Combine(Folder(name), "repository")).Trim() : null;

    public void Create(string name, string repository, bool readOnly = false, string? version = null)
    {
        Directory.CreateDirectory(DataPath(name));
        File.WriteAllText(Path.Combine(Folder(name), "repository"), repository);
        Write(Path.Combine(Folder(name), "read-only"), readOnly ? "ro" : null);
        SetPinned(name, version);
    }

    /// <summary>
    /// The version volume <paramref name="name"/> mounts instead of the latest (<c>--opt version=</c>); null for the
    /// latest, and for a read-write volume once a change to that version was stored.
    /// </summary>
    public string? Pinned(string name) => File.Exists(Path.Combine(Folder(name), "pinned")) ? File.ReadAllText(Path.Combine(Folder(name), "pinned")).Trim() : null;

    public void SetPinned(string name, string? version) => Write(Path.Combine(Folder(name), "pinned"), version);

    /// <summary>Whether the volume was created with <c>--opt mode=ro</c>: mounted with no lease, never snapshotted.</summary>
    public bool ReadOnly(string name) => File.Exists(Path.Combine(Folder(name), "read-only"));

    /// <summary>The key files of volume <paramref name="name"/>; none when it was created without keys.</summary>
    public VolumeKeyPaths Keys(string name) => new(Lines(Path.Combine(Folder(name), "recipients")), Lines(Path.Combine(Folder(name), "decrypt-keys")));

    public void SetKeys(string name, VolumeKeyPaths keys)
    {
        Write(Path.Combine(Folder(name), "recipients"), keys.Recipients.Count == 0 ? null : string.Join('\n', keys.Recipients));
        Write(Path.Combine(Folder(name), "decrypt-keys"), keys.DecryptionKeys.Count == 0 ? null : string.Join('\n', keys.DecryptionKeys));
    }

    public void Remove(string name) => Directory.Delete(Folder(name), recursive: true);

    public string DataPath(string name) => Path.Combine(Folder(name), "data");

    public HeldLease? Lease(string name)
    {
        var path = Path.Combine(Folder(name), "lease");
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), VolumeStateJson.Default.HeldLease) : null;
    }

    public void SetLease(string name, HeldLease? lease) =>
        Write(Path.Combine(Folder(name), "lease"), lease is null ? null : JsonSerializer.Serialize(lease, VolumeStateJson.Default.HeldLease));

    public string? Materialised(string name) => File.Exists(Path.Combine(Folder(name), "version")) ? File.ReadAllText(Path.Combine(Folder(name), "version")).Trim() : null;

    public void SetMaterialised(string name, string? digest) => Write(Path.Combine(Folder(name), "version"), digest);

    /// <exception cref="LaunchException">Not a Docker volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*).</exception>
    public static string CheckName(string? name) => name is { Length: > 0 and <= 128 } && NamePattern().IsMatch(name) ? name
        : throw new LaunchException(LaunchFailure.Usage, $"'{name}' is not a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");

    private string Folder(string name) => name.Length == 0 ? Path.Combine(Root, "volumes") : Path.Combine(Root, "volumes", CheckName(name));

    private static string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToArray() : [];

    private static void Write(string path, string? text)
    {
        if (text is null)
        {
            File.Delete(path);
            return;
        }
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();
}

[System.Text.Json.Serialization.JsonSerializable(typeof(HeldLease))]
internal sealed partial class VolumeStateJson : System.Text.Json.Serialization.JsonSerializerContext;
