using Docker.DotNet;
using Docker.DotNet.Models;

namespace Dockyard.Launcher.Engine;

/// <summary>What <c>launcher run</c> asks of the container.</summary>
public sealed record RunOptions(string? Name, IList<string> Env, IList<string> Volumes, string? Network, bool Remove, bool Detach, IList<string> Command);

/// <summary>
/// Creates, starts, attaches to and waits for a container. A container whose start fails is removed; with
/// <c>--rm</c> the container is removed after it exits (by the engine when detached); Ctrl-C stops it.
/// </summary>
public static class ContainerRunner
{
    /// <summary>The label every container the launcher creates carries (its value is the image reference).</summary>
    public const string Label = "org.dockyard.launcher.image";

    /// <returns>The container's exit code; 0 when detached (the ID is printed).</returns>
    public static async Task<int> RunAsync(DockerClient engine, string image, string reference, RunOptions options, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        var parameters = new CreateContainerParameters
        {
            Image = image,
            Name = options.Name!,
            Env = options.Env,
            Cmd = options.Command.Count > 0 ? options.Command : null!,
            AttachStdout = !options.Detach,
            AttachStderr = !options.Detach,
            Tty = false,
            Labels = new Dictionary<string, string> { [Label] = reference },
            HostConfig = new HostConfig
            {
                Binds = options.Volumes.Count > 0 ? options.Volumes : null!,
                NetworkMode = options.Network!,
                AutoRemove = options.Remove && options.Detach,
            },
        };
        var created = await EngineConnection.CallAsync("creating the container", () => engine.Containers.CreateContainerAsync(parameters, cancellationToken));
        var id = created.ID;
        MultiplexedStream? attached = null;
        try
        {
            if (!options.Detach)
            {
                attached = await EngineConnection.CallAsync("attaching to the container", () => engine.Containers.AttachContainerAsync(id,
                    new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken));
            }
            await EngineConnection.CallAsync("starting the container", () => engine.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken));
        }
        catch
        {
            attached?.Dispose();
            await RemoveQuietlyAsync(engine, id);
            throw;
        }
        if (options.Detach)
        {
            await output.WriteLineAsync(id);
            return 0;
        }
        using (attached)
        {
            try
            {
                await using var stdout = Console.OpenStandardOutput();
                await using var stderr = Console.OpenStandardError();
                var copy = attached!.CopyOutputToAsync(Stream.Null, stdout, stderr, cancellationToken);
                var wait = await EngineConnection.CallAsync("waiting for the container", () => engine.Containers.WaitContainerAsync(id, cancellationToken));
                await copy;
                await stdout.FlushAsync(CancellationToken.None);
                if (wait.Error?.Message is { Length: > 0 } message)
                {
                    await error.WriteLineAsync($"launcher: container {id[..12]}: {message}");
                }
                return (int)wait.StatusCode;
            }
            catch (OperationCanceledException)
            {
                await engine.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }, CancellationToken.None);
                throw;
            }
            finally
            {
                if (options.Remove)
                {
                    await RemoveQuietlyAsync(engine, id);
                }
            }
        }
    }

    private static async Task RemoveQuietlyAsync(DockerClient engine, string id)
    {
        try
        {
            await engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"launcher: could not remove container {id[..12]}: {e.Message}");
        }
    }
}
