using System.DirectoryServices.Protocols;
using System.Net;
using Dockyard.Core.Access;
using Microsoft.Extensions.Logging;

namespace Dockyard.Ldap;

/// <summary>
/// Checks a password by binding to the directory as the user (<see cref="LdapBindName"/>), then reads the entry's
/// <c>mail</c>. Wrong password, unknown user, an empty password or a name with characters outside <c>[a-z0-9._-]</c>
/// are <see cref="AuthenticationOutcome.InvalidCredentials"/> (the last two never reach the directory); a directory
/// that cannot be reached or answers with anything else within the timeout is <see cref="AuthenticationOutcome.Unavailable"/>.
/// </summary>
public sealed partial class LdapAuthenticator : IExternalAuthenticator
{
    // noSuchObject, invalidDNSyntax, inappropriateAuthentication, invalidCredentials: the name or password is wrong.
    private static readonly int[] RejectedCodes = [32, 34, 48, 49];

    private readonly LdapAuthenticatorOptions options;
    private readonly ILogger<LdapAuthenticator> logger;

    /// <exception cref="ArgumentException">The options are invalid (the message names the <c>[authn_ldap]</c> keys).</exception>
    public LdapAuthenticator(LdapAuthenticatorOptions options, ILogger<LdapAuthenticator> logger)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }
        if (options.UseTls && options.InsecureTlsSkipVerify && !LdapNative.IsAvailable)
        {
            throw new ArgumentException("[authn_ldap] insecuretlsskipverify = yes: not supported with this system's libldap", nameof(options));
        }
        this.options = options;
        this.logger = logger;
    }

    public async Task<(AuthenticationOutcome Outcome, string? Email)> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        // An empty password would be an anonymous ("unauthenticated") bind, which many servers accept.
        if (string.IsNullOrEmpty(password) || password.Contains('\0') || LdapBindName.For(userName, options) is not { } bindName)
        {
            return (AuthenticationOutcome.InvalidCredentials, null);
        }
        try
        {
            // The native calls block and cannot be cancelled; the deadline bounds the wait even if libldap does not.
            return await Task.Run(() => Bind(bindName, password), CancellationToken.None)
                .WaitAsync(options.Timeout + TimeSpan.FromSeconds(1), cancellationToken);
        }
        catch (TimeoutException)
        {
            LogUnavailable(logger, options.Address, "no answer within " + options.Timeout.TotalSeconds + " s");
            return (AuthenticationOutcome.Unavailable, null);
        }
    }

    private (AuthenticationOutcome, string?) Bind(string bindName, string password)
    {
        try
        {
            using var connection = Connect();
            connection.Bind(new NetworkCredential(bindName, password));
            return (AuthenticationOutcome.Succeeded, ReadMail(connection, bindName));
        }
        catch (LdapException e) when (RejectedCodes.Contains(e.ErrorCode))
        {
            LogRejected(logger, bindName, e.ErrorCode);
            return (AuthenticationOutcome.InvalidCredentials, null);
        }
        catch (Exception e)
        {
            // Connection refused, timeouts, TLS failures, a missing libldap: never an error page, always "try later".
            LogUnavailable(logger, options.Address, e is LdapException l ? $"{l.Message} (LDAP error {l.ErrorCode}) {l.ServerErrorMessage}" : e.Message);
            return (AuthenticationOutcome.Unavailable, null);
        }
    }

    private LdapConnection Connect()
    {
        var connection = new LdapConnection(new LdapDirectoryIdentifier(options.Host, options.Port, fullyQualifiedDnsHostName: false, connectionless: false))
        {
            AuthType = AuthType.Basic,
            AutoBind = false,
            Timeout = options.Timeout,
        };
        try
        {
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            LdapNative.TrySetConnectTimeout(connection, options.Timeout);
            if (options.UseTls)
            {
                connection.SessionOptions.SecureSocketLayer = true;
                if (options.InsecureTlsSkipVerify)
                {
                    LdapNative.SkipCertificateVerification(connection);
                }
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The entry's <c>mail</c>, or null when it has none or it cannot be read (the login still succeeds).</summary>
    private string? ReadMail(LdapConnection connection, string bindName)
    {
        try
        {
            var request = options.DomainIsBaseDn
                ? new SearchRequest(bindName, "(objectClass=*)", SearchScope.Base, "mail")
                : new SearchRequest(NamingContext(connection), LdapBindName.UpnFilter(bindName), SearchScope.Subtree, "mail") { SizeLimit = 1 };
            request.TimeLimit = options.Timeout;
            var response = (SearchResponse)connection.SendRequest(request, options.Timeout);
            return response.Entries.Count > 0 && response.Entries[0].Attributes["mail"] is { Count: > 0 } mail ? mail[0] as string : null;
        }
        catch (Exception e) when (e is LdapException or DirectoryOperationException or InvalidCastException)
        {
            LogNoMail(logger, bindName, e.Message);
            return null;
        }
    }

    /// <summary>Active Directory announces its naming context in the root DSE; else it is derived from the domain.</summary>
    private string NamingContext(LdapConnection connection)
    {
        var request = new SearchRequest("", "(objectClass=*)", SearchScope.Base, "defaultNamingContext") { TimeLimit = options.Timeout };
        var response = (SearchResponse)connection.SendRequest(request, options.Timeout);
        return response.Entries.Count > 0 && response.Entries[0].Attributes["defaultNamingContext"] is { Count: > 0 } context && context[0] is string dn
            ? dn
            : LdapBindName.DomainToBaseDn(options.Domain);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LDAP directory {Address} unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string address, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LDAP bind as '{BindName}' rejected (LDAP error {Code})")]
    private static partial void LogRejected(ILogger logger, string bindName, int code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LDAP bind as '{BindName}' succeeded but its mail could not be read: {Reason}")]
    private static partial void LogNoMail(ILogger logger, string bindName, string reason);
}
