using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Signing;

/// <summary>A throw-away GNUPGHOME with keys made by real gpg; disposing stops its agent and deletes it.</summary>
public sealed class GpgHome : IDisposable
{
    private static readonly string[] Batch = ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""];

    private readonly string gpg;

    private GpgHome(string gpg)
    {
        this.gpg = gpg;
        // Short: gpg-agent's socket path must stay under the Unix socket limit.
        Path = Directory.CreateTempSubdirectory("dy-gpg-").FullName;
        Environment = new Dictionary<string, string> { ["GNUPGHOME"] = Path };
    }

    public string Path { get; }

    /// <summary>The environment that points gpg (and skopeo's gpgme) at this home.</summary>
    public IDictionary<string, string> Environment { get; }

    /// <summary>Null when gpg is missing outside CI (the test then returns early).</summary>
    public static GpgHome? Create() => RequiredTool.Find("gpg") is { } gpg ? new GpgHome(gpg) : null;

    /// <summary>Makes a signing key for <paramref name="email"/>, exports it armored to <c>&lt;name&gt;.asc</c> and binary to <c>&lt;name&gt;.gpg</c>; returns its fingerprint.</summary>
    public async Task<string> NewKeyAsync(string name, string email)
    {
        await RunAsync([.. Batch, "--quick-gen-key", $"Dockyard Test {name} <{email}>", "default", "default", "never"]);
        await RunAsync("--batch", "--armor", "--output", File(name + ".asc"), "--export", email);
        await RunAsync("--batch", "--output", File(name + ".gpg"), "--export", email);
        var listing = await RunAsync("--batch", "--with-colons", "--list-keys", email);
        return listing.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public async Task<string> RunAsync(params string[] arguments)
    {
        var (code, output, error) = await RequiredTool.RunAsync(gpg, arguments, Environment, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"gpg {string.Join(' ', arguments)} failed ({code}): {error}");
        return output;
    }

    public void Dispose()
    {
        if (RequiredTool.Find("gpgconf") is { } gpgconf)
        {
            RequiredTool.RunAsync(gpgconf, ["--kill", "gpg-agent"], Environment).GetAwaiter().GetResult();
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
