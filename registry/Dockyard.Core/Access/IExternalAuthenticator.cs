namespace Dockyard.Core.Access;

/// <summary>The outcome of checking a user name and password with an identity provider.</summary>
public enum AuthenticationOutcome
{
    Succeeded,
    InvalidCredentials,
    /// <summary>The provider could not be asked (LDAP down); the caller answers 503, not 401.</summary>
    Unavailable,
}

/// <summary>
/// A directory that checks passwords for Dockyard (LDAP). Users it accepts are created in Dockyard on first login.
/// </summary>
public interface IExternalAuthenticator
{
    /// <summary>Checks the password; the e-mail is the directory's when it has one, else null.</summary>
    Task<(AuthenticationOutcome Outcome, string? Email)> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken);
}
