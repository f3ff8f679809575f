using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.Backends;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Xunit.Abstractions;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// A 300 MiB layer, three times the host's default FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, pushed by skopeo (one PATCH with
/// Content-Length) and pulled back through the real host, with the limit that the shipped local.settings.json sets.
/// The host's HTTP trigger binding reads a body with a Content-Length into a string before proxying it, so the host's
/// peak memory grows with the layer (measured 1.3 GB for 300 MiB); the worker streams and stays small.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class LargeLayerTests(OpenHostFixture fixture, ITestOutputHelper output) : IClassFixture<OpenHostFixture>
{
    private const long LayerSize = 300L << 20;

    /// <summary>Measured 1.34 GB on the host for a 300 MiB push; the bound leaves room without hiding a doubling.</summary>
    private const long HostPeakBound = 2200L << 20;

    /// <summary>Measured about 150 MiB on the worker, which streams the body to the blob store.</summary>
    private const long WorkerPeakBound = 400L << 20;

    [Fact]
    public async Task Skopeo_pushes_and_pulls_back_a_300_MiB_layer_through_the_host()
    {
        var host = fixture.Host;
        if (Skopeo.Find() is not { } skopeo)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var (manifest, layer) = LargeLayer.WriteImage(workspace.Folder("src"), "big", LayerSize);
        var remote = $"docker://{host.HostAndPort}/fnlarge/image:big";
        var worker = host.WorkerPid();

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:big", remote, "--preserve-digests")).EnsureSuccess();
        // A 503 with Retry-After is the registry's answer to a transient storage fault (Azurite under the whole test
        // run's load has answered one to this 300 MiB read); clients retry it, and so does this one.
        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back")}:big", "--retry-times", "3")).EnsureSuccess();

        var back = new OciLayoutReader(workspace.Folder("back"));
        Assert.Equal(manifest, (string?)back.Resolve("big")["digest"]);
        var raw = JsonNode.Parse((await skopeo.InspectAsync(remote, "--raw")).EnsureSuccess().Output)!;
        Assert.Equal(layer, (string?)raw["layers"]![0]!["digest"]);
        Assert.Equal(layer[7..], LargeLayer.Hash(Path.Combine(workspace.Folder("back"), "blobs", "sha256", layer[7..])));

        var hostPeak = ProcessMemory.PeakResidentBytes(host.HostPid);
        var workerPeak = ProcessMemory.PeakResidentBytes(worker);
        output.WriteLine($"peak RSS: host {ProcessMemory.Megabytes(hostPeak)}, worker {ProcessMemory.Megabytes(workerPeak)}");
        Assert.True(hostPeak <= HostPeakBound, $"host peak RSS {ProcessMemory.Megabytes(hostPeak)} over {ProcessMemory.Megabytes(HostPeakBound)}");
        Assert.True(workerPeak <= WorkerPeakBound, $"worker peak RSS {ProcessMemory.Megabytes(workerPeak)} over {ProcessMemory.Megabytes(WorkerPeakBound)}");
    }
}
