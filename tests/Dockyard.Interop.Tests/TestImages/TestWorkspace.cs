using Dockyard.Testing;

namespace Dockyard.Interop.Tests.TestImages;

/// <summary>A temp folder for a test's OCI layouts, deleted on dispose; and the busybox layer the images share.</summary>
public sealed class TestWorkspace : IDisposable
{
    private static readonly Lazy<BusyboxLayer?> SharedLayer = new(() =>
        BusyboxLayer.FindBusybox() is { } path ? BusyboxLayer.Create(path) : null);

    public string Root { get; } = Directory.CreateTempSubdirectory("dockyard-interop-").FullName;

    /// <summary>The busybox layer; null (outside CI) when busybox-static is not installed.</summary>
    public static BusyboxLayer? Busybox()
    {
        if (SharedLayer.Value is null)
        {
            RequiredTool.Missing("busybox-static", $"no static busybox at {string.Join(" or ", BusyboxLayer.BusyboxPaths)}");
        }
        return SharedLayer.Value;
    }

    /// <summary>A fresh, not yet existing folder under the workspace.</summary>
    public string Folder(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
