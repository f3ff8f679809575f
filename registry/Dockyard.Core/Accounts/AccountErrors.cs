using Dockyard.Core.Errors;

namespace Dockyard.Core.Accounts;

/// <summary>The errors UAM operations answer with, worded for the API's users.</summary>
internal static class AccountErrors
{
    public static RegistryException NotFound(string kind, string name) =>
        new(RegistryErrorCode.NotFound, $"{kind} '{name}' does not exist", new { kind, name });

    public static RegistryException Conflict(string message, object? detail = null) =>
        new(RegistryErrorCode.Conflict, message, detail);

    /// <summary>A user or organization name held by another account, or by repositories no account owns (the same answer for both).</summary>
    public static RegistryException NameTaken(string name) =>
        Conflict($"the name '{name}' is already taken by a user, an organization or existing repositories", new { field = "name" });

    public static RegistryException Denied(string message) =>
        new(RegistryErrorCode.Denied, message);
}
