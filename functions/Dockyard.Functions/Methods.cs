namespace Dockyard.Functions;

/// <summary>The HTTP methods of trigger attributes (constants, as attributes need). GET always comes with HEAD, as in the route table.</summary>
internal static class Methods
{
    public const string Get = "get";
    public const string Head = "head";
    public const string Post = "post";
    public const string Put = "put";
    public const string Patch = "patch";
    public const string Delete = "delete";
}
