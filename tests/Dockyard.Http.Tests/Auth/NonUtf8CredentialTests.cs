using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// Credentials are the bytes sent, not what a lenient decoder makes of them. Basic credentials were decoded with
/// replacement, so every byte that is not UTF-8 became U+FFFD: a password holding U+FFFD was matched by any such byte in
/// its place (as it still would be on the UI's form, which ASP.NET Core decodes the same way). Now Basic credentials that
/// are not UTF-8 are no credentials at all, and no new password may hold U+FFFD.
/// </summary>
public sealed class NonUtf8CredentialTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private const string Password = "pass\uFFFDword";

    [Fact]
    public async Task Basic_credentials_that_are_not_utf8_do_not_authenticate_though_they_decode_to_a_stored_password()
    {
        // A password stored before the rule below existed.
        var accounts = fixture.Auth.Server.Services.GetRequiredService<IAccountStore>();
        Assert.True(await accounts.Users.TryCreateAsync(
            new User("fffdholder", "fffd@example.com", PasswordHasher.Hash(Password), null, null, false, User.DatabaseSource, DateTimeOffset.UtcNow),
            CancellationToken.None));

        foreach (var invalid in new byte[][] { [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80] })
        {
            byte[] credentials = [.. "fffdholder:pass"u8, .. invalid, .. "word"u8];
            using var user = await SendAsync("/uam/user/fffdholder", credentials);
            Assert.Equal(HttpStatusCode.Unauthorized, user.StatusCode);
            using var token = await SendAsync($"/uam/auth?service={fixture.Auth.Options.Service}", credentials);
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        }
        // Its own bytes (EF BF BD) still sign in: the account keeps working.
        using var exact = await SendAsync("/uam/user/fffdholder", Encoding.UTF8.GetBytes("fffdholder:" + Password));
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
    }

    [Fact]
    public async Task A_new_password_holding_U_FFFD_is_400_INVALID_FIELD()
    {
        await ExpectErrorAsync(await PostJsonAsync(fixture.Auth.Client(null), "/uam/user/signup",
            new { name = "fffdsignup", email = "fffdsignup@example.com", password = Password }), HttpStatusCode.BadRequest, "INVALID_FIELD", "password");
        var user = await fixture.Auth.AddUserAsync("fffdchanger");
        await ExpectErrorAsync(await PutJsonAsync(fixture.Auth.Client(user), $"/uam/user/{user}/password",
            new { oldpassword = PasswordOf(user), newpassword = Password }), HttpStatusCode.BadRequest, "INVALID_FIELD", "newpassword");
    }

    private Task<HttpResponseMessage> SendAsync(string path, byte[] credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        return fixture.Auth.Client(null).SendAsync(request);
    }
}
