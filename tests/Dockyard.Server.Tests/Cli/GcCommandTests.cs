using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Cli;

/// <summary><c>dockyard gc</c>, run as the real executable next to a running <c>dockyard web</c> on the same data.</summary>
public sealed class GcCommandTests
{
    [Fact]
    public async Task A_dry_run_lists_the_unreferenced_blob_as_json_and_the_run_then_deletes_it_while_the_server_serves()
    {
        var data = Directory.CreateTempSubdirectory("dockyard-gc-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["DOCKYARD_GC__DELAY"] = "1", ["DOCKYARD_GC__INTERVAL"] = "0" };
            await using var server = await DockyardProcess.StartAsync(data, environment);
            var bytes = RandomNumberGenerator.GetBytes(5000);
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
            using (var push = await server.Client.PostAsync($"/v2/team/app/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes)))
            {
                Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the one-second grace period

            var (dryExit, dryOutput, dryError) = await Gc(data, environment, "--dry-run", "--json");

            Assert.True(dryExit == 0, dryError);
            using (var report = JsonDocument.Parse(dryOutput))
            {
                Assert.True(report.RootElement.GetProperty("dryRun").GetBoolean());
                Assert.Equal(5000, report.RootElement.GetProperty("bytesFreed").GetInt64());
                Assert.Equal(digest, report.RootElement.GetProperty("blobs")[0].GetProperty("digest").GetString());
            }
            using (var still = await server.Client.GetAsync($"/v2/team/app/blobs/{digest}"))
            {
                Assert.Equal(HttpStatusCode.OK, still.StatusCode);
            }

            var (exit, output, error) = await Gc(data, environment);

            Assert.True(exit == 0, error);
            Assert.Contains("deleted 0 tags, 0 manifests, 1 links and 1 blobs, freeing 5000 bytes", output, StringComparison.Ordinal);
            using var gone = await server.Client.GetAsync($"/v2/team/app/blobs/{digest}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(data, "blobs"), "*", SearchOption.AllDirectories));

            // Both runs were recorded, newest first, with what they did; --status runs nothing itself.
            var (statusExit, statusJson, statusError) = await Gc(data, environment, "--status", "--json");
            Assert.True(statusExit == 0, statusError);
            using (var status = JsonDocument.Parse(statusJson))
            {
                Assert.Equal(0, status.RootElement.GetProperty("intervalSeconds").GetInt32());
                var runs = status.RootElement.GetProperty("runs");
                Assert.Equal(2, runs.GetArrayLength());
                Assert.False(runs[0].GetProperty("dryRun").GetBoolean());
                Assert.Equal(1, runs[0].GetProperty("blobsDeleted").GetInt32());
                Assert.Equal(5000, runs[0].GetProperty("bytesFreed").GetInt64());
                Assert.Equal(JsonValueKind.Null, runs[0].GetProperty("error").ValueKind);
                Assert.True(runs[1].GetProperty("dryRun").GetBoolean());
            }
            var (textExit, text, _) = await Gc(data, environment, "--status");
            Assert.Equal(0, textExit);
            Assert.Contains("schedule: none ([gc] interval = 0)", text, StringComparison.Ordinal);
            Assert.Contains("BYTESFREED", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("[gc]\ndelay = 0\n", "[gc] delay")]
    [InlineData("[gc]\ninterval = -5\n", "[gc] interval")]
    [InlineData("[retention.ci]\nkeep = 3\n", "[retention.ci] repositories")]
    [InlineData("[retention.ci]\nrepositories = ci/*\nkeeptags = (\n", "[retention.ci] keeptags")]
    public async Task A_bad_gc_or_retention_setting_fails_naming_the_key(string conf, string key)
    {
        var folder = Directory.CreateTempSubdirectory("dockyard-gc-conf-").FullName;
        try
        {
            var file = Path.Combine(folder, "runtime.conf");
            await File.WriteAllTextAsync(file, $"[dockyard]\npath = {folder}\n{conf}");

            var (exit, _, error) = await RequiredTool.RunAsync("dotnet", [DockyardProcess.DllPath, "gc", "--config", file], timeout: TimeSpan.FromSeconds(60));

            Assert.Equal(2, exit);
            Assert.Contains(key, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> Gc(string data, Dictionary<string, string> environment, params string[] arguments) =>
        RequiredTool.RunAsync("dotnet", [DockyardProcess.DllPath, "gc", .. arguments],
            new Dictionary<string, string>(environment) { ["DOCKYARD_DOCKYARD__PATH"] = data }, TimeSpan.FromSeconds(60));
}
