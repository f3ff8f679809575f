using System.Net;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Appc;

/// <summary>
/// The appc routes with authorization enforced: pushes need write access to the namespace, fetches of a private
/// repository need read access until it is made public; discovery stays public.
/// </summary>
public sealed class AciEnforcedAuthTests
{
    private const string Repository = "alice/x";
    private const string File = "x-1.0.0-linux-amd64.aci";

    [Fact]
    public async Task Pushes_need_write_access_fetches_of_private_acis_need_read_access_and_discovery_stays_public()
    {
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        await using var auth = await AuthServer.StartAsync();
        await auth.AddUserAsync("alice");
        await auth.AddUserAsync("bob");
        var alice = auth.Client("alice");
        var bob = auth.Client("bob");
        var anonymous = auth.Client(null);
        var manifest = AciBuilder.Manifest($"127.0.0.1/{Repository}", "1.0.0");
        var aci = AciBuilder.Build(manifest);
        var asc = await gpg.SignAsync(aci);

        using (var start = await anonymous.PostAsync($"/appc/{Repository}/push/{File}", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, start.StatusCode);
            Assert.StartsWith("Bearer realm=\"", start.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains($"repository:{Repository}:pull,push", start.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        await AuthServer.ExpectErrorAsync(await bob.PostAsync($"/appc/{Repository}/push/{File}", null), HttpStatusCode.Forbidden, "DENIED");
        await AuthServer.ExpectErrorAsync(await bob.PostAsync($"/appc/{Repository}/pubkeys", new StringContent(key)), HttpStatusCode.Forbidden, "DENIED");

        await AuthServer.ExpectAsync(await alice.PostAsync($"/appc/{Repository}/pubkeys", new StringContent(key)), HttpStatusCode.Created);
        var (status, body) = await AciBuilder.PushAsync(alice, Repository, File, aci, asc, manifest);
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        // The push created alice/x as a private repository of her namespace.
        var fetch = $"/appc/{Repository}/fetch/{File}";
        using (var denied = await anonymous.GetAsync(fetch))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.StartsWith("Bearer realm=\"", denied.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        await AuthServer.ExpectErrorAsync(await bob.GetAsync(fetch), HttpStatusCode.Forbidden, "DENIED");
        await AuthServer.ExpectErrorAsync(await bob.GetAsync(fetch + ".asc"), HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal(aci, await alice.GetByteArrayAsync(fetch));
        Assert.Equal(asc, await alice.GetByteArrayAsync(fetch + ".asc"));

        // Discovery is public even for a private repository: it names URLs, not content.
        using (var discovery = await anonymous.GetAsync($"/{Repository}?ac-discovery=1"))
        {
            Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
            Assert.Contains("ac-discovery", await discovery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/appc/{Repository}?ac-discovery=1")).StatusCode);

        await AuthServer.ExpectAsync(await AuthServer.PutJsonAsync(alice, $"/uam/repository/{Repository}", new { ispublic = true }), HttpStatusCode.OK);
        Assert.Equal(aci, await anonymous.GetByteArrayAsync(fetch));
        Assert.Equal(asc, await bob.GetByteArrayAsync(fetch + ".asc"));
        // Public means readable, not writable.
        await AuthServer.ExpectErrorAsync(await bob.PostAsync($"/appc/{Repository}/push/x-2.0.0-linux-amd64.aci", null), HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/appc/{Repository}/push/x-2.0.0-linux-amd64.aci", null)).StatusCode);
    }
}
