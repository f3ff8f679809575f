using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// An upload is bound to its repository and to the account that opened it, on the V2 and appc doors: another user who
/// may push to the same repository and learns the upload's UUID or URL (a log, a shared terminal) gets the same 404 as
/// for an upload that does not exist. Before, any pusher of the repository could read its progress, append to it,
/// complete it with their own bytes or cancel it.
/// </summary>
public sealed class UploadSessionOwnershipTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    // Alice founds an organization whose members may push; Bob is a member, so both may push to <org>/app.
    private async Task<(HttpClient Alice, HttpClient Bob)> CrewAsync(string org)
    {
        var alice = await Auth.AddUserAsync(org + "-alice");
        var bob = await Auth.AddUserAsync(org + "-bob");
        await ExpectAsync(await PostJsonAsync(Auth.Client(alice), "/uam/organization", new { name = org, memberprivilege = 2 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(Auth.Client(alice), "/uam/organization/adduser", new { orgname = org, username = bob, role = 4 }),
            HttpStatusCode.Created);
        return (Auth.Client(alice), Auth.Client(bob));
    }

    [Fact]
    public async Task Another_pusher_cannot_read_continue_complete_or_cancel_a_blob_upload()
    {
        var (alice, bob) = await CrewAsync("upcrew");
        var location = await RegistryPush.StartUploadAsync(alice, "upcrew/app");
        var data = RegistryPush.RandomBytes(1024);

        await ExpectErrorAsync(await bob.GetAsync(location), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ExpectErrorAsync(await bob.PatchAsync(location, new ByteArrayContent(data)), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        var complete = RegistryPush.WithQuery(location, "digest=" + RegistryPush.DigestOf(data));
        await ExpectErrorAsync(await bob.PutAsync(complete, new ByteArrayContent(data)), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ExpectErrorAsync(await bob.DeleteAsync(location), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        // Bob may push there all the same, with his own upload.
        await RegistryPush.StartUploadAsync(bob, "upcrew/app");

        // Alice's upload is untouched: she completes it.
        await ExpectAsync(await alice.PatchAsync(location, new ByteArrayContent(data)), HttpStatusCode.Accepted);
        await ExpectAsync(await alice.PutAsync(complete, null), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_pusher_cannot_upload_into_or_complete_an_acpush_push()
    {
        var (alice, bob) = await CrewAsync("acicrew");
        JsonElement urls;
        using (var start = await alice.PostAsync("/appc/acicrew/app/push/app-1.0.0-linux-amd64.aci", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
            urls = await start.Content.ReadFromJsonAsync<JsonElement>();
        }
        string Url(string key) => urls.GetProperty(key).GetString()!;

        foreach (var key in new[] { "upload_manifest_url", "upload_signature_url", "upload_aci_url" })
        {
            await ExpectErrorAsync(await bob.PutAsync(Url(key), new ByteArrayContent([1, 2, 3])), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }
        await ExpectErrorAsync(await bob.PostAsync(Url("completed_url"), new StringContent("""{"success":false}""")), HttpStatusCode.NotFound,
            "BLOB_UPLOAD_UNKNOWN");

        // The push is still Alice's to continue.
        await ExpectAsync(await alice.PutAsync(Url("upload_aci_url"), new ByteArrayContent([1, 2, 3])), HttpStatusCode.OK);
    }
}
