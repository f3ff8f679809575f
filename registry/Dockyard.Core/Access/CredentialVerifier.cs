using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Core.Accounts;
using Dockyard.Core.Telemetry;

namespace Dockyard.Core.Access;

/// <summary>
/// The result of checking credentials: the principal, or why not. <paramref name="Throttled"/>: refused without checking the
/// password, because of too many failures (<see cref="LoginThrottle"/>) or because no check slot came free in time
/// (<see cref="PasswordCheckSlots"/>); the caller answers 429.
/// </summary>
public sealed record CredentialCheck(AuthenticationOutcome Outcome, Principal? Principal, bool Throttled = false);

/// <summary>
/// Checks a user name and password against Dockyard's users (authn_db) or an external directory (authn_ldap),
/// with throttling of failures. Basic auth arrives on every request and PBKDF2 is slow on purpose, so a success is
/// remembered for a minute under an HMAC of the credentials (never the password itself), together with the stored
/// hash it was checked against: a remembered success counts only while the user still has that hash, so a changed
/// password (on any node) stops the old one at once. Checks that do reach the password take a slot of
/// <paramref name="slots"/> (the shared one in the registry; a private default when null) and look at the throttle again
/// once they have it, so that concurrent wrong guesses cannot all slip past a count they are about to raise.
/// </summary>
public sealed class CredentialVerifier(IAccountStore accounts, LoginThrottle throttle, TimeProvider time, IExternalAuthenticator? external = null,
    PasswordCheckSlots? slots = null)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    private static readonly CredentialCheck Refused = new(AuthenticationOutcome.InvalidCredentials, null, Throttled: true);
    // Made at the first password check: the process's first use of the crypto library loads OpenSSL, which every start
    // (a standalone one too) paid before its first answer.
    private byte[]? cacheKey;
    private readonly ConcurrentDictionary<string, (Principal Principal, string? PasswordHash, DateTimeOffset Expires)> recent = new(StringComparer.Ordinal);
    private readonly PasswordCheckSlots checkSlots = slots ?? new PasswordCheckSlots();
    private long passwordChecks;

    /// <summary>True when passwords are checked by an external directory (LDAP), which is then where accounts come from.</summary>
    public bool UsesExternalDirectory => external is not null;

    /// <summary>How many passwords were actually checked (a PBKDF2 run or a directory bind); remembered successes and
    /// refused attempts do not count. For tests and diagnostics.</summary>
    public long PasswordChecks => Interlocked.Read(ref passwordChecks);

    /// <param name="address">The client's address as the host sees it; null when unknown (counted as one address).</param>
    public async Task<CredentialCheck> VerifyAsync(string userName, string password, string? address, CancellationToken cancellationToken)
    {
        var key = LazyInitializer.EnsureInitialized(ref cacheKey, () => RandomNumberGenerator.GetBytes(32));
        var fingerprint = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(userName + "\0" + password)));
        if (await RememberedAsync(fingerprint, userName, cancellationToken) is { } remembered)
        {
            return remembered;
        }
        if (await throttle.IsBlockedAsync(userName, address, cancellationToken))
        {
            return Throttled();
        }
        using var slot = await checkSlots.EnterAsync(userName, cancellationToken);
        if (slot is null)
        {
            return Throttled();
        }
        // While this one waited, checks of the same user may have finished: a success is remembered, failures counted.
        if (await RememberedAsync(fingerprint, userName, cancellationToken) is { } meanwhile)
        {
            return meanwhile;
        }
        if (await throttle.IsBlockedAsync(userName, address, cancellationToken))
        {
            return Throttled();
        }
        Interlocked.Increment(ref passwordChecks);
        var (outcome, principal, hash) = external is null
            ? await VerifyLocalAsync(userName, password, cancellationToken)
            : await VerifyExternalAsync(userName, password, cancellationToken);
        if (outcome == AuthenticationOutcome.InvalidCredentials)
        {
            // Not cancellable: a guesser who hangs up once the answer is computed must still be counted.
            await throttle.RecordFailureAsync(userName, address, CancellationToken.None);
            RegistryMeter.LoginFailed();
        }
        if (principal is not null)
        {
            await throttle.RecordSuccessAsync(userName, address, CancellationToken.None);
            if (recent.Count > 10_000)
            {
                recent.Clear();
            }
            recent[fingerprint] = (principal, hash, time.GetUtcNow() + CacheLifetime);
        }
        return new CredentialCheck(outcome, principal);
    }

    private static CredentialCheck Throttled()
    {
        RegistryMeter.LoginThrottled();
        return Refused;
    }

    private async Task<CredentialCheck?> RememberedAsync(string fingerprint, string userName, CancellationToken cancellationToken)
    {
        if (!recent.TryGetValue(fingerprint, out var cached) || cached.Expires <= time.GetUtcNow())
        {
            return null;
        }
        // One keyed read instead of a KDF run; the user may have changed their password or been made admin since.
        if (await accounts.Users.GetAsync(userName, cancellationToken) is { } current && current.PasswordHash == cached.PasswordHash)
        {
            return new CredentialCheck(AuthenticationOutcome.Succeeded, new Principal(current.Name, current.IsAdmin));
        }
        recent.TryRemove(fingerprint, out _);
        return null;
    }

    private async Task<(AuthenticationOutcome, Principal?, string?)> VerifyLocalAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = await accounts.Users.GetAsync(userName, cancellationToken);
        // Hash even for unknown users so that timing does not reveal which names exist.
        var stored = user?.PasswordHash ?? DecoyHash.Value;
        var valid = PasswordHasher.Verify(password, stored) && user?.PasswordHash is not null;
        return valid
            ? (AuthenticationOutcome.Succeeded, new Principal(user!.Name, user.IsAdmin), user.PasswordHash)
            : (AuthenticationOutcome.InvalidCredentials, null, null);
    }

    private async Task<(AuthenticationOutcome, Principal?, string?)> VerifyExternalAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var (outcome, email) = await external!.AuthenticateAsync(userName, password, cancellationToken);
        if (outcome != AuthenticationOutcome.Succeeded)
        {
            return (outcome, null, null);
        }
        var user = await accounts.Users.GetAsync(userName, cancellationToken);
        if (user is null)
        {
            user = new User(userName, email, null, null, "created at first LDAP login", false, User.LdapSource, time.GetUtcNow());
            if (!await accounts.Users.TryCreateAsync(user, cancellationToken))
            {
                // An organization holds the name, or another node created the user first.
                user = await accounts.Users.GetAsync(userName, cancellationToken);
                if (user is null)
                {
                    return (AuthenticationOutcome.InvalidCredentials, null, null);
                }
            }
        }
        return (AuthenticationOutcome.Succeeded, new Principal(user.Name, user.IsAdmin), user.PasswordHash);
    }

    private static readonly Lazy<string> DecoyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));
}
