using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

/// <summary>Routing faults, name and digest validation, and the rule that no client input yields a 500.</summary>
public sealed class ErrorEnvelopeTests
{
    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2")]
    public async Task Base_route_answers_200_json(string path)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/no/such/page")] // "/" is the web UI's home; a path no page claims still gets the envelope
    [InlineData("/v1/unknown")]
    [InlineData("/v2/_catalog/extra")]
    [InlineData("/v2/app/unknown/thing")]
    [InlineData("/v3/")]
    public async Task Unknown_route_answers_404_with_an_error_envelope(string path)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync(path);
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
    }

    [Theory]
    [InlineData("DELETE", "/v2/")]
    [InlineData("PUT", "/v2/_catalog")]
    [InlineData("POST", "/v2/app/tags/list")]
    [InlineData("POST", "/v2/app/manifests/latest")]
    [InlineData("PATCH", "/v2/app/manifests/latest")]
    [InlineData("PUT", "/v2/app/blobs/uploads/")]
    [InlineData("POST", "/v2/app/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("DELETE", "/v2/app/referrers/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Wrong_method_answers_405_unsupported_with_allow(string method, string path)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.DoesNotContain(method, response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Deep_repository_name_works_for_blobs_manifests_and_tags()
    {
        await using var server = await RegistryServer.StartAsync();
        var manifest = await PushImageAsync(server.Client, "a/b/c/d", "v1");
        using var get = await server.Client.GetAsync($"/v2/a/b/c/d/manifests/{manifest.Digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var tags = await server.Client.GetAsync("/v2/a/b/c/d/tags/list");
        Assert.Contains("\"a/b/c/d\"", await tags.Content.ReadAsStringAsync());
        using var catalog = await server.Client.GetAsync("/v2/_catalog");
        Assert.Contains("\"a/b/c/d\"", await catalog.Content.ReadAsStringAsync());
    }

    public static TheoryData<string> InvalidNames => new()
    {
        "Upper/case", "a..b", "trailing/", "a//b", new string('a', 300), "-lead", "trail-", "a___b", "a/.b", "a%20b",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Invalid_name_answers_400_name_invalid_on_every_route(string name)
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = DigestOf([1]);
        var requests = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, $"/v2/{name}/tags/list"),
            (HttpMethod.Get, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Put, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Delete, $"/v2/{name}/manifests/{digest}"),
            (HttpMethod.Get, $"/v2/{name}/blobs/{digest}"),
            (HttpMethod.Delete, $"/v2/{name}/blobs/{digest}"),
            (HttpMethod.Post, $"/v2/{name}/blobs/uploads/"),
            (HttpMethod.Get, $"/v2/{name}/blobs/uploads/0123456789abcdef0123456789abcdef"),
            (HttpMethod.Get, $"/v2/{name}/referrers/{digest}"),
        };
        foreach (var (method, path) in requests)
        {
            using var response = await server.Client.SendAsync(new HttpRequestMessage(method, path));
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        }
    }

    [Fact]
    public async Task Mount_from_an_invalid_name_answers_400_name_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.PostAsync($"/v2/app/blobs/uploads/?mount={DigestOf([1])}&from=Bad..Name", null);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task Error_detail_is_json_when_present()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/v2/app/blobs/sha256:xyz");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(document.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("sha256:xyz", error.GetProperty("detail").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Garbage_on_every_route_never_answers_5xx()
    {
        await using var server = await RegistryServer.StartAsync();
        var blob = await PushBlobAsync(server.Client, "app", RandomBytes(100));
        var upload = await StartUploadAsync(server.Client, "app");
        var hex64 = new string('a', 64);
        string[] paths =
        [
            "/v2/_catalog?n=abc&last=%00", "/v2/_catalog?n=99999999999999999999", "/v2/_catalog?last=%ff%fe", "/v2/_catalog?n=&last=",
            "/v2/app/tags/list?n=1e3", "/v2/app/tags/list?last=" + new string('z', 5000),
            "/v2/app/manifests/", "/v2/app/manifests/%00", "/v2/app/manifests/sha256:", "/v2/app/manifests/:", "/v2/app/manifests/" + new string('t', 5000),
            "/v2/app/manifests/sha256:" + new string('g', 64), "/v2/app/manifests/SHA256:" + hex64, "/v2/app/manifests/sha256:" + hex64 + "%0a",
            "/v2/app/blobs/", "/v2/app/blobs/:", "/v2/app/blobs/sha512:" + hex64, $"/v2/app/blobs/{blob}", $"/v2/app/blobs/{blob}/extra",
            "/v2/app/blobs/uploads/%2e%2e", "/v2/app/blobs/uploads/..%2F..%2F", upload.PathAndQuery, upload.PathAndQuery + "?digest=sha256:zz",
            "/v2/app/blobs/uploads/?mount=&from=", "/v2/app/blobs/uploads/?mount=sha256:xyz&from=BAD", "/v2/app/blobs/uploads/?digest=",
            "/v2/app/blobs/uploads/?digest=sha256:zz", $"/v2/app/blobs/uploads/?mount={blob}&from=", $"/v2/app/blobs/uploads/?mount={blob}&from=%00",
            "/v2/app/referrers/", "/v2/app/referrers/sha256:abc?artifactType=%00", $"/v2/app/referrers/{blob}?artifactType=" + new string('x', 3000),
            "/v2//tags/list", "/v2/%2F/tags/list", "/v2/a%2Fb/tags/list", "/v2/" + new string('n', 10000) + "/tags/list", "/v2/%C3%A4/tags/list",
            "/v2/%2e%2e/%2e%2e/etc/passwd", "/v2/_catalog/x", "/v2/a/b/c/d/e/f/g/h/i/j/k/manifests/latest", "/v2/%00/manifests/latest",
        ];
        HttpMethod[] methods = [HttpMethod.Get, HttpMethod.Head, HttpMethod.Put, HttpMethod.Post, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Options];
        (string Name, string Value)[][] headerSets =
        [
            [],
            [("Content-Range", "bytes=garbage"), ("Range", "bytes=abc-def"), ("Content-Type", "///")],
            [("Content-Range", "0-9223372036854775807"), ("Range", "bytes=99999999999999999999-"), ("Content-Type", "application/vnd.oci.image.manifest.v1+json; x=")],
            [("Content-Range", "9223372036854775807-9223372036854775807"), ("Range", "bytes=-0,5-1,2-3"), ("If-None-Match", "\"\"")],
        ];
        var failures = new List<string>();
        foreach (var path in paths)
        {
            foreach (var method in methods)
            {
                foreach (var headers in headerSets)
                {
                    using var request = new HttpRequestMessage(method, path);
                    if (method != HttpMethod.Get && method != HttpMethod.Head)
                    {
                        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"layers\":[{]}\0\xff"));
                    }
                    foreach (var (name, value) in headers)
                    {
                        if (!request.Headers.TryAddWithoutValidation(name, value))
                        {
                            request.Content ??= new ByteArrayContent([]);
                            request.Content.Headers.TryAddWithoutValidation(name, value);
                        }
                    }
                    using var response = await server.Client.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{method} {path[..Math.Min(path.Length, 120)]} [{string.Join("; ", headers.Select(h => h.Name + ": " + h.Value))}] -> {(int)response.StatusCode}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("GET /v2/a/../b/tags/list HTTP/1.1")]
    [InlineData("GET /v2/../../../etc/passwd HTTP/1.1")]
    [InlineData("GET /v2/app/blobs/uploads/../../../../etc HTTP/1.1")]
    [InlineData("GET /v2/app/manifests/..%2f..%2f HTTP/1.1")]
    [InlineData("PATCH /v2/app/blobs/uploads/0123456789abcdef0123456789abcdef HTTP/1.1")]
    public async Task Raw_request_targets_with_dot_segments_never_answer_5xx(string requestLine)
    {
        await using var server = await RegistryServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"{requestLine}\r\nHost: {server.HostAndPort}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? "";
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(status, 400, 499);
    }
}
