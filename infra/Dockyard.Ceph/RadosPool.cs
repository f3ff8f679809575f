using System.Runtime.InteropServices;
using Dockyard.Ceph.Native;

namespace Dockyard.Ceph;

/// <summary>
/// Object operations on one pool (and namespace) through a <c>rados_ioctx_t</c>. Every method blocks until the
/// cluster answers (bounded by the cluster's operation timeout); async callers run them on the thread pool.
/// Thread-safe. Missing objects throw <see cref="RadosObjectNotFoundException"/> unless a method says otherwise.
/// </summary>
public sealed unsafe class RadosPool : IDisposable
{
    /// <summary>RADOS refuses larger single writes (osd_max_write_size, 90 MiB).</summary>
    public const int MaxWriteBytes = 90 << 20;

    private readonly RadosIoctxHandle ioctx;

    internal RadosPool(RadosIoctxHandle ioctx, string? nameSpace)
    {
        this.ioctx = ioctx;
        if (!string.IsNullOrEmpty(nameSpace))
        {
            LibRados.IoctxSetNamespace(ioctx, nameSpace);
        }
    }

    /// <summary>Creates or replaces <paramref name="oid"/> with exactly <paramref name="data"/> (at most 90 MiB).</summary>
    public void WriteFull(string oid, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxWriteBytes);
        byte empty = 0;
        fixed (byte* p = data)
        {
            RadosErrors.Check(LibRados.WriteFull(ioctx, oid, p == null ? &empty : p, (nuint)data.Length), $"write {oid}");
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> (at most 90 MiB) at <paramref name="offset"/> of <paramref name="oid"/>, creating it
    /// when missing; bytes around the range are kept.
    /// </summary>
    public void Write(string oid, ReadOnlySpan<byte> data, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxWriteBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        fixed (byte* p = data)
        {
            RadosErrors.Check(LibRados.Write(ioctx, oid, p, (nuint)data.Length, (ulong)offset), $"write {oid} at {offset}");
        }
    }

    /// <summary>Appends to <paramref name="oid"/>, creating it when missing; one append is atomic.</summary>
    public void Append(string oid, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxWriteBytes);
        fixed (byte* p = data)
        {
            RadosErrors.Check(LibRados.Append(ioctx, oid, p, (nuint)data.Length), $"append to {oid}");
        }
    }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns how many there were.</summary>
    public int Read(string oid, Span<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            return RadosErrors.Check(LibRados.Read(ioctx, oid, p, (nuint)buffer.Length, (ulong)offset), $"read {oid}");
        }
    }

    /// <summary>The whole object (small objects only: indexes); null when it does not exist.</summary>
    public byte[]? ReadAll(string oid)
    {
        if (Stat(oid) is not { } size)
        {
            return null;
        }
        var buffer = new byte[size];
        try
        {
            var n = size == 0 ? 0 : Read(oid, buffer, 0);
            return n == size ? buffer : buffer[..n];
        }
        catch (RadosObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The size of <paramref name="oid"/>; null when it does not exist.</summary>
    public long? Stat(string oid)
    {
        var result = LibRados.Stat(ioctx, oid, out var size, out _);
        if (result == -RadosErrors.ENoEnt)
        {
            return null;
        }
        RadosErrors.Check(result, $"stat {oid}");
        return (long)size;
    }

    /// <summary>When <paramref name="oid"/> was last written, to the second; null when it does not exist.</summary>
    public DateTimeOffset? Modified(string oid)
    {
        var result = LibRados.Stat(ioctx, oid, out _, out var modified);
        if (result == -RadosErrors.ENoEnt)
        {
            return null;
        }
        RadosErrors.Check(result, $"stat {oid}");
        return DateTimeOffset.FromUnixTimeSeconds(modified);
    }

    /// <summary>Removes <paramref name="oid"/>; false when it did not exist.</summary>
    public bool Remove(string oid)
    {
        var result = LibRados.Remove(ioctx, oid);
        return result != -RadosErrors.ENoEnt && RadosErrors.Check(result, $"remove {oid}") >= 0;
    }

    /// <summary>The names of every object in this pool's namespace (a full scan: for tests and maintenance only).</summary>
    public IReadOnlyList<string> ListObjects()
    {
        var names = new List<string>();
        ForEachObject(names.Add);
        return names;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with the name of every object in this pool's namespace, in no particular order,
    /// holding none of them (a full scan: for maintenance only).
    /// </summary>
    public void ForEachObject(Action<string> visit)
    {
        RadosErrors.Check(LibRados.ListOpen(ioctx, out var listing), "list objects");
        try
        {
            while (true)
            {
                var result = LibRados.ListNext(listing, out var entry, IntPtr.Zero, IntPtr.Zero);
                if (result == -RadosErrors.ENoEnt)
                {
                    return;
                }
                RadosErrors.Check(result, "list objects");
                visit(Marshal.PtrToStringUTF8(entry)!);
            }
        }
        finally
        {
            LibRados.ListClose(listing);
        }
    }

    /// <summary>
    /// Sets the extended attribute <paramref name="name"/> of an existing object, which also moves its modification
    /// time to now; false (and no object created) when <paramref name="oid"/> does not exist.
    /// </summary>
    public bool SetAttributeIfExists(string oid, string name, ReadOnlySpan<byte> value)
    {
        var op = LibRados.CreateWriteOp();
        try
        {
            LibRados.WriteOpAssertExists(op);
            byte empty = 0;
            fixed (byte* p = value)
            {
                LibRados.WriteOpSetXattr(op, name, p == null ? &empty : p, (nuint)value.Length);
                var result = LibRados.WriteOpOperate(op, ioctx, oid, IntPtr.Zero, 0);
                return result != -RadosErrors.ENoEnt && RadosErrors.Check(result, $"set attribute {name} of {oid}") >= 0;
            }
        }
        finally
        {
            LibRados.ReleaseWriteOp(op);
        }
    }

    public void Dispose() => ioctx.Dispose();
}
