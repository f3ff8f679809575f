namespace Dockyard.Core.Accounts;

/// <summary>
/// A Dockyard user. <see cref="PasswordHash"/> is null for users who authenticate elsewhere (LDAP); it is a
/// self-describing PBKDF2 string otherwise (see <see cref="PasswordHasher"/>).
/// </summary>
public sealed record User(
    string Name,
    string? Email,
    string? PasswordHash,
    string? RealName,
    string? Comment,
    bool IsAdmin,
    string Source,
    DateTimeOffset CreatedAt)
{
    public const string DatabaseSource = "db";
    public const string LdapSource = "ldap";
}

/// <summary>What ordinary members may do on an organization's repositories (the original API's numeric codes).</summary>
public enum MemberPrivilege
{
    Write = 2,
    Read = 3,
    None = 4,
}

/// <summary>A member's role in an organization (admin=3, member=4).</summary>
public enum OrganizationRole
{
    Admin = 3,
    Member = 4,
}

/// <summary>A member's role in a team (admin=5, member=6).</summary>
public enum TeamRole
{
    Admin = 5,
    Member = 6,
}

/// <summary>What a team grants its members on one repository (WRITE=2 read-write, READ=3 read).</summary>
public enum TeamPermit
{
    Write = 2,
    Read = 3,
}

public sealed record Organization(
    string Name,
    string? Email,
    string? Comment,
    string? Url,
    string? Location,
    MemberPrivilege MemberPrivilege,
    DateTimeOffset CreatedAt);

public sealed record OrganizationMember(string Organization, string User, OrganizationRole Role);

public sealed record Team(string Organization, string Name, string? Comment);

public sealed record TeamMember(string Organization, string Team, string User, TeamRole Role);

/// <summary>A team's grant on a repository of its organization; <see cref="Repository"/> is the name inside the organization.</summary>
public sealed record TeamRepository(string Organization, string Team, string Repository, TeamPermit Permit);

/// <summary>
/// A repository as UAM sees it: in namespace <see cref="Namespace"/> (the first path component of its full name),
/// public or private, owned by the account <see cref="Owner"/> — the user or organization that held the namespace when
/// the repository was created, or the administrator who pushed it into a namespace no account held. A null owner is
/// a record written before owners were kept; <see cref="Access.AccessPolicy"/> resolves it by creation times.
/// </summary>
public sealed record RepositoryPolicy(string Namespace, string Name, bool IsPublic, string? Comment, DateTimeOffset CreatedAt, string? Owner = null)
{
    public string FullName => Namespace + "/" + Name;
}
