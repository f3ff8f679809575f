using Dockyard.Core.Errors;

namespace Dockyard.Ceph.Native;

/// <summary>A librados call failed with <see cref="Errno"/>; an <see cref="IOException"/> so callers treat it as storage I/O.</summary>
public class RadosException(int errno, string message) : IOException(message)
{
    /// <summary>The positive errno librados returned (negated).</summary>
    public int Errno { get; } = errno;
}

/// <summary>The object does not exist (ENOENT).</summary>
public sealed class RadosObjectNotFoundException(string message) : RadosException(RadosErrors.ENoEnt, message);

/// <summary>
/// The cluster could not serve the call now (timeout, no connection, an OSD or monitor down); retryable, so it is a
/// <see cref="StorageUnavailableException"/> that the HTTP layer answers with 503.
/// </summary>
public sealed class RadosUnavailableException(int errno, string message) : StorageUnavailableException(message, backend: "rados")
{
    /// <summary>The positive errno librados returned (negated).</summary>
    public int Errno { get; } = errno;
}

/// <summary>Maps librados return codes (negative errno) to exceptions.</summary>
internal static class RadosErrors
{
    public const int ENoEnt = 2;
    private const int EIo = 5, EAgain = 11, ENetDown = 100, ENetUnreach = 101, EConnAborted = 103, EConnReset = 104,
        ENotConn = 107, EShutdown = 108, ETimedOut = 110, EConnRefused = 111, EHostDown = 112, EHostUnreach = 113, ECanceled = 125,
        ENoSpc = 28, EDQuot = 122;

    // A full cluster or a pool over its quota is an operator's to fix, as a full local disk is: the write left nothing
    // visible and succeeds once there is room, so it is a 503 to retry, not a 500.
    private static readonly HashSet<int> Transient =
        [EIo, EAgain, ENetDown, ENetUnreach, EConnAborted, EConnReset, ENotConn, EShutdown, ETimedOut, EConnRefused, EHostDown, EHostUnreach, ECanceled,
            ENoSpc, EDQuot];

    /// <summary>Returns <paramref name="result"/> when it is not negative; otherwise throws for -errno.</summary>
    /// <param name="what">What was attempted, for the message ("write blob.sha256.ab….0").</param>
    public static int Check(int result, string what) => result >= 0 ? result : throw For(-result, what);

    public static bool IsTransient(int errno) => Transient.Contains(errno);

    public static Exception For(int errno, string what)
    {
        var message = $"rados: {what}: {Describe(errno)}";
        if (errno == ENoEnt)
        {
            return new RadosObjectNotFoundException(message);
        }
        return IsTransient(errno) ? new RadosUnavailableException(errno, message) : new RadosException(errno, message);
    }

    /// <summary>strerror text plus the errno name's number, e.g. "Connection timed out (errno 110)".</summary>
    public static string Describe(int errno) => $"{new System.ComponentModel.Win32Exception(errno).Message} (errno {errno})";
}
