using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Requests;

/// <summary>
/// Every body the registry parses in memory, on every API: over its limit it is 413 SIZE_INVALID whether its length is
/// declared or it arrives chunked; a JSON string that is not valid UTF-8 text is a 400, never a 500.
/// </summary>
public sealed class RequestBodyTests(RequestBodyTests.World world) : IClassFixture<RequestBodyTests.World>
{
    /// <summary>Larger than every in-memory limit (4 MiB for manifests is the largest).</summary>
    private const int Oversized = 5 << 20;

    /// <summary>A registry administrator (allowed everywhere), an appc push in progress and a V1 write token.</summary>
    public sealed class World : EnforcedServerFixture
    {
        public const string Admin = "bodyadmin";

        public string AppcManifestUrl { get; private set; } = "";

        public string AppcCompleteUrl { get; private set; } = "";

        public string V1Token { get; private set; } = "";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var client = Auth.Client(await Auth.AddUserAsync(Admin, admin: true));
            using var start = await client.PostAsync("/appc/bodies/app/push/app-1.0.0-linux-amd64.aci", null);
            var urls = await ExpectAsync(start, HttpStatusCode.OK);
            AppcManifestUrl = new Uri(urls.GetProperty("upload_manifest_url").GetString()!).PathAndQuery;
            AppcCompleteUrl = new Uri(urls.GetProperty("completed_url").GetString()!).PathAndQuery;
            using var index = new HttpRequestMessage(HttpMethod.Put, "/v1/repositories/bodies/v1app/") { Content = JsonContent.Create(Array.Empty<object>()) };
            index.Headers.Add("X-Docker-Token", "true");
            using var indexed = await client.SendAsync(index);
            await ExpectAsync(indexed, HttpStatusCode.OK);
            V1Token = indexed.Headers.GetValues("X-Docker-Token").Single();
        }
    }

    private const string ImageId = "1111111111111111111111111111111111111111111111111111111111111111";

    /// <summary>Each route that reads its body into memory: the method, the path, and whether the body is JSON.</summary>
    public static TheoryData<string> Routes =>
    [
        "POST /uam/user/signup", "POST /uam/organization", "POST /uam/organization/adduser", "POST /uam/team", "POST /uam/repository",
        "PUT /uam/user/bodyadmin/password",
        "PUT /v2/bodies/app/manifests/latest",
        "PUT /extensions/v2/bodies/app/signatures/sha256:" + "2222222222222222222222222222222222222222222222222222222222222222",
        "POST /v1/users/", "PUT /v1/repositories/bodies/v1app/", "PUT /v1/repositories/bodies/v1app/images",
        "PUT /v1/repositories/bodies/v1app/tags/latest", "PUT /v1/images/" + ImageId + "/json",
        "POST /appc/bodies/app/pubkeys", "PUT appc-manifest", "POST appc-complete",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_chunked_body_over_the_limit_is_413_SIZE_INVALID(string route)
    {
        var body = new byte[Oversized];
        Array.Fill(body, (byte)' ');
        body[0] = (byte)'{';
        await ExpectErrorAsync(await SendAsync(route, V1Client.Chunked(body)), HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_declared_length_over_the_limit_is_413_SIZE_INVALID(string route)
    {
        await ExpectErrorAsync(await SendAsync(route, new ByteArrayContent(new byte[Oversized])), HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    public static TheoryData<string> JsonRoutes =>
        [.. Routes.Cast<object[]>().Select(r => (string)r[0]).Where(r => !r.Contains("pubkeys", StringComparison.Ordinal) && r != "PUT appc-manifest")];

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task Invalid_utf8_or_half_a_surrogate_pair_in_a_json_string_is_400(string route)
    {
        foreach (var text in new[] { [0xff, 0xfe], [0xc0, 0xaf], "\\ud800"u8.ToArray() })
        {
            // Every field the routes read, so that whichever one a handler looks at first is not text.
            var fields = new[] { "name", "email", "password", "username", "orgname", "teamname", "oldpassword", "newpassword", "mediaType", "id", "reason" };
            var body = new List<byte>("{"u8.ToArray());
            foreach (var field in fields)
            {
                body.AddRange(Encoding.UTF8.GetBytes($"\"{field}\":\""));
                body.AddRange(text);
                body.AddRange("\","u8.ToArray());
            }
            body.AddRange("\"schemaVersion\":2}"u8.ToArray());
            using var response = await SendAsync(route, new ByteArrayContent([.. body]));
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{route}: expected 400, got {(int)response.StatusCode}: {answer}");
            Assert.NotEqual("UNKNOWN", JsonDocument.Parse(answer).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Invalid_utf8_in_a_uam_string_is_400_INVALID_FIELD()
    {
        byte[] body = [.. "{\"name\":\"x"u8, 0xff, .. "\",\"email\":\"a@example.com\",\"password\":\"password1\"}"u8];
        await ExpectErrorAsync(await SendAsync("POST /uam/user/signup", new ByteArrayContent(body)), HttpStatusCode.BadRequest, "INVALID_FIELD", "body");
    }

    private Task<HttpResponseMessage> SendAsync(string route, HttpContent content)
    {
        var (method, path) = route switch
        {
            "PUT appc-manifest" => ("PUT", world.AppcManifestUrl),
            "POST appc-complete" => ("POST", world.AppcCompleteUrl),
            _ => (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]),
        };
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = path.StartsWith("/v1/images/", StringComparison.Ordinal) || path.EndsWith("/tags/latest", StringComparison.Ordinal)
            ? new System.Net.Http.Headers.AuthenticationHeaderValue("Token", world.V1Token)
            : BasicHeader(World.Admin, PasswordOf(World.Admin));
        return world.Auth.Client(null).SendAsync(request);
    }
}
