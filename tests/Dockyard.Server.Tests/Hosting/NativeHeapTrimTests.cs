using System.Runtime.InteropServices;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// Tests that measure this process's resident memory, so no other test may allocate meanwhile: xunit runs this collection
/// after the parallel ones, alone.
/// </summary>
[CollectionDefinition(nameof(SoloResidentMemoryCollection), DisableParallelization = true)]
public sealed class SoloResidentMemoryCollection;

/// <summary>The native heap trim the server runs when its memory grew (<see cref="NativeHeapTrimService"/>).</summary>
[Collection(nameof(SoloResidentMemoryCollection))]
public sealed class NativeHeapTrimTests
{
    private static readonly byte[] Block = Enumerable.Repeat((byte)1, 96 * 1024).ToArray();

    [Fact]
    public void Trimming_hands_freed_arena_memory_back_to_the_system()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "malloc_trim is glibc's");
        // Memory malloc'd and freed on a thread of its own stays in that thread's arena, as the JIT's scratch memory does;
        // a small block kept after each freed one (a fence) keeps glibc from merging them into the top of the heap and
        // giving them back by itself.
        var fences = new IntPtr[256];
        var thread = new Thread(() =>
        {
            var blocks = new IntPtr[fences.Length];
            for (var i = 0; i < blocks.Length; i++)
            {
                blocks[i] = Marshal.AllocHGlobal(Block.Length);
                Marshal.Copy(Block, 0, blocks[i], Block.Length);
                fences[i] = Marshal.AllocHGlobal(64);
            }
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
        foreach (var fence in fences)
        {
            Marshal.FreeHGlobal(fence);
        }
        Assert.True(after < before - (8 << 20), $"resident {before} bytes before the trim, {after} after");
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
