using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// The README's administrator bootstrap, run exactly as written (by bash, with <c>dockyard</c> standing for the built
/// executable): it must create the administrator, who can then sign in to an enforced server.
/// </summary>
public sealed partial class ReadmeBootstrapTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-readme-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task The_README_bootstrap_command_creates_an_administrator_who_can_sign_in()
    {
        // The one runnable `dockyard user add NAME … <<< 'PASSWORD'` line (the synopsis below it has no password).
        var command = File.ReadLines(Path.Combine(RepositoryRoot.Path, "README.md")).Single(l => CommandParts().IsMatch(l));
        var script = $"cd \"$DOCKYARD_TEST_FOLDER\" && dockyard() {{ dotnet \"$DOCKYARD_TEST_DLL\" \"$@\"; }} && {command}";
        var (exit, output, error) = await RequiredTool.RunAsync("bash", ["-c", script], new Dictionary<string, string>
        {
            ["DOCKYARD_TEST_FOLDER"] = folder,
            ["DOCKYARD_TEST_DLL"] = DockyardProcess.DllPath,
            ["DOCKYARD_DOCKYARD__PATH"] = folder,
        }, TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"`{command}` exited with {exit}: {error}");
        Assert.Contains("(administrator)", output);

        var parts = CommandParts().Match(command);
        var (name, password) = (parts.Groups["name"].Value, parts.Groups["password"].Value);
        await using var server = await DockyardProcess.StartAsync(folder, new Dictionary<string, string> { ["DOCKYARD_DOCKYARD__STANDALONE"] = "false" });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/uam/user/{name}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}")));
        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("admin").GetBoolean());
    }

    [GeneratedRegex(@"^dockyard user add (?<name>\S+) .*<<< '(?<password>[^']*)'")]
    private static partial Regex CommandParts();
}
