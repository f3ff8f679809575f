namespace Dockyard.Testing;

/// <summary>The checkout the tests were built from, for tests that read its files (the README, scripts).</summary>
public static class RepositoryRoot
{
    /// <summary>The folder holding Dockyard.Functions.sln, found upwards from the test assembly.</summary>
    /// <exception cref="InvalidOperationException">The tests do not run from inside a checkout.</exception>
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Dockyard.Functions.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("Dockyard.Functions.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
