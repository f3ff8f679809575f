using System.Net;
using System.Text;
using Dockyard.Core.Access;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Redis.Tests;

/// <summary>
/// A node remembers a verified password for a minute, yet a password changed or a user removed through another node
/// stops the old credentials there at once: every remembered login is checked against the shared account store.
/// </summary>
public sealed class CredentialCacheTests
{
    private const int Database = 2;

    [Fact]
    public async Task A_password_changed_through_node_a_fails_on_node_b_at_once()
    {
        await using var nodes = await TwoNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var user = await nodes.AddUserAsync("changer", "old-password");
        await RememberedOnBAsync(nodes, user, "old-password");

        using var change = new HttpRequestMessage(HttpMethod.Put, $"/uam/user/{user}/password")
        {
            Content = new StringContent("""{"oldpassword":"old-password","newpassword":"new-password"}""", Encoding.UTF8, "application/json"),
        };
        change.Headers.Authorization = TwoNodes.Basic(user, "old-password");
        using var changed = await nodes.A.Client.SendAsync(change);
        Assert.True(changed.IsSuccessStatusCode, $"password change answered {(int)changed.StatusCode}");

        Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(nodes.B, user, "old-password"));
        Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.B, user, "new-password"));
    }

    [Fact]
    public async Task A_user_removed_from_the_shared_store_fails_on_the_node_that_remembered_them()
    {
        await using var nodes = await TwoNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var user = await nodes.AddUserAsync("leaver", "leaver-password");
        await RememberedOnBAsync(nodes, user, "leaver-password");

        // Dockyard has no user deletion; an operator removing the row is what one would look like to the nodes.
        await using (var db = new SqliteConnection($"Data Source={nodes.MetadataFile};Pooling=False"))
        {
            await db.OpenAsync();
            await using var delete = db.CreateCommand();
            delete.CommandText = "DELETE FROM users WHERE name = $name";
            delete.Parameters.AddWithValue("$name", user);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(nodes.B, user, "leaver-password"));
    }

    /// <summary>Logs in on B twice and checks that the second login was answered from B's memory, not a new KDF run.</summary>
    private static async Task RememberedOnBAsync(TwoNodes nodes, string user, string password)
    {
        var verifier = nodes.B.Services.GetRequiredService<CredentialVerifier>();
        Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.B, user, password));
        var checks = verifier.PasswordChecks;
        Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.B, user, password));
        Assert.Equal(checks, verifier.PasswordChecks);
    }
}
