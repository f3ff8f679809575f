using System.Net;
using Dockyard.Core.Access;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// After ten failed logins a user is refused with 429 TOOMANYREQUESTS from that address, even with the right password, on
/// every API; from their own address the user still signs in, and concurrent guesses buy no more password checks.
/// </summary>
public sealed class LoginThrottleHttpTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    [Fact]
    public async Task Eleven_wrong_passwords_then_429_even_with_the_right_one()
    {
        var user = await fixture.Auth.AddUserAsync("guessed");
        var wrong = fixture.Auth.Client(user, "wrong-password");
        for (var i = 0; i < 10; i++)
        {
            await ExpectErrorAsync(await wrong.GetAsync($"/uam/user/{user}"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
        await ExpectErrorAsync(await wrong.GetAsync($"/uam/user/{user}"), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");

        var right = fixture.Auth.Client(user);
        await ExpectErrorAsync(await right.GetAsync($"/uam/user/{user}"), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        await ExpectErrorAsync(await right.GetAsync("/v2/"), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        await ExpectErrorAsync(await right.GetAsync("/uam/auth?service=token-service&scope=repository:guessed/app:pull"),
            HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
    }

    [Fact]
    public async Task The_victim_signs_in_from_their_own_address_while_an_attacker_fails_fifty_times_from_another()
    {
        var victim = await fixture.Auth.AddUserAsync("victim", admin: true);
        var attacker = fixture.Auth.ClientFrom("127.0.0.3", victim, "guess");
        for (var i = 0; i < 50; i++)
        {
            using var response = await attacker.GetAsync($"/uam/user/{victim}");
            Assert.Equal(i < LoginThrottle.MaxFailures ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, response.StatusCode);
        }
        // The attacker's address is refused even the right password (until the victim's success is remembered).
        await ExpectErrorAsync(await fixture.Auth.ClientFrom("127.0.0.3", victim).GetAsync("/v2/"), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");

        var own = fixture.Auth.ClientFrom("127.0.0.2", victim);
        await ExpectAsync(await own.GetAsync($"/uam/user/{victim}"), HttpStatusCode.OK);
        await ExpectAsync(await own.GetAsync("/uam/auth?service=token-service&scope=repository:victim/app:pull"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Forty_nine_concurrent_wrong_passwords_run_at_most_ten_password_checks()
    {
        var user = await fixture.Auth.AddUserAsync("hammered");
        var verifier = fixture.Auth.Server.Services.GetRequiredService<CredentialVerifier>();
        var attacker = fixture.Auth.ClientFrom("127.0.0.4", user, "guess");
        var before = verifier.PasswordChecks;

        var answers = await Task.WhenAll(Enumerable.Range(0, 49).Select(async _ =>
        {
            using var response = await attacker.GetAsync($"/uam/user/{user}");
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Contains(status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.InRange(verifier.PasswordChecks - before, 1, LoginThrottle.MaxFailures);
    }

    [Fact]
    public async Task Guessing_the_old_password_with_a_token_is_throttled_like_a_login()
    {
        var user = await fixture.Auth.AddUserAsync("tokenholder");
        var token = (await ExpectAsync(await fixture.Auth.Client(user).GetAsync("/uam/auth?service=token-service&scope=registry:account:*"), HttpStatusCode.OK))
            .GetProperty("token").GetString()!;
        var holder = fixture.Auth.BearerClient(token);
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            await ExpectErrorAsync(await PutJsonAsync(holder, $"/uam/user/{user}/password", new { oldpassword = $"guess-{i}", newpassword = "new-password-1" }),
                HttpStatusCode.BadRequest, "INVALID_FIELD", "oldpassword");
        }
        await ExpectErrorAsync(await PutJsonAsync(holder, $"/uam/user/{user}/password", new { oldpassword = "one-more-guess", newpassword = "new-password-1" }),
            HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
    }
}
