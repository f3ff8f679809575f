using System.Text.Json;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// The runtime settings the published <c>dockyard</c> starts with (dockyard.runtimeconfig.json, generated from the
/// csproj). A misspelt MSBuild property is silently ignored, which is how server GC once stayed on unnoticed.
/// </summary>
public sealed class RuntimeConfigTests
{
    private static readonly JsonElement Properties = Load();

    [Theory]
    [InlineData("System.GC.Server", "false")]
    [InlineData("System.GC.Concurrent", "false")]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    [InlineData("System.Globalization.Invariant", "true")]
    [InlineData("System.Runtime.TieredPGO", "false")]
    public void The_executable_runs_with(string property, string expected)
    {
        Assert.True(Properties.TryGetProperty(property, out var value), $"{property} is not set");
        Assert.Equal(expected, value.ToString().ToLowerInvariant());
    }

    private static JsonElement Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "dockyard.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
