namespace Dockyard.Local.FileSystem;

/// <summary>
/// Removes an upload's staging folder. Unlinking a large part is slow on a file system that trims freed blocks as it
/// frees them (mounted with <c>discard</c>, no journal to defer it): 0.25–0.30 s per GiB on this project's VMs, paid by
/// the request that publishes a blob which exists already (its staged copy is thrown away). So a folder holding at
/// least <see cref="DeferredBytes"/> is first renamed to a fresh id, which ends the upload at once (a write to it finds
/// no folder), and emptied off the request path; a crash meanwhile leaves an orphan staging folder, which the upload
/// purge removes like any abandoned upload (<see cref="FileSystemBlobStore.ListUploadsWrittenBeforeAsync"/>).
/// </summary>
internal static class StagingFolders
{
    /// <summary>Below this many staged bytes the folder is removed before the call returns.</summary>
    internal const long DeferredBytes = 16L << 20;

    /// <summary>Removes <paramref name="folder"/> (holding about <paramref name="stagedBytes"/>) now or off the request path.</summary>
    public static void Remove(string folder, long stagedBytes)
    {
        if (stagedBytes < DeferredBytes)
        {
            Delete(folder);
            return;
        }
        var renamed = Path.Combine(Path.GetDirectoryName(folder)!, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.Move(folder, renamed);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (IOException)
        {
            Delete(folder);
            return;
        }
        _ = Task.Run(() =>
        {
            try
            {
                Delete(renamed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the upload purge.
            }
        });
    }

    /// <summary>Removes a staging folder with everything in it; no error when it is gone.</summary>
    public static void Delete(string folder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A part created while the folder was being emptied ("directory not empty"): empty it again.
            }
        }
    }
}
