namespace Dockyard.FunctionsHost.Tests;

/// <summary>Linux process facts from /proc: the peak resident set and a process's children.</summary>
internal static class ProcessMemory
{
    /// <summary>VmHWM, the peak resident set size since the process started, in bytes.</summary>
    public static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The pids whose parent is <paramref name="pid"/> (field 4 of /proc/PID/stat, after the command in parentheses).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var candidate))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(candidate);
                }
            }
            catch (IOException)
            {
                // The process ended while listing.
            }
        }
        return children;
    }

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MiB";
}
