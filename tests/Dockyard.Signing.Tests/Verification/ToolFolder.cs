using Dockyard.Testing;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>A temporary folder in which a test runs openssl (or gpg) to make keys and signatures independently of Dockyard.</summary>
public sealed class ToolFolder : IDisposable
{
    private ToolFolder(string tool)
    {
        Tool = tool;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dy-sig-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Tool { get; }

    public string Path { get; }

    /// <summary>Null when the tool is missing outside CI (the test then returns early); on CI a missing tool fails.</summary>
    public static ToolFolder? For(string tool) => RequiredTool.Find(tool) is { } path ? new ToolFolder(path) : null;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public byte[] Read(string name) => System.IO.File.ReadAllBytes(File(name));

    public void Write(string name, byte[] content) => System.IO.File.WriteAllBytes(File(name), content);

    public void Write(string name, string content) => System.IO.File.WriteAllText(File(name), content);

    /// <summary>Runs the tool in the folder and asserts it succeeded; returns its standard output.</summary>
    public async Task<string> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var (code, output, error) = await RequiredTool.RunAsync(Tool, arguments.Select(a => a.Replace("{dir}", Path, StringComparison.Ordinal)),
            environment, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"{Tool} {string.Join(' ', arguments)} failed ({code}): {error}");
        return output;
    }

    public Task<string> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
