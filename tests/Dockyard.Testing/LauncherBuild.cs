namespace Dockyard.Testing;

/// <summary>Where the tests find the real <c>launcher</c> executable.</summary>
public static class LauncherBuild
{
    /// <summary>
    /// The launcher in its own build output (same configuration and framework as the tests): a test folder's copy would
    /// resolve against the frameworks the tests load, not the ones the launcher runs on.
    /// </summary>
    /// <exception cref="FileNotFoundException">The launcher is not built.</exception>
    public static string Dll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Dockyard.Functions.sln")))
        {
            root = root.Parent;
        }
        var dll = Path.Combine(root!.FullName, "launcher", "Dockyard.Launcher", "bin", configuration, framework, "launcher.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the launcher first", dll);
    }
}
