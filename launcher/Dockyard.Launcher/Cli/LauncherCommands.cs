using System.CommandLine;
using Docker.DotNet;
using Dockyard.Launcher.Engine;

namespace Dockyard.Launcher.Cli;

/// <summary><c>launcher run|pull|ps|stop|rm|logs</c>, <c>agent</c>, <c>volume …</c> and <c>volume-plugin</c>: containers from images stored in Dockyard, on the engine at DOCKER_HOST.</summary>
internal static class LauncherCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("launcher: run containers from images stored in Dockyard (Docker engine at $DOCKER_HOST)")
        {
            RunCommand.Create(),
            Pull(),
            Volumes.VolumeCommands.Create(),
            Volumes.VolumePluginCommand.Create(),
            AgentCommand.Create(),
        };
        foreach (var command in ContainerCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static Command Pull()
    {
        var pull = new Command("pull", "Verify, decrypt and load an image from Dockyard into the engine");
        var arguments = new PullArguments();
        arguments.AddTo(pull);
        pull.SetAction((result, cancellationToken) => InvokeAsync(async (engine, token) =>
        {
            var (name, _) = await ImagePull.PullAsync(engine, arguments.Read(result), Console.Error, token);
            await Console.Out.WriteLineAsync(name);
            return 0;
        }, cancellationToken));
        return pull;
    }

    /// <summary>Connects to the engine, runs the action and turns a <see cref="LaunchException"/> into its line and exit code.</summary>
    public static async Task<int> InvokeAsync(Func<DockerClient, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            using var engine = await EngineConnection.ConnectAsync(cancellationToken);
            return await action(engine, cancellationToken);
        }
        catch (LaunchException e)
        {
            await Console.Error.WriteLineAsync("launcher: " + e.Describe());
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("launcher: cancelled");
            return 130;
        }
    }
}
