using System.Diagnostics;
using Dockyard.Bench.Scale;
using Dockyard.Local.FileSystem;
using Dockyard.Local.Sqlite;

// dockyard-scale generate DATA N [--stores]   fill the data folder DATA with the registry of N manifests (see ScalePlan)
// dockyard-scale check DATA N [EVERY]         read it back through the stores (every EVERY-th repository); exit 1 on a difference
if (args.Length < 3 || args[0] is not ("generate" or "check") || !int.TryParse(args[2], out var manifests) || manifests < 0)
{
    await Console.Error.WriteLineAsync("usage: dockyard-scale generate DATA N [--stores] | check DATA N [EVERY]");
    return 2;
}
var data = Path.GetFullPath(args[1]);
var plan = new ScalePlan(manifests);
var clock = Stopwatch.StartNew();
// The stores create the folders and the schema exactly as `dockyard web` does on this folder.
var blobs = new FileSystemBlobStore(data);
var metadata = new SqliteMetadataStore(new SqliteDatabase(Path.Combine(data, "metadata.db")));
if (args[0] == "check")
{
    var every = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1;
    var problems = await new ReadBack(blobs, metadata).CheckAsync(plan, every, CancellationToken.None);
    foreach (var problem in problems.Take(20))
    {
        await Console.Error.WriteLineAsync("differs: " + problem);
    }
    Console.WriteLine($"checked {plan.Repositories} repositories (every {every}): {problems.Count} differences, {clock.Elapsed.TotalSeconds:F1} s");
    return problems.Count == 0 ? 0 : 1;
}
if (manifests > 0)
{
    if (args.Contains("--stores"))
    {
        await new StoreWriter(blobs, metadata).WriteAsync(plan, CancellationToken.None);
    }
    else
    {
        await new DirectWriter(data).WriteAsync(plan, CancellationToken.None);
    }
}
Console.WriteLine($"generated {plan.Manifests} manifests in {plan.Repositories} repositories, {plan.Orphans} orphan blobs: {clock.Elapsed.TotalSeconds:F1} s");
return 0;
