namespace Dockyard.MySql;

/// <summary>
/// Selects the rows of one namespace's repositories by a range on the <c>repository</c> key ('0' is the character after
/// '/', and the binary collation compares bytes), so the primary key's index answers it: the repository named like the
/// namespace and those under <c>ns/</c>.
/// </summary>
internal static class MySqlNamespace
{
    public const string Condition = "(repository = @ns OR (repository >= @from AND repository < @to))";

    public static (string, object?)[] Parameters(string @namespace) => [("@ns", @namespace), ("@from", @namespace + "/"), ("@to", @namespace + "0")];
}
