namespace Dockyard.Interop.Tests.Clients;

/// <summary>How a client process ended.</summary>
public sealed record ClientResult(string Command, int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Fails the test, with the whole command and its output, unless the process exited with 0.</summary>
    public ClientResult EnsureSuccess()
    {
        Assert.True(Succeeded, $"`{Command}` exited with {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}");
        return this;
    }
}
