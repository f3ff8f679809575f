using System.DirectoryServices.Protocols;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Dockyard.Ldap;

/// <summary>
/// Two OpenLDAP options that <see cref="LdapSessionOptions"/> does not expose on Linux, set on one connection's own
/// handle (never process-wide): the TCP connect timeout, and "never verify the server certificate" for
/// <c>insecuretlsskipverify = yes</c> (the managed <c>VerifyServerCertificate</c> callback is Windows-only).
/// </summary>
internal static unsafe class LdapNative
{
    private const int OptNetworkTimeout = 0x5005;
    private const int OptTlsRequireCert = 0x6006;
    private const int TlsNever = 0;

    // The same libraries System.DirectoryServices.Protocols probes for.
    private static readonly string[] Libraries = ["libldap.so.2", "libldap-2.6.so.0", "libldap-2.5.so.0", "libldap-2.4.so.2"];
    private static readonly FieldInfo? HandleField = typeof(LdapConnection).GetField("_ldapHandle", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly Lazy<IntPtr> SetOption = new(FindSetOption);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public nint Seconds;
        public nint Microseconds;
    }

    /// <summary>True when options can be set on a connection's handle (checked at start-up for insecuretlsskipverify).</summary>
    public static bool IsAvailable => OperatingSystem.IsWindows() || (HandleField is not null && SetOption.Value != IntPtr.Zero);

    /// <summary>Limits connecting to <paramref name="timeout"/>; false when it could not be set (the caller's own deadline still holds).</summary>
    public static bool TrySetConnectTimeout(LdapConnection connection, TimeSpan timeout)
    {
        var value = new TimeVal { Seconds = (nint)timeout.TotalSeconds, Microseconds = timeout.Milliseconds * 1000 };
        return Set(connection, OptNetworkTimeout, &value);
    }

    /// <summary>Accepts any server certificate on this connection; then a new TLS context must be started.</summary>
    public static void SkipCertificateVerification(LdapConnection connection)
    {
        if (OperatingSystem.IsWindows())
        {
            connection.SessionOptions.VerifyServerCertificate = (_, _) => true;
            return;
        }
        var never = TlsNever;
        if (!Set(connection, OptTlsRequireCert, &never))
        {
            throw new LdapException("cannot turn off certificate verification (libldap option not settable)");
        }
        connection.SessionOptions.StartNewTlsSessionContext();
    }

    private static bool Set(LdapConnection connection, int option, void* value)
    {
        if (OperatingSystem.IsWindows() || HandleField?.GetValue(connection) is not SafeHandle handle || SetOption.Value == IntPtr.Zero)
        {
            return false;
        }
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var setOption = (delegate* unmanaged<IntPtr, int, void*, int>)SetOption.Value;
            return setOption(handle.DangerousGetHandle(), option, value) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static IntPtr FindSetOption()
    {
        foreach (var name in Libraries)
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "ldap_set_option", out var export))
            {
                return export;
            }
        }
        return IntPtr.Zero;
    }
}
