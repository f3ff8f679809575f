namespace Dockyard.Core.Errors;

/// <summary>
/// A client-visible failure of a registry operation. The HTTP layer turns it into the spec's
/// <c>{"errors":[…]}</c> envelope; anything else escaping a handler is a server fault.
/// </summary>
public sealed class RegistryException(RegistryErrorCode code, string message, object? detail = null)
    : Exception(message)
{
    public RegistryErrorCode Code { get; } = code;

    /// <summary>Structured detail for the error body; null when there is nothing to add.</summary>
    public object? Detail { get; } = detail;
}
