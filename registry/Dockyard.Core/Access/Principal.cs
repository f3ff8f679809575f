namespace Dockyard.Core.Access;

/// <summary>Who is calling: a user (possibly a registry administrator) or, with a null name, anonymous.</summary>
public sealed record Principal(string? UserName, bool IsAdmin)
{
    public static readonly Principal Anonymous = new(null, false);

    public bool IsAnonymous => UserName is null;
}
