using System.Runtime.InteropServices;

namespace Dockyard.Ceph.Native;

/// <summary>
/// The librados C functions Dockyard uses (librados.so.2, Ceph 16+). Every call that returns int returns 0 (or a byte
/// count) on success and a negative errno on failure; <see cref="RadosErrors.Check"/> turns those into exceptions.
/// All calls block; callers run them on the thread pool.
/// </summary>
internal static unsafe partial class LibRados
{
    private const string Library = "librados.so.2";

    [LibraryImport(Library, EntryPoint = "rados_create2", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Create2(out RadosClusterHandle cluster, string clusterName, string userName, ulong flags);

    [LibraryImport(Library, EntryPoint = "rados_conf_read_file", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfReadFile(RadosClusterHandle cluster, string path);

    [LibraryImport(Library, EntryPoint = "rados_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(RadosClusterHandle cluster, string option, string value);

    [LibraryImport(Library, EntryPoint = "rados_connect")]
    internal static partial int Connect(RadosClusterHandle cluster);

    [LibraryImport(Library, EntryPoint = "rados_shutdown")]
    internal static partial void Shutdown(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rados_ioctx_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int IoctxCreate(RadosClusterHandle cluster, string poolName, out IntPtr ioctx);

    [LibraryImport(Library, EntryPoint = "rados_ioctx_destroy")]
    internal static partial void IoctxDestroy(IntPtr ioctx);

    [LibraryImport(Library, EntryPoint = "rados_ioctx_set_namespace", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void IoctxSetNamespace(RadosIoctxHandle ioctx, string? nameSpace);

    [LibraryImport(Library, EntryPoint = "rados_write_full", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int WriteFull(RadosIoctxHandle ioctx, string oid, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "rados_write", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Write(RadosIoctxHandle ioctx, string oid, byte* buffer, nuint length, ulong offset);

    [LibraryImport(Library, EntryPoint = "rados_append", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Append(RadosIoctxHandle ioctx, string oid, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "rados_read", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Read(RadosIoctxHandle ioctx, string oid, byte* buffer, nuint length, ulong offset);

    [LibraryImport(Library, EntryPoint = "rados_stat", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Stat(RadosIoctxHandle ioctx, string oid, out ulong size, out long modified);

    [LibraryImport(Library, EntryPoint = "rados_remove", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Remove(RadosIoctxHandle ioctx, string oid);

    [LibraryImport(Library, EntryPoint = "rados_nobjects_list_open")]
    internal static partial int ListOpen(RadosIoctxHandle ioctx, out IntPtr listing);

    [LibraryImport(Library, EntryPoint = "rados_nobjects_list_next")]
    internal static partial int ListNext(IntPtr listing, out IntPtr entry, IntPtr key, IntPtr nameSpace);

    [LibraryImport(Library, EntryPoint = "rados_nobjects_list_close")]
    internal static partial void ListClose(IntPtr listing);

    [LibraryImport(Library, EntryPoint = "rados_create_write_op")]
    internal static partial IntPtr CreateWriteOp();

    [LibraryImport(Library, EntryPoint = "rados_release_write_op")]
    internal static partial void ReleaseWriteOp(IntPtr op);

    [LibraryImport(Library, EntryPoint = "rados_write_op_assert_exists")]
    internal static partial void WriteOpAssertExists(IntPtr op);

    [LibraryImport(Library, EntryPoint = "rados_write_op_setxattr", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void WriteOpSetXattr(IntPtr op, string name, byte* value, nuint length);

    /// <summary>Runs the operation on <paramref name="oid"/>; <paramref name="mtime"/> null: the object's mtime becomes now.</summary>
    [LibraryImport(Library, EntryPoint = "rados_write_op_operate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int WriteOpOperate(IntPtr op, RadosIoctxHandle ioctx, string oid, IntPtr mtime, int flags);
}

/// <summary>A <c>rados_t</c>; releasing it shuts the client down (after every pool opened from it is closed).</summary>
internal sealed class RadosClusterHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibRados.Shutdown(handle);
        return true;
    }
}

/// <summary>
/// A <c>rados_ioctx_t</c>. It holds a reference on its cluster handle so that the cluster is shut down only after
/// the context is destroyed, whatever order the two are disposed in.
/// </summary>
internal sealed class RadosIoctxHandle : SafeHandle
{
    private readonly RadosClusterHandle cluster;

    public RadosIoctxHandle(RadosClusterHandle cluster, string poolName) : base(IntPtr.Zero, ownsHandle: true)
    {
        this.cluster = cluster;
        var added = false;
        cluster.DangerousAddRef(ref added);
        try
        {
            RadosErrors.Check(LibRados.IoctxCreate(cluster, poolName, out var ioctx), $"open pool {poolName}");
            SetHandle(ioctx);
        }
        catch
        {
            cluster.DangerousRelease();
            throw;
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibRados.IoctxDestroy(handle);
        cluster.DangerousRelease();
        return true;
    }
}
