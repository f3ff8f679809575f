using System.CommandLine;
using Dockyard.Launcher.Engine;
using Dockyard.Launcher.Registry;
using Dockyard.Launcher.Volumes;

namespace Dockyard.Launcher.Cli;

/// <summary>
/// <c>launcher run [options] IMAGE [-- CMD ARGS…]</c>: pull (verify, decrypt, load) the image, then create, start and
/// attach to a container and exit with its exit code. <c>-v dockyard:REPOSITORY[@VERSION]:/DEST[:ro]</c> mounts a volume stored
/// in the image's registry (<see cref="RunVolumeMounts"/>: materialised before, stored as a new version after), encrypted
/// for <c>--encryption-key</c> recipients and opened with <c>--decryption-key</c>.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var run = new Command("run", "Run a container from an image stored in Dockyard; exits with the container's exit code");
        var arguments = new PullArguments();
        arguments.AddTo(run);
        var command = new Argument<string[]>("command") { Description = "the command and its arguments (after --)", Arity = ArgumentArity.ZeroOrMore };
        var name = new Option<string?>("--name") { Description = "the container's name" };
        var env = new Option<string[]>("--env", "-e") { Description = "KEY=VALUE; repeatable", AllowMultipleArgumentsPerToken = false };
        var volume = new Option<string[]>("--volume", "-v") { Description = "SOURCE:DESTINATION[:ro] or dockyard:REPOSITORY[@VERSION]:DESTINATION[:ro] (a registry volume, its latest version or VERSION); repeatable", AllowMultipleArgumentsPerToken = false };
        var network = new Option<string?>("--network") { Description = "the network mode (none, host, bridge or a network name)" };
        var remove = new Option<bool>("--rm") { Description = "remove the container when it exits" };
        var detach = new Option<bool>("--detach", "-d") { Description = "start in the background and print the container ID" };
        var volumeKeys = new VolumeKeyOptions(stores: true);
        run.Arguments.Add(command);
        foreach (var option in new Option[] { name, env, volume, network, remove, detach, volumeKeys.Recipients })
        {
            run.Options.Add(option);
        }
        run.SetAction((result, cancellationToken) => LauncherCommands.InvokeAsync(async (engine, token) =>
        {
            var pull = arguments.Read(result);
            var environment = result.GetValue(env) ?? [];
            if (environment.FirstOrDefault(e => e.IndexOf('=', StringComparison.Ordinal) <= 0) is { } bad)
            {
                throw new LaunchException(LaunchFailure.Usage, $"-e '{bad}': expected KEY=VALUE");
            }
            var registryVolumes = (result.GetValue(volume) ?? []).Select(RunVolume.TryParse).OfType<RunVolume>().ToList();
            var volumes = (result.GetValue(volume) ?? []).Where(v => !v.StartsWith(RunVolume.Prefix, StringComparison.Ordinal)).ToList();
            if (volumes.FirstOrDefault(v => v.Split(':').Length is < 2 or > 3) is { } badVolume)
            {
                throw new LaunchException(LaunchFailure.Usage, $"-v '{badVolume}': expected SOURCE:DESTINATION[:ro]");
            }
            if (registryVolumes.Count > 0 && result.GetValue(detach))
            {
                throw new LaunchException(LaunchFailure.Usage, "a dockyard: volume is stored when the container exits, so it cannot be used with --detach");
            }
            var (image, reference) = await ImagePull.PullAsync(engine, pull, Console.Error, token);
            var progress = pull.Quiet ? TextWriter.Null : Console.Error;
            // --decryption-key opens encrypted image layers and encrypted volumes alike.
            var keys = new VolumeKeyPaths(result.GetValue(volumeKeys.Recipients) ?? [], pull.DecryptionKeys);
            await using var mounts = await RunVolumeMounts.MountAsync(registryVolumes,
                ImageReference.Parse(pull.Image, pull.Registry).Registry.GetLeftPart(UriPartial.Authority), keys, progress, token);
            var options = new RunOptions(result.GetValue(name), environment, volumes.Select(Absolute).Concat(mounts.Binds).ToList(), result.GetValue(network),
                result.GetValue(remove), result.GetValue(detach), result.GetValue(command) ?? []);
            var exitCode = await ContainerRunner.RunAsync(engine, image, reference, options, Console.Out, Console.Error, token);
            await mounts.CommitAsync(progress, token);
            return exitCode;
        }, cancellationToken));
        return run;
    }

    /// <summary>A relative host path (./data:/data) becomes absolute, as the engine requires; a volume name stays as is.</summary>
    private static string Absolute(string volume)
    {
        var source = volume[..volume.IndexOf(':', StringComparison.Ordinal)];
        return source.StartsWith('.') ? Path.GetFullPath(source) + volume[source.Length..] : volume;
    }
}
