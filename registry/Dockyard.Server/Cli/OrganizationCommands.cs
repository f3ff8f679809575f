using System.CommandLine;
using Dockyard.Core.Accounts;
using Dockyard.Server.Cli.Admin;

namespace Dockyard.Server.Cli;

/// <summary><c>dockyard org list|show|add|rm|members|add-member|rm-member</c>.</summary>
internal static class OrganizationCommands
{
    public static Command Create(AdminOptions admin)
    {
        var org = new Argument<string>("org") { Description = "the organization name" };
        var user = new Argument<string>("user") { Description = "the user name" };
        var email = new Option<string?>("--email") { Description = "the organization's e-mail address" };
        var comment = new Option<string?>("--comment") { Description = "a description" };
        var firstAdmin = new Option<string?>("--admin") { Description = "the user who becomes its first admin (local store; on a registry, the signed-in user)" };
        var asAdmin = new Option<bool>("--admin") { Description = "as an organization admin (default: member)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "confirm the deletion" };

        return admin.Group("org", "Manage organizations and their members",
            admin.Command("list", "List organizations", async (r, a, o, ct) =>
                o.Table(await a.ListOrganizationsAsync(ct), "name", "email", "comment", "created")),
            admin.Command("show", "Show an organization", async (r, a, o, ct) => o.Record(await a.GetOrganizationAsync(r.GetRequiredValue(org), ct)), org),
            admin.Command("add", "Create an organization", async (r, a, o, ct) =>
            {
                var created = await a.CreateOrganizationAsync(r.GetRequiredValue(org), r.GetValue(email), r.GetValue(comment), r.GetValue(firstAdmin), ct);
                o.Done($"created organization '{created["name"]}'");
            }, org, email, comment, firstAdmin),
            admin.Command("rm", "Delete an organization (it must have no repositories)", async (r, a, o, ct) =>
            {
                await a.DeleteOrganizationAsync(Confirmed(r, yes, r.GetRequiredValue(org)), ct);
                o.Done($"deleted organization '{r.GetRequiredValue(org)}'");
            }, org, yes),
            admin.Command("members", "List an organization's members", async (r, a, o, ct) =>
                o.Table(await a.ListMembersAsync(r.GetRequiredValue(org), ct), "username", "role"), org),
            admin.Command("add-member", "Add a user to an organization, or change their role", async (r, a, o, ct) =>
            {
                await a.AddMemberAsync(r.GetRequiredValue(org), r.GetRequiredValue(user), r.GetValue(asAdmin) ? OrganizationRole.Admin : OrganizationRole.Member, ct);
                o.Done($"'{r.GetRequiredValue(user)}' is now {(r.GetValue(asAdmin) ? "an admin" : "a member")} of '{r.GetRequiredValue(org)}'");
            }, org, user, asAdmin),
            admin.Command("rm-member", "Remove a user from an organization", async (r, a, o, ct) =>
            {
                await a.RemoveMemberAsync(r.GetRequiredValue(org), r.GetRequiredValue(user), ct);
                o.Done($"removed '{r.GetRequiredValue(user)}' from '{r.GetRequiredValue(org)}'");
            }, org, user));
    }

    /// <summary>The name, when <c>--yes</c> confirms a deletion; refused otherwise.</summary>
    public static string Confirmed(ParseResult result, Option<bool> yes, string name) =>
        result.GetValue(yes) ? name : throw new AdminException($"deleting '{name}' cannot be undone; add --yes to confirm");
}
