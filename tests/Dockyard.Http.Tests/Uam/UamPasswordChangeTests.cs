using System.Net;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>
/// <c>PUT /uam/user/&lt;name&gt;/password</c> ends what the old password handed out on every door: bearer tokens (a
/// <c>registry:account:*</c> one included) and Docker Registry V1 tokens issued before it stop at once, as remembered
/// Basic credentials and web UI sessions already did. Before, a token taken with a stolen password kept working after
/// the victim changed it, for the token's whole lifetime (<c>[auth_server] expiration</c>, 5000 s by default), and a V1
/// token could even renew itself (<c>X-Docker-Token: true</c>) for as long as the account existed.
/// </summary>
public sealed class UamPasswordChangeTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    [Fact]
    public async Task Tokens_issued_before_a_password_change_stop_at_once_and_new_ones_work()
    {
        var user = await Auth.AddUserAsync("pwchanger");
        var scopes = $"scope={Uri.EscapeDataString("repository:pwchanger/app:pull,push")}&scope={Uri.EscapeDataString("registry:account:*")}";
        using var basic = Auth.Client(user);
        var token = (await ExpectAsync(await basic.GetAsync($"/uam/auth?service={Auth.Options.Service}&{scopes}"), HttpStatusCode.OK))
            .GetProperty("token").GetString()!;
        using var bearer = Auth.BearerClient(token);
        await ExpectErrorAsync(await bearer.GetAsync("/v2/pwchanger/app/tags/list"), HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await ExpectAsync(await bearer.GetAsync($"/uam/user/{user}"), HttpStatusCode.OK);
        var v1 = new V1Client(Auth.Client(null), user, PasswordOf(user));
        string v1Token;
        using (var announce = await v1.SendAsync(HttpMethod.Put, "/v1/repositories/pwchanger/app/", v1.Basic(), V1Client.Json("[]"), ("X-Docker-Token", "true")))
        {
            await ExpectAsync(announce, HttpStatusCode.OK);
            v1Token = V1Client.Header(announce, "X-Docker-Token");
        }
        var unknownImage = $"/v1/images/{new string('a', 64)}/json";
        await ExpectAsync(await v1.SendAsync(HttpMethod.Get, unknownImage, V1Client.TokenAuth(v1Token)), HttpStatusCode.NotFound);

        await ExpectAsync(await PutJsonAsync(basic, $"/uam/user/{user}/password", new { oldpassword = PasswordOf(user), newpassword = "changed-" + user }),
            HttpStatusCode.NoContent);

        await ExpectErrorAsync(await bearer.GetAsync("/v2/pwchanger/app/tags/list"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ExpectErrorAsync(await bearer.GetAsync($"/uam/user/{user}"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ExpectAsync(await v1.SendAsync(HttpMethod.Get, unknownImage, V1Client.TokenAuth(v1Token)), HttpStatusCode.Unauthorized);
        await ExpectAsync(await v1.SendAsync(HttpMethod.Put, "/v1/repositories/pwchanger/app/", V1Client.TokenAuth(v1Token), V1Client.Json("[]"),
            ("X-Docker-Token", "true")), HttpStatusCode.Unauthorized);

        // A token asked for with the new password works.
        using var renewed = Auth.Client(user, "changed-" + user);
        var fresh = (await ExpectAsync(await renewed.GetAsync($"/uam/auth?service={Auth.Options.Service}&{scopes}"), HttpStatusCode.OK))
            .GetProperty("token").GetString()!;
        await ExpectAsync(await Auth.BearerClient(fresh).GetAsync($"/uam/user/{user}"), HttpStatusCode.OK);
    }
}
