using System.Net.Sockets;
using Dockyard.Core.Errors;
using MySqlConnector;

namespace Dockyard.MySql;

/// <summary>Tells the MySQL failures that may pass (no server, no connection slot, a lock) from errors in a statement.</summary>
internal static class MySqlFaults
{
    /// <summary>
    /// True for a server that cannot be reached or went away (connection refused or reset, a timeout, shutdown), one
    /// that has no connection left for us (max_connections, or the account's max_user_connections), and a lock that was not granted (deadlock, lock wait timeout). A constraint,
    /// a wrong statement or a missing table stays what it is: a bug to see, not a 503.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        MySqlException m => m.IsTransient || m.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ConnectionCountError
            or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.UserLimitReached or MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout
            or MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.ServerShutdown or MySqlErrorCode.QueryInterrupted
            || m.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A deadlock rolls the whole transaction back; running it again is InnoDB's advice and usually succeeds.</summary>
    public static bool IsDeadlock(Exception e) => e is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock };

    public static bool IsDuplicateKey(MySqlException e) => e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry;

    public static StorageUnavailableException Unavailable(Exception e) =>
        new($"the MySQL metadata database is unavailable: {e.Message}", e, "mysql");
}
