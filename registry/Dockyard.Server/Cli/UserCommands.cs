using System.CommandLine;
using Dockyard.Server.Cli.Admin;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard user list|show|add|passwd|rm</c>. <c>add NAME --admin --password-stdin</c> on the local store is the
/// administrator bootstrap; with <c>--registry</c> it signs up an ordinary user.
/// </summary>
internal static class UserCommands
{
    public static Command Create(AdminOptions admin)
    {
        var name = new Argument<string>("name") { Description = "the user name (lower case, as in repository names)" };
        var isAdmin = new Option<bool>("--admin") { Description = "make the user a registry administrator (all rights everywhere; local store only)" };
        var email = new Option<string?>("--email") { Description = "the user's e-mail address" };
        var password = new Option<string?>("--password") { Description = "the new user's password (visible in the process list; prefer --password-stdin)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the new user's password from the next line of standard input" };
        var yes = new Option<bool>("--yes", "-y") { Description = "confirm the deletion" };

        return admin.Group("user", "Manage Dockyard users",
            admin.Command("list", "List users", async (r, a, o, ct) =>
                o.Table(await a.ListUsersAsync(ct), "name", "realname", "email", "admin", "source", "created")),
            admin.Command("show", "Show a user", async (r, a, o, ct) => o.Record(await a.GetUserAsync(r.GetRequiredValue(name), ct)), name),
            admin.Command("add", "Create a user", async (r, a, o, ct) =>
            {
                var secret = r.GetValue(passwordStdin) ? await ReadLineAsync(ct) : r.GetValue(password);
                var user = await a.AddUserAsync(r.GetRequiredValue(name), secret, r.GetValue(email), r.GetValue(isAdmin), ct);
                o.Done($"created user '{user["name"]}'{(r.GetValue(isAdmin) ? " (administrator)" : "")}");
                if (r.GetValue(admin.Json))
                {
                    o.Record(user);
                }
            }, name, isAdmin, email, password, passwordStdin),
            admin.Command("passwd", "Set a user's password (read from the next line of standard input)", async (r, a, o, ct) =>
            {
                var user = r.GetRequiredValue(name);
                var newPassword = await ReadLineAsync(ct) ?? throw new AdminException("no new password on standard input");
                // Changing one's own password through the API proves the old one: the password signed in with.
                var old = admin.SignInUser == user ? admin.SignInPassword : null;
                await a.ChangePasswordAsync(user, old, newPassword, ct);
                o.Done($"password of '{user}' changed");
            }, name),
            admin.Command("rm", "Delete a user: their memberships go, their sessions and tokens stop working; refused (exit 1) while they own repositories or sign in through LDAP",
                async (r, a, o, ct) =>
                {
                    await a.DeleteUserAsync(OrganizationCommands.Confirmed(r, yes, r.GetRequiredValue(name)), ct);
                    o.Done($"deleted user '{r.GetRequiredValue(name)}'");
                }, name, yes));
    }

    private static async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n');
}
