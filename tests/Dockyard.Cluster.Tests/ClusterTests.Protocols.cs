using System.Net;
using Dockyard.Cluster.Tests.Harness;
using Dockyard.Testing;

namespace Dockyard.Cluster.Tests;

/// <summary>The older protocols through nginx: every request of a V1 push or an acpush may land on another node.</summary>
public abstract partial class ClusterTests<TFixture>
{
    [Fact]
    public async Task A_v1_push_and_pull_through_nginx_round_trip_byte_for_byte()
    {
        var cluster = fixture.Require();
        var repository = Repository("v1app");
        var parent = V1Image.Create(null, V1Image.TarOf(("etc/base", "base")), gzip: true, "base");
        var top = V1Image.Create(parent.Id, V1Image.TarOf(("app", new string('x', 50_000))), gzip: false, "app");
        var client = new V1Client(cluster.Client, fixture.User, fixture.Password);
        await client.PushAsync(repository, "latest", [parent, top]);

        var pulled = await client.PullAsync(repository, "latest");
        Assert.Equal([parent.Id, top.Id], pulled.Select(p => p.Id));
        Assert.Equal([parent.Json, top.Json], pulled.Select(p => p.Json));
        Assert.Equal([parent.Layer, top.Layer], pulled.Select(p => p.Layer));
        Assert.Equal([parent.PayloadChecksum, top.PayloadChecksum], pulled.Select(p => p.Checksum));
        // The write token one node issued was honoured by whichever node nginx sent the layer PUTs to.
        Assert.True(UpstreamsOf(cluster, "/v1/images/").Count > 1, string.Join('\n', cluster.Frontend.AccessLog()));
    }

    [Fact]
    public async Task A_signed_aci_pushed_through_nginx_is_fetched_from_each_node()
    {
        var cluster = fixture.Require();
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        var repository = Repository("aci");
        using var client = cluster.AuthorizedClient(fixture.User, fixture.Password);
        using (var trusted = await client.PostAsync($"/appc/{repository}/pubkeys", new StringContent(key)))
        {
            Assert.Equal(HttpStatusCode.Created, trusted.StatusCode);
        }
        var manifest = AciBuilder.Manifest($"{NodeConfiguration.Domain}/{repository}", "1.0.0");
        var aci = AciBuilder.Build(manifest);
        var asc = await gpg.SignAsync(aci);

        var (status, body) = await AciBuilder.PushAsync(client, repository, "aci-1.0.0-linux-amd64.aci", aci, asc, manifest);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        for (var node = 0; node < cluster.Nodes.Count; node++)
        {
            using var direct = cluster.AuthorizedClient(fixture.User, fixture.Password, node);
            Assert.Equal(aci, await direct.GetByteArrayAsync($"/appc/{repository}/fetch/aci-1.0.0-linux-amd64.aci"));
            Assert.Equal(asc, await direct.GetByteArrayAsync($"/appc/{repository}/fetch/aci-1.0.0-linux-amd64.aci.asc"));
        }
        Assert.True(UpstreamsOf(cluster, "/appc/").Count > 1, string.Join('\n', cluster.Frontend.AccessLog()));
    }
}
