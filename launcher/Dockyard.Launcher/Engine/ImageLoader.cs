using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Dockyard.Launcher.Engine;

/// <summary>
/// Streams an archive, written by <c>write</c> as it is produced, into the engine's image load API (POST /images/load)
/// through a pipe: nothing is spooled to disk. A failure while writing aborts the upload, so the engine loads
/// nothing, and the writer's error is what is reported.
/// </summary>
public static class ImageLoader
{
    public static async Task LoadAsync(DockerClient engine, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 * 1024 * 1024, resumeWriterThreshold: 2 * 1024 * 1024));
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = Task.Run(async () =>
        {
            try
            {
                await using var output = pipe.Writer.AsStream();
                await write(output, abort.Token);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, CancellationToken.None);
        var errors = new MessageErrors();
        Exception? loadFailure = null;
        try
        {
            await using var input = pipe.Reader.AsStream();
            await engine.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, input, errors, abort.Token);
        }
        catch (Exception e)
        {
            loadFailure = e;
            await abort.CancelAsync();
        }
        Exception? writeFailure = null;
        try
        {
            await writer;
        }
        catch (Exception e)
        {
            writeFailure = e;
        }
        if (writeFailure is not null and not OperationCanceledException)
        {
            ExceptionDispatchInfo.Throw(writeFailure);
        }
        if (loadFailure is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Throw(loadFailure);
        }
        if (loadFailure is not null)
        {
            throw loadFailure is DockerApiException api
                ? new LaunchException(LaunchFailure.Engine, "loading the image: " + EngineConnection.Message(api), api)
                : new LaunchException(LaunchFailure.EngineUnreachable, "loading the image: " + loadFailure.Message, loadFailure);
        }
        if (errors.Messages.Count > 0)
        {
            throw new LaunchException(LaunchFailure.Engine, "loading the image: " + string.Join("; ", errors.Messages));
        }
    }

    /// <summary>Collects the error messages of the load's JSON stream, synchronously.</summary>
    private sealed class MessageErrors : IProgress<JSONMessage>
    {
        public List<string> Messages { get; } = [];

        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } error)
            {
                lock (Messages)
                {
                    Messages.Add(error);
                }
            }
        }
    }
}
