using System.Reflection;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>The Functions app's build output, which the host runs as its script root.</summary>
internal static class FunctionsApp
{
    /// <summary>
    /// The output of this configuration's build (test.sh builds the solution in Release first); failing that, the newest
    /// output of any configuration. Throws when there is none: the build is part of running these tests.
    /// </summary>
    public static string ScriptRoot { get; } = Find();

    private static string Find()
    {
        var configured = typeof(FunctionsApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        if (IsOutput(configured))
        {
            return Path.GetFullPath(configured);
        }
        var bin = Path.GetFullPath(Path.Combine(configured, "..", ".."));
        var newest = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "functions.metadata", SearchOption.AllDirectories)
                .Select(Path.GetDirectoryName).Where(d => IsOutput(d!)).OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d!, "functions.metadata"))).FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            $"no build output of functions/Dockyard.Functions under {bin} (functions.metadata + worker.config.json); build it: dotnet build -c Release functions/Dockyard.Functions");
    }

    private static bool IsOutput(string folder) =>
        File.Exists(Path.Combine(folder, "functions.metadata")) && File.Exists(Path.Combine(folder, "worker.config.json"))
        && File.Exists(Path.Combine(folder, "host.json"));
}
