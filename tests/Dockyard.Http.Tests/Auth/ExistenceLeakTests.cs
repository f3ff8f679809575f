using System.Net;
using System.Text;
using System.Text.Json;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// "Not yours" and "does not exist" look the same: every repository door of the route table, asked by a signed-up
/// outsider (Basic credentials and a bearer token) and anonymously about a private repository it may not read and
/// about one that does not exist in the same namespace, answers byte for byte the same status, body and headers once
/// the two names are made equal; and the token endpoint grants the same (nothing) on both.
/// </summary>
public sealed class ExistenceLeakTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    // The same length as "private", so lengths in headers and bodies compare once the names are swapped.
    private const string Private = "owner1/private";
    private const string Missing = "owner1/missing";

    private static readonly string[] ComparedHeaders =
        ["WWW-Authenticate", "Location", "Link", "Docker-Content-Digest", "ETag", "Content-Type", "Content-Length", "Content-Range", "Range", "Docker-Upload-UUID"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var ((route, method), (need, _, _)) in RouteMatrixTests.Doors)
        {
            // Only doors whose path names the repository (the matrix's UAM deletion names a fixed missing one: see below).
            if (need is RouteMatrixTests.Need.Pull or RouteMatrixTests.Need.Push or RouteMatrixTests.Need.Delete or RouteMatrixTests.Need.Account
                && PathOf(route, method)(Private) != PathOf(route, method)(Missing))
            {
                foreach (var caller in new[] { "outsider", "anonymous", "bearer" })
                {
                    data.Add(route, method, caller);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_private_repository_answers_as_a_missing_one(string route, string method, string caller)
    {
        var body = RouteMatrixTests.Doors[(route, method)].Body;
        var path = PathOf(route, method);
        var hidden = await AnswerAsync(caller, method, path(Private), body, Private);
        var missing = await AnswerAsync(caller, method, path(Missing), body, Missing);
        Assert.Equal(missing, hidden);
    }

    [Theory]
    [InlineData("outsider")]
    [InlineData(null)]
    public async Task The_token_endpoint_grants_the_same_on_a_private_repository_as_on_a_missing_one(string? caller)
    {
        async Task<string> AccessAsync(string repository)
        {
            var answer = await ExpectAsync(await world.Auth.Client(caller).GetAsync(
                $"/uam/auth?service={world.Auth.Options.Service}&scope=repository:{repository}:pull,push,delete"), HttpStatusCode.OK);
            var payload = answer.GetProperty("token").GetString()!.Split('.')[1].Replace('-', '+').Replace('_', '/');
            using var claims = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
            var access = claims.RootElement.TryGetProperty("access", out var granted) ? granted.GetRawText() : "none";
            return access.Replace(repository, "<repository>", StringComparison.Ordinal);
        }

        Assert.Equal(await AccessAsync(Missing), await AccessAsync(Private));
    }

    private static Func<string, string> PathOf(string route, string method) =>
        route == "uam.repository.delete" ? r => "/uam/" + r : RouteMatrixTests.Doors[(route, method)].Path;

    private async Task<string> AnswerAsync(string caller, string method, string path, string? body, string repository)
    {
        var client = caller switch
        {
            "outsider" => world.Auth.Client("outsider"),
            "anonymous" => world.Auth.Client(null),
            _ => world.Auth.BearerClient((await ExpectAsync(await world.Auth.Client("outsider").GetAsync(
                $"/uam/auth?service={world.Auth.Options.Service}&scope=repository:{repository}:pull,push,delete"), HttpStatusCode.OK)).GetProperty("token").GetString()!),
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var text = new StringBuilder().Append((int)response.StatusCode).Append('\n');
        foreach (var name in ComparedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                text.Append(name).Append(": ").AppendJoin(", ", values).Append('\n');
            }
        }
        text.Append(await response.Content.ReadAsStringAsync());
        return text.ToString().Replace(repository, "<repository>", StringComparison.Ordinal)
            .Replace(repository.Split('/')[1], "<name>", StringComparison.Ordinal);
    }
}
