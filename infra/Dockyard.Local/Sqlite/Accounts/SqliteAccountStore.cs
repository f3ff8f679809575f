using Dockyard.Core.Accounts;

namespace Dockyard.Local.Sqlite.Accounts;

/// <summary>UAM entities in the same SQLite file as the registry metadata; user and organization names share the namespaces table.</summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS namespaces (name TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS users (
            name TEXT NOT NULL PRIMARY KEY, email TEXT, password_hash TEXT, real_name TEXT, comment TEXT,
            is_admin INTEGER NOT NULL, source TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS organizations (
            name TEXT NOT NULL PRIMARY KEY, email TEXT, comment TEXT, url TEXT, location TEXT,
            member_privilege INTEGER NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS organization_members (
            organization TEXT NOT NULL, user TEXT NOT NULL, role INTEGER NOT NULL,
            PRIMARY KEY (organization, user)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS teams (
            organization TEXT NOT NULL, name TEXT NOT NULL, comment TEXT,
            PRIMARY KEY (organization, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS team_members (
            organization TEXT NOT NULL, team TEXT NOT NULL, user TEXT NOT NULL, role INTEGER NOT NULL,
            PRIMARY KEY (organization, team, user)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS team_members_by_user ON team_members (organization, user);
        CREATE TABLE IF NOT EXISTS team_repositories (
            organization TEXT NOT NULL, team TEXT NOT NULL, repository TEXT NOT NULL, permit INTEGER NOT NULL,
            PRIMARY KEY (organization, team, repository)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS team_repositories_by_repository ON team_repositories (organization, repository);
        CREATE TABLE IF NOT EXISTS repository_policies (
            namespace TEXT NOT NULL, name TEXT NOT NULL, is_public INTEGER NOT NULL, comment TEXT, created_at TEXT NOT NULL,
            PRIMARY KEY (namespace, name)) WITHOUT ROWID;
        """;

    public SqliteAccountStore(SqliteDatabase db)
    {
        db.EnsureSchema(Schema);
        // Files from before repositories had owners: a null owner is resolved by the legacy rule in AccessPolicy.
        db.EnsureColumn("repository_policies", "owner", "TEXT");
        Users = new SqliteUserStore(db);
        Organizations = new SqliteOrganizationStore(db);
        Teams = new SqliteTeamStore(db);
        Repositories = new SqliteRepositoryPolicyStore(db);
    }

    public IUserStore Users { get; }

    public IOrganizationStore Organizations { get; }

    public ITeamStore Teams { get; }

    public IRepositoryPolicyStore Repositories { get; }
}
