using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Core.Volumes;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Cli;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// Two hosts (two <c>launcher volume-plugin</c> processes with their own state folders) ask for the same volume
/// read-write at the same instant, round after round: exactly one mounts it, the other is refused naming the holder,
/// and the loser never commits (its unmount stores nothing, <c>launcher volume snapshot</c> is refused), so every
/// version is a winner's.
/// </summary>
public sealed class LeaseRaceTests
{
    private const string Repository = "team/race";
    private const int Rounds = 5;

    [Fact]
    public async Task Exactly_one_of_two_hosts_mounting_at_once_wins_each_round_and_the_loser_never_commits()
    {
        await using var server = await RegistryServer.StartAsync();
        PluginHost[] hosts = [await PluginHost.StartAsync(server.BaseAddress), await PluginHost.StartAsync(server.BaseAddress)];
        try
        {
            var ids = hosts.Select(h => File.ReadAllText(Path.Combine(h.StateFolder, "host-id")).Trim()).ToArray();
            foreach (var host in hosts)
            {
                Assert.Equal("", (await host.CallAsync("Create", new { Name = "race", Opts = new { repo = Repository } })).GetProperty("Err").GetString());
            }
            var winners = new List<int>();
            for (var round = 1; round <= Rounds; round++)
            {
                var id = $"round-{round}";
                using var start = new Barrier(hosts.Length);
                var answers = await Task.WhenAll(hosts.Select(host => Task.Factory.StartNew(() =>
                {
                    start.SignalAndWait();
                    return host.CallAsync("Mount", new { Name = "race", ID = id });
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

                var errors = answers.Select(a => a.GetProperty("Err").GetString()!).ToArray();
                Assert.Single(errors, e => e.Length == 0);
                var (winner, loser) = errors[0].Length == 0 ? (0, 1) : (1, 0);
                Assert.Contains($"mounted read-write by {ids[winner]}", errors[loser]);
                winners.Add(winner);

                await File.WriteAllTextAsync(Path.Combine(hosts[loser].DataPath("race"), "loser.txt"), $"round {round}");
                Assert.Equal("", (await hosts[loser].CallAsync("Unmount", new { Name = "race", ID = id })).GetProperty("Err").GetString());
                var snapshot = await LauncherCli.RunAsync(hosts[loser].StateFolder, "volume", "snapshot", "race", "--state", hosts[loser].StateFolder,
                    "--registry", server.BaseAddress.ToString());
                Assert.Equal(2, snapshot.ExitCode);
                await File.WriteAllTextAsync(Path.Combine(hosts[winner].DataPath("race"), "round.txt"), $"round {round} by {ids[winner]}");
                Assert.Equal("", (await hosts[winner].CallAsync("Unmount", new { Name = "race", ID = id })).GetProperty("Err").GetString());
            }

            Console.WriteLine($"lease race winners by round: {string.Join(' ', winners.Select(w => "AB"[w]))}");
            var tags = await VersionFixture.TagsAsync(server, Repository);
            Assert.Equal(["latest", .. Enumerable.Range(1, Rounds).Select(n => "v" + n)], tags);
            for (var round = 1; round <= Rounds; round++)
            {
                var manifest = await server.Client.GetFromJsonAsync<JsonElement>($"/v2/{Repository}/manifests/v{round}");
                Assert.Equal(ids[winners[round - 1]], manifest.GetProperty("annotations").GetProperty("org.dockyard.volume.host").GetString());
                Assert.Equal(VolumeArtifact.ArtifactType, manifest.GetProperty("artifactType").GetString());
            }
            using var connection = VolumeConnection.Open(server.BaseAddress.ToString(), Repository);
            var latest = await VolumeOperations.RequiredAsync(connection.Registry, "latest", CancellationToken.None);
            Assert.DoesNotContain(latest.Index.Entries, e => e.Path == "loser.txt");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
