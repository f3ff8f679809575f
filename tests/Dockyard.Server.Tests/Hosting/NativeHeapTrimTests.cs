using System.Runtime.InteropServices;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>The native heap trim the server runs while busy (<see cref="NativeHeapTrimService"/>).</summary>
public sealed class NativeHeapTrimTests
{
    private static readonly byte[] Block = Enumerable.Repeat((byte)1, 96 * 1024).ToArray();

    [Fact]
    public void Trimming_hands_freed_arena_memory_back_to_the_system()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "malloc_trim is glibc's");
        // Memory malloc'd and freed on a thread of its own stays in that thread's arena, as the JIT's scratch memory does;
        // a block still in use after it (the fence) keeps glibc from giving it back by itself when it is freed.
        var fence = IntPtr.Zero;
        var thread = new Thread(() =>
        {
            var blocks = new IntPtr[64];
            for (var i = 0; i < blocks.Length; i++)
            {
                blocks[i] = Marshal.AllocHGlobal(Block.Length);
                Marshal.Copy(Block, 0, blocks[i], Block.Length);
            }
            fence = Marshal.AllocHGlobal(64);
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }
        });
        thread.Start();
        thread.Join();
        var before = NativeHeapTrimService.ResidentBytes();
        Assert.True(NativeHeapTrimService.TryTrim());
        var after = NativeHeapTrimService.ResidentBytes();
        Marshal.FreeHGlobal(fence);
        Assert.True(after < before - (2 << 20), $"resident {before} bytes before the trim, {after} after");
    }

    [Fact]
    public async Task The_service_stops_with_the_host()
    {
        using var service = new NativeHeapTrimService(NullLogger<NativeHeapTrimService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(NativeHeapTrimService.Interval * 1.5);
        await service.StopAsync(CancellationToken.None);
        Assert.True(service.ExecuteTask!.IsCompleted);
    }
}
