using System.Net;
using System.Text;
using Dockyard.Http.Auth;
using Microsoft.IdentityModel.Tokens;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>The registry refuses tokens signed by another key, for another issuer or service, expired or not yet valid: 401 invalid_token.</summary>
public sealed class TokenValidationTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    private static readonly ResourceScope[] PullPrivate = [new("repository", "owner1/private", ["pull"])];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A token made with the server's own key unless <paramref name="keys"/> is given.</summary>
    private string Make(TokenKeys? keys = null, string? issuer = null, string? service = null, DateTimeOffset? at = null, string subject = "owner1", int lifetimeSeconds = 60)
    {
        var options = world.Auth.Options;
        var own = new RegistryAuthOptions
        {
            Keys = keys ?? options.Keys,
            Issuer = issuer ?? options.Issuer,
            Service = service ?? options.Service,
            TokenLifetime = TimeSpan.FromSeconds(lifetimeSeconds),
        };
        return new TokenIssuer(own, at is { } time ? new FixedTime(time) : TimeProvider.System).Issue(subject, "", PullPrivate).Token;
    }

    private async Task AssertRefusedAsync(string token)
    {
        using var response = await world.Auth.BearerClient(token).GetAsync("/v2/owner1/private/tags/list");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ExpectErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_token_made_with_the_servers_key_and_settings_is_accepted()
    {
        await ExpectAsync(await world.Auth.BearerClient(Make()).GetAsync("/v2/owner1/private/tags/list"), HttpStatusCode.OK);
        // Expired 30 s ago: within the minute of clock-skew leeway distribution allows. (Issued 40 s ago: a token issued
        // more than that minute before its user was created is refused, see UamUserDeletionTests.)
        await ExpectAsync(await world.Auth.BearerClient(Make(at: DateTimeOffset.UtcNow.AddSeconds(-40), lifetimeSeconds: 10)).GetAsync("/v2/owner1/private/tags/list"),
            HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dockyard-otherkey-" + Guid.NewGuid().ToString("N"));
        try
        {
            TokenKeys.Generate(Path.Combine(folder, "k.key"), Path.Combine(folder, "k.crt"), "someone else");
            await AssertRefusedAsync(Make(keys: TokenKeys.Load(Path.Combine(folder, "k.key"), Path.Combine(folder, "k.crt"))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_with_the_servers_kid_but_another_signature_is_refused()
    {
        var parts = Make().Split('.');
        var forged = Make(subject: "root").Split('.');
        await AssertRefusedAsync($"{forged[0]}.{forged[1]}.{parts[2]}");
    }

    [Fact]
    public async Task Unsigned_tokens_are_refused()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(Make().Split('.')[1])));
        await AssertRefusedAsync($"{header}.{payload}.");
        await AssertRefusedAsync("not-a-jwt");
    }

    [Fact]
    public async Task Wrong_issuer_is_refused() => await AssertRefusedAsync(Make(issuer: "another-issuer"));

    [Fact]
    public async Task Wrong_audience_is_refused() => await AssertRefusedAsync(Make(service: "another-service"));

    [Fact]
    public async Task Expired_tokens_are_refused() => await AssertRefusedAsync(Make(at: DateTimeOffset.UtcNow.AddHours(-2)));

    [Fact]
    public async Task Tokens_from_the_future_are_refused() => await AssertRefusedAsync(Make(at: DateTimeOffset.UtcNow.AddHours(2)));
}
