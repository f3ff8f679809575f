using System.CommandLine;
using System.Text.Json;
using Dockyard.Core.Collection;
using Dockyard.Hosting.Configuration;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard gc [--dry-run] [--json]</c>: one garbage collection run over the configured stores, online (the
/// registry keeps serving), printing what it deleted — or, with <c>--dry-run</c>, what it would delete. With
/// <c>--status</c> it runs nothing and prints the recent runs instead (<see cref="GcStatus"/>).
/// </summary>
internal static class GcCommand
{
    public static Command Create(Option<string?> config)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "change nothing; print what a run would delete" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var status = new Option<bool>("--status") { Description = "run nothing; print the schedule and the last runs (any node's, dry runs included)" };
        var gc = new Command("gc", "Collect garbage: blobs, links and (per [gc] and [retention.*]) manifests and tags nothing keeps") { dryRun, json, status };
        gc.SetAction((result, cancellationToken) => CliHost.RunAsync(result.GetValue(config), async services =>
        {
            if (result.GetValue(status))
            {
                return await GcStatus.PrintAsync(services.GetRequiredService<ICollectionHistory>(),
                    services.GetRequiredService<RuntimeSettings>().Gc.Interval, result.GetValue(json), cancellationToken);
            }
            var report = await services.GetRequiredService<GarbageCollector>().RunAsync(result.GetValue(dryRun), details: true, cancellationToken);
            if (!report.Ran)
            {
                await Console.Error.WriteLineAsync("dockyard: another node is collecting garbage now; try again later");
                return 1;
            }
            if (result.GetValue(json))
            {
                WriteJson(report);
            }
            else
            {
                WriteText(report);
            }
            return 0;
        }));
        return gc;
    }

    private static void WriteText(CollectionReport report)
    {
        var verb = report.DryRun ? "would delete" : "deleted";
        foreach (var tag in report.DeletedTags)
        {
            Console.WriteLine($"tag      {tag}");
        }
        foreach (var manifest in report.DeletedManifests)
        {
            Console.WriteLine($"manifest {manifest}");
        }
        foreach (var (digest, size) in report.DeletedBlobs)
        {
            Console.WriteLine($"blob     {digest} {size}");
        }
        Console.WriteLine($"{(report.DryRun ? "dry run: " : "")}{verb} {report.TagsDeleted} tags, {report.ManifestsDeleted} manifests, " +
            $"{report.LinksRemoved} links and {report.BlobsDeleted} blobs, freeing {report.BytesFreed} bytes " +
            $"({report.Repositories} repositories, {report.Duration.TotalSeconds:F1} s)");
    }

    private static void WriteJson(CollectionReport report)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("dryRun", report.DryRun);
            writer.WriteNumber("repositories", report.Repositories);
            writer.WriteNumber("tagsDeleted", report.TagsDeleted);
            writer.WriteNumber("manifestsDeleted", report.ManifestsDeleted);
            writer.WriteNumber("linksRemoved", report.LinksRemoved);
            writer.WriteNumber("linksRestored", report.LinksRestored);
            writer.WriteNumber("blobsDeleted", report.BlobsDeleted);
            writer.WriteNumber("bytesFreed", report.BytesFreed);
            writer.WriteNumber("blobsReprieved", report.BlobsReprieved);
            writer.WriteNumber("seconds", Math.Round(report.Duration.TotalSeconds, 3));
            WriteStrings(writer, "tags", report.DeletedTags);
            WriteStrings(writer, "manifests", report.DeletedManifests);
            writer.WriteStartArray("blobs");
            foreach (var (digest, size) in report.DeletedBlobs)
            {
                writer.WriteStartObject();
                writer.WriteString("digest", digest.Value);
                writer.WriteNumber("size", size);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
