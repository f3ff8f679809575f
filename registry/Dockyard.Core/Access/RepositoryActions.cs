namespace Dockyard.Core.Access;

/// <summary>What a caller may do on a repository, named as in Docker token scopes (<c>pull</c>, <c>push</c>, <c>delete</c>).</summary>
[Flags]
public enum RepositoryActions
{
    None = 0,
    Pull = 1,
    Push = 2,
    Delete = 4,
    All = Pull | Push | Delete,
}

public static class RepositoryActionNames
{
    /// <summary>Parses a scope's comma-separated actions; <c>*</c> means all; unknown names are ignored (as distribution does).</summary>
    public static RepositoryActions Parse(string actions)
    {
        var result = RepositoryActions.None;
        foreach (var action in actions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= action switch
            {
                "pull" => RepositoryActions.Pull,
                "push" => RepositoryActions.Push,
                "delete" => RepositoryActions.Delete,
                "*" => RepositoryActions.All,
                _ => RepositoryActions.None,
            };
        }
        return result;
    }

    public static IReadOnlyList<string> Format(RepositoryActions actions)
    {
        var names = new List<string>(3);
        if (actions.HasFlag(RepositoryActions.Pull))
        {
            names.Add("pull");
        }
        if (actions.HasFlag(RepositoryActions.Push))
        {
            names.Add("push");
        }
        if (actions.HasFlag(RepositoryActions.Delete))
        {
            names.Add("delete");
        }
        return names;
    }
}
