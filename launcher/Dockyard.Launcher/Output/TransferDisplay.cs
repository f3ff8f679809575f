using System.Diagnostics;
using Spectre.Console;

namespace Dockyard.Launcher.Output;

/// <summary>One transfer being shown (a layer downloading or decrypting): advanced by the bytes read, then done.</summary>
public interface ITransfer
{
    void Advance(long bytes);

    void Done();
}

/// <summary>Shows per-layer transfers on stderr: Spectre.Console progress bars on a terminal, plain lines otherwise.</summary>
public interface ITransferDisplay
{
    /// <param name="total">The expected byte count; 0 or less when unknown.</param>
    ITransfer Begin(string label, long total);
}

/// <summary>Chooses the display and runs work under it.</summary>
public static class TransferDisplay
{
    public static async Task<T> RunAsync<T>(bool quiet, Func<ITransferDisplay, Task<T>> work)
    {
        if (quiet)
        {
            return await work(new PlainTransferDisplay(TextWriter.Null));
        }
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb")
        {
            return await work(new PlainTransferDisplay(Console.Error));
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new ElapsedTimeColumn())
            .StartAsync(context => work(new SpectreTransferDisplay(context)));
    }

    /// <summary>1536 → "1.5 KiB".</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes:0} B" : $"{bytes:0.0} {units[unit]}";
    }
}

/// <summary>Lines such as <c>layer 1a2b3c4d5e6f: 12.0 MiB of 30.0 MiB (8.1 MiB/s)</c>, at most one a second per transfer.</summary>
internal sealed class PlainTransferDisplay(TextWriter output) : ITransferDisplay
{
    public ITransfer Begin(string label, long total) => new Transfer(output, label, total);

    private sealed class Transfer(TextWriter output, string label, long total) : ITransfer
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private long done;
        private TimeSpan lastLine = TimeSpan.Zero;

        public void Advance(long bytes)
        {
            done += bytes;
            if (clock.Elapsed - lastLine >= TimeSpan.FromSeconds(1))
            {
                lastLine = clock.Elapsed;
                Write("");
            }
        }

        public void Done() => Write(" done");

        private void Write(string suffix)
        {
            var rate = done / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            var of = total > 0 ? $" of {TransferDisplay.Bytes(total)}" : "";
            lock (output)
            {
                output.WriteLine($"{label}: {TransferDisplay.Bytes(done)}{of} ({TransferDisplay.Bytes(rate)}/s){suffix}");
            }
        }
    }
}

internal sealed class SpectreTransferDisplay(ProgressContext context) : ITransferDisplay
{
    public ITransfer Begin(string label, long total) =>
        new Transfer(context.AddTask(label, maxValue: total > 0 ? total : 1));

    private sealed class Transfer(ProgressTask task) : ITransfer
    {
        public void Advance(long bytes) => task.Increment(bytes);

        public void Done()
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
