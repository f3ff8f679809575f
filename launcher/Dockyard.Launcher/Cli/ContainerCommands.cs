using System.CommandLine;
using Docker.DotNet.Models;
using Dockyard.Launcher.Engine;

namespace Dockyard.Launcher.Cli;

/// <summary><c>ps</c>, <c>stop</c>, <c>rm</c> and <c>logs</c> over the containers the launcher created (by label).</summary>
internal static class ContainerCommands
{
    public static IEnumerable<Command> Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "include stopped containers" };
        var ps = new Command("ps", "List the containers the launcher started") { all };
        ps.SetAction((result, cancellationToken) => LauncherCommands.InvokeAsync(async (engine, token) =>
        {
            var containers = await EngineConnection.CallAsync("listing containers", () => engine.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = result.GetValue(all),
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [ContainerRunner.Label] = true } },
            }, token));
            await Console.Out.WriteLineAsync($"{"CONTAINER ID",-14}{"IMAGE",-50}{"STATUS",-28}NAMES");
            foreach (var c in containers)
            {
                var image = c.Labels.TryGetValue(ContainerRunner.Label, out var reference) ? reference : c.Image;
                await Console.Out.WriteLineAsync($"{c.ID[..12],-14}{image,-50}{c.Status,-28}{string.Join(',', c.Names.Select(n => n.TrimStart('/')))}");
            }
            return 0;
        }, cancellationToken));

        var timeout = new Option<uint>("--time", "-t") { Description = "seconds to wait before killing", DefaultValueFactory = _ => 10 };
        var stop = ForEach("stop", "Stop running containers", "stopping", (engine, id, result, token) =>
            engine.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = result.GetValue(timeout) }, token));
        stop.Options.Add(timeout);

        var force = new Option<bool>("--force", "-f") { Description = "remove running containers too (killing them)" };
        var rm = ForEach("rm", "Remove containers", "removing", (engine, id, result, token) =>
            engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = result.GetValue(force) }, token));
        rm.Options.Add(force);

        var follow = new Option<bool>("--follow", "-f") { Description = "keep streaming new output" };
        var container = new Argument<string>("container") { Description = "container name or ID" };
        var logs = new Command("logs", "Print a container's output") { container, follow };
        logs.SetAction((result, cancellationToken) => LauncherCommands.InvokeAsync(async (engine, token) =>
        {
            var id = result.GetRequiredValue(container);
            using var stream = await EngineConnection.CallAsync($"logs of {id}", () => engine.Containers.GetContainerLogsAsync(id,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = result.GetValue(follow) }, token));
            await using var stdout = Console.OpenStandardOutput();
            await using var stderr = Console.OpenStandardError();
            await stream.CopyOutputToAsync(Stream.Null, stdout, stderr, token);
            return 0;
        }, cancellationToken));
        return [ps, stop, rm, logs];
    }

    private static Command ForEach(string name, string description, string verb,
        Func<Docker.DotNet.DockerClient, string, ParseResult, CancellationToken, Task> action)
    {
        var containers = new Argument<string[]>("containers") { Description = "container names or IDs", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { containers };
        command.SetAction((result, cancellationToken) => LauncherCommands.InvokeAsync(async (engine, token) =>
        {
            foreach (var id in result.GetRequiredValue(containers))
            {
                await EngineConnection.CallAsync($"{verb} {id}", () => action(engine, id, result, token));
                await Console.Out.WriteLineAsync(id);
            }
            return 0;
        }, cancellationToken));
        return command;
    }
}
