using System.Globalization;
using System.Text.Json.Nodes;
using Dockyard.Core.Collection;
using Dockyard.Server.Cli.Admin;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard gc --status [--json]</c>: the collector's recent runs from <see cref="ICollectionHistory"/> (whichever
/// node or command ran them) and the configured schedule. The next start is not known outside the serving process
/// (each <c>dockyard web</c> node counts its interval from its own start), so the schedule is printed as configured;
/// the web UI's storage page shows the serving node's next start.
/// </summary>
internal static class GcStatus
{
    public const int Runs = 10;

    public static async Task<int> PrintAsync(ICollectionHistory history, int intervalSeconds, bool json, CancellationToken cancellationToken)
    {
        var runs = await history.ListAsync(Runs, cancellationToken);
        var rows = new JsonArray();
        foreach (var run in runs)
        {
            rows.Add(Row(run));
        }
        var output = new AdminOutput(json, Console.Out);
        if (json)
        {
            output.Record(new JsonObject { ["intervalSeconds"] = intervalSeconds, ["runs"] = rows });
            return 0;
        }
        Console.WriteLine(intervalSeconds > 0
            ? $"schedule: every {intervalSeconds} s on each `dockyard web` node, the first one interval after the node starts"
            : "schedule: none ([gc] interval = 0); runs only by `dockyard gc`");
        if (runs.Count == 0)
        {
            Console.WriteLine("no garbage collection run recorded yet");
            return 0;
        }
        output.Table(rows, "startedAt", "seconds", "dryRun", "repositories", "tagsDeleted", "manifestsDeleted", "blobsDeleted", "bytesFreed", "error");
        return 0;
    }

    private static JsonObject Row(CollectionRun run) => new()
    {
        ["startedAt"] = run.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["seconds"] = Math.Round(run.Duration.TotalSeconds, 3),
        ["dryRun"] = run.DryRun,
        ["repositories"] = run.Repositories,
        ["tagsDeleted"] = run.TagsDeleted,
        ["manifestsDeleted"] = run.ManifestsDeleted,
        ["blobsDeleted"] = run.BlobsDeleted,
        ["bytesFreed"] = run.BytesFreed,
        ["error"] = run.Error,
    };
}
