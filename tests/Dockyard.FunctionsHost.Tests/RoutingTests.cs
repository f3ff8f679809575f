using System.Net;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// The host tries function routes in function-name order and takes the first match, whatever the template's
/// specificity. Each request here must reach the function meant for it, as the host's log names it ("Executing
/// 'Functions.NAME'"): the root discovery catch-all sorts before v1, v2 and uam*, and uam-repository-delete before uam-team*.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class RoutingTests(OpenHostFixture fixture) : IClassFixture<OpenHostFixture>
{
    [Theory]
    [InlineData("GET", "/v2/", "v2")]
    [InlineData("HEAD", "/v2/ns/app/manifests/latest", "v2")]
    [InlineData("GET", "/v2/ns/app/tags/list", "v2")]
    [InlineData("PATCH", "/v2/ns/app/blobs/uploads/0123", "v2")]
    [InlineData("GET", "/uam/auth", "uam-auth")]
    [InlineData("GET", "/uam/user", "uam-users")]
    [InlineData("GET", "/uam/user/someone", "uam-user")]
    [InlineData("HEAD", "/uam/organization/acme", "uam-organization")]
    [InlineData("GET", "/uam/organization/acme/members", "uam-organization-members")]
    [InlineData("GET", "/uam/team/acme", "uam-teams")]
    [InlineData("GET", "/uam/repository/alice", "uam-repositories")]
    [InlineData("GET", "/uam/repository/alice/ns/app", "uam-repository")]
    [InlineData("DELETE", "/uam/team/acme/readers", "uam-team")]
    [InlineData("DELETE", "/uam/team/removeuser/acme/readers/bob", "uam-team-removeuser")]
    [InlineData("DELETE", "/uam/team/removerepository/acme/readers/ns/app", "uam-team-removerepository")]
    [InlineData("DELETE", "/uam/organization/removeuser/acme/bob", "uam-organization-removeuser")]
    [InlineData("DELETE", "/uam/alice/ns/app", "uam-repository-delete")]
    [InlineData("DELETE", "/uam/acme", "uam-organization-delete")]
    [InlineData("GET", "/v1/_ping", "v1")]
    [InlineData("HEAD", "/v1/repositories/library/busybox/tags", "v1")]
    [InlineData("GET", "/appc/acme/app/fetch/app-1.0-linux-amd64.aci", "appc")]
    [InlineData("GET", "/extensions/v2/ns/app/signatures/sha256:0000000000000000000000000000000000000000000000000000000000000000", "extensions")]
    [InlineData("GET", "/p2p/v1/ns/app/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000/pieces", "p2p")]
    [InlineData("GET", "/pubkeys", "pubkeys")]
    [InlineData("GET", "/healthz", "healthz")]
    [InlineData("HEAD", "/readyz", "readyz")]
    [InlineData("GET", "/metrics", "metrics")]
    [InlineData("GET", "/acme/app?ac-discovery=1", "discovery")]
    [InlineData("HEAD", "/acme/app", "discovery")]
    [InlineData("GET", "/v2x/app?ac-discovery=1", "discovery")]
    [InlineData("GET", "/healthz/more", "discovery")]
    public async Task Each_request_reaches_the_function_meant_for_it(string method, string path, string function)
    {
        var (status, invoked) = await fixture.Host.SendAndTraceAsync(new HttpMethod(method), path);
        Assert.True(invoked == function, $"{method} {path} went to '{invoked}' ({(int)status}), not '{function}'");
        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    [Fact]
    public async Task The_root_reaches_no_function_and_the_host_page_is_off()
    {
        var (status, invoked) = await fixture.Host.SendAndTraceAsync(HttpMethod.Get, "/");
        Assert.Equal("(no function)", invoked);
        Assert.Equal(HttpStatusCode.NoContent, status); // AzureWebJobsDisableHomepage: no "up and running" page
    }
}
