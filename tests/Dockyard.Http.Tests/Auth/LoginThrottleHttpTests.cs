using System.Net;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>After ten failed logins a user is refused with 429 TOOMANYREQUESTS, even with the right password, on every API.</summary>
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
}
