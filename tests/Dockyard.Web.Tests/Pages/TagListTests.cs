using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.Web.Tests.Pages;

/// <summary>The tags page: an index's platforms instead of a size, and when each tag's manifest was pushed.</summary>
public sealed class TagListTests
{
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    [Fact]
    public async Task An_index_lists_its_platforms_and_every_tag_its_push_time()
    {
        await using var registry = await WebRegistry.StartAsync(standalone: true);
        using var api = registry.ApiClient();
        var before = DateTimeOffset.UtcNow;
        var amd64 = await TestImage.PushAsync(api, "team/multi", "amd64");
        var arm64 = await TestImage.PushAsync(api, "team/multi", "arm64");
        var index = $$$"""
            {"schemaVersion":2,"mediaType":"{{{OciIndex}}}","manifests":[
              {"mediaType":"{{{amd64.MediaType}}}","digest":"{{{amd64.Digest}}}","size":{{{amd64.Size}}},"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"{{{arm64.MediaType}}}","digest":"{{{arm64.Digest}}}","size":{{{arm64.Size}}},"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}
            """;
        using (var content = new ByteArrayContent(Encoding.UTF8.GetBytes(index)))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(OciIndex);
            using var response = await api.PutAsync("/v2/team/multi/manifests/latest", content);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        using var session = new WebSession(registry.BaseAddress);

        var html = (await session.GetAsync("/repositories/team/multi")).Html;
        var latest = html[html.IndexOf(">latest</a>", StringComparison.Ordinal)..];
        latest = latest[..latest.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("<td data-label=\"Platforms\">linux/amd64, linux/arm64/v8</td>", latest);
        Assert.Contains("application/vnd.oci.image.index.v1", latest);
        var pushed = Assert.Single(System.Text.RegularExpressions.Regex.Matches(latest, "<time datetime=\"([^\"]+)\"")).Groups[1].Value;
        Assert.InRange(DateTimeOffset.Parse(WebUtility.HtmlDecode(pushed), System.Globalization.CultureInfo.InvariantCulture), before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Contains("<td data-label=\"Size\">", html);
    }
}
