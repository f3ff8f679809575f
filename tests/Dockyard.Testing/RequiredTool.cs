using System.Diagnostics;
using Xunit;

namespace Dockyard.Testing;

/// <summary>
/// Finds an external tool or service a test needs. With CI=true (which ./test.sh sets) a missing one fails the test;
/// otherwise it marks the test skipped (every [Fact] and [Theory] of the test projects is skippable, see
/// tests/Directory.Build.props), so that the run's skipped count shows it. It never passes.
/// </summary>
public static class RequiredTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> on PATH; null when absent (and not on CI).</summary>
    /// <exception cref="InvalidOperationException">On CI, when the tool is missing.</exception>
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return Missing(name, "not on PATH");
    }

    /// <summary>Reports a missing tool or service: fails the test on CI, else skips it. Never returns.</summary>
    /// <exception cref="InvalidOperationException">On CI.</exception>
    /// <exception cref="SkipException">Outside CI: the test is reported skipped with the reason.</exception>
    public static string? Missing(string what, string why)
    {
        if (IsCi)
        {
            throw new InvalidOperationException($"{what} is required on CI ({why}); run the README's test command, which starts it");
        }
        throw new SkipException($"{what} {why}");
    }

    /// <summary>Runs a process to completion and returns its exit code, standard output and standard error.</summary>
    /// <param name="input">Written to the process's standard input, which is then closed; null leaves stdin alone.</param>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? input = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }
        return (process.ExitCode, await output, await error);
    }
}
