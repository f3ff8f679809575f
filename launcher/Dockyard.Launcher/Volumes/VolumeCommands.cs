using System.CommandLine;
using System.Globalization;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// <c>launcher volume ls|inspect|snapshot|restore|rm|push|pull</c>: volumes stored in Dockyard, by repository (and,
/// for <c>snapshot</c>, a volume this host's plugin has mounted, with the keys it was created with). Encrypted volumes:
/// <c>push --encryption-key</c> stores an encrypted version, every command reading one takes <c>--decryption-key</c>.
/// </summary>
internal static class VolumeCommands
{
    public static Command Create()
    {
        var volume = new Command("volume", "Volumes stored in Dockyard as versioned, chunked artifacts");
        volume.Subcommands.Add(Ls());
        volume.Subcommands.Add(Inspect());
        volume.Subcommands.Add(Push());
        volume.Subcommands.Add(Pull());
        volume.Subcommands.Add(Snapshot());
        volume.Subcommands.Add(Restore());
        volume.Subcommands.Add(Rm());
        return volume;
    }

    public static Option<string?> RegistryOption() => new("--registry")
    {
        Description = "the Dockyard registry URL (default: $DOCKYARD_REGISTRY)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DOCKYARD_REGISTRY"),
    };

    public static string DefaultState() => Environment.GetEnvironmentVariable("DOCKYARD_VOLUME_STATE") is { Length: > 0 } state ? state : "/var/lib/dockyard/volumes";

    private static Command Ls() => WithRepository("ls", "List a volume's versions, newest last", async (connection, _, token) =>
    {
        var latest = await VolumeVersions.ReadAsync(connection.Registry, VolumeVersions.Latest, token);
        foreach (var number in await VolumeVersions.NumbersAsync(connection.Registry, token))
        {
            var version = await VolumeOperations.RequiredAsync(connection.Registry, VolumeVersions.Tag(number), token);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{VolumeVersions.Tag(number)}\t{version.Digest}\t{version.Index.Entries.Count} entries\t{version.Index.TotalBytes} bytes\t{version.Created:O}{(latest?.Digest == version.Digest && latest.Number == number ? "\tlatest" : "")}"));
        }
        return 0;
    });

    private static Command Inspect()
    {
        var version = new Option<string>("--version") { Description = "the version (N, vN, latest or a digest)", DefaultValueFactory = _ => VolumeVersions.Latest };
        return WithRepository("inspect", "Show a version's digest, size and files", async (connection, result, token) =>
        {
            var found = await VolumeOperations.RequiredAsync(connection.Registry, result.GetRequiredValue(version), token);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"repository {connection.Registry.Repository}\nversion {found.Number}\ndigest {found.Digest}\nindex {found.IndexDigest}\ncreated {found.Created:O}\nbytes {found.Index.TotalBytes}\nchunks {found.Index.Entries.SelectMany(e => e.Chunks ?? []).Select(c => c.Digest).Distinct().Count()}"));
            foreach (var entry in found.Index.Entries)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{entry.Type}\t{Convert.ToString(entry.Mode, 8)}\t{entry.Size}\t{entry.Path}"));
            }
            return 0;
        }, version);
    }

    private static Command Push()
    {
        var folder = new Argument<string>("folder") { Description = "the folder to store as the next version" };
        return WithRepository("push", "Store a folder as the volume's next version (only chunks the registry lacks are uploaded)", async (connection, result, token) =>
        {
            var done = await VolumeOperations.PushAsync(connection, result.GetRequiredValue(folder), token);
            await Report(done);
            return 0;
        }, folder);
    }

    private static Command Pull()
    {
        var folder = new Argument<string>("folder") { Description = "the folder to write (emptied first)" };
        var version = new Option<string>("--version") { Description = "the version (N, vN, latest or a digest)", DefaultValueFactory = _ => VolumeVersions.Latest };
        return WithRepository("pull", "Write a version of the volume into a folder", async (connection, result, token) =>
        {
            var found = await VolumeOperations.RequiredAsync(connection.Registry, result.GetRequiredValue(version), token);
            var bytes = await VolumeMaterializer.RestoreAsync(connection.Registry, found, result.GetRequiredValue(folder), token);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{VolumeVersions.Tag(found.Number)} {found.Digest} {bytes} bytes"));
            return 0;
        }, folder, version);
    }

    private static Command Restore()
    {
        var version = new Argument<string>("version") { Description = "the version to make latest again (N, vN or a digest)" };
        return WithRepository("restore", "Make an older version the latest again (as a new version; nothing is uploaded)", async (connection, result, token) =>
        {
            var restored = await VolumeOperations.RestoreAsync(connection, result.GetRequiredValue(version), token);
            await Console.Out.WriteLineAsync($"{VolumeVersions.Tag(restored.Number)} {restored.Digest}");
            return 0;
        }, version);
    }

    private static Command Rm() => WithRepository("rm", "Delete every version of a volume (refused while a host has it mounted)", async (connection, _, token) =>
    {
        await Console.Out.WriteLineAsync($"{await VolumeOperations.RemoveAsync(connection, token)} versions deleted");
        return 0;
    });

    private static Command Snapshot()
    {
        var command = new Command("snapshot", "Store a volume this host's plugin has mounted as a new version now, with the plugin's lease");
        var name = new Argument<string>("name") { Description = "the Docker volume name" };
        var state = new Option<string>("--state") { Description = "the plugin's state folder", DefaultValueFactory = _ => DefaultState() };
        var registry = RegistryOption();
        command.Arguments.Add(name);
        command.Options.Add(state);
        command.Options.Add(registry);
        command.SetAction((result, cancellationToken) => InvokeAsync(async token =>
        {
            var folder = new VolumeStateFolder(result.GetRequiredValue(state));
            var volume = VolumeStateFolder.CheckName(result.GetRequiredValue(name));
            var repository = folder.Repository(volume) ?? throw new LaunchException(LaunchFailure.Usage, $"no such volume: {volume}");
            var lease = folder.Lease(volume) ?? throw new LaunchException(LaunchFailure.Usage, $"volume {volume} is not mounted read-write on this host");
            using var connection = VolumeConnection.Open(result.GetValue(registry), repository, folder.Keys(volume).Load());
            var done = await VolumeSnapshotter.SnapshotAsync(connection.Registry, folder.DataPath(volume), lease, token);
            folder.SetMaterialised(volume, done.Version?.Digest.Value);
            await Report(done);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Task Report(SnapshotResult done) => Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
        $"{(done.Committed ? "" : "unchanged: ")}{VolumeVersions.Tag(done.Version?.Number ?? 0)} {done.Version?.Digest} uploaded {done.UploadedBytes} of {done.VolumeBytes} bytes ({done.UploadedBlobs} blobs)"));

    private static Command WithRepository(string name, string description, Func<VolumeConnection, ParseResult, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        var repository = new Argument<string>("repository") { Description = "the volume's repository (TEAM/NAME)" };
        var registry = RegistryOption();
        var keys = new VolumeKeyOptions(stores: name == "push");
        command.Arguments.Add(repository);
        command.Options.Add(registry);
        keys.AddTo(command);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument)
            {
                command.Arguments.Add(argument);
            }
            else
            {
                command.Options.Add((Option)symbol);
            }
        }
        command.SetAction((result, cancellationToken) => InvokeAsync(async token =>
        {
            using var connection = VolumeConnection.Open(result.GetValue(registry), result.GetRequiredValue(repository), keys.Read(result).Load());
            return await action(connection, result, token);
        }, cancellationToken));
        return command;
    }

    /// <summary>Runs the action and turns a <see cref="LaunchException"/> into its line and exit code.</summary>
    public static async Task<int> InvokeAsync(Func<CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action(cancellationToken);
        }
        catch (LaunchException e)
        {
            await Console.Error.WriteLineAsync("launcher: " + e.Describe());
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}
