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
public sealed partial class NativeHeapTrimTests
{
    private static readonly byte[] Block = Enumerable.Repeat((byte)1, 96 * 1024).ToArray();

    [Fact]
    public void Trimming_hands_freed_arena_memory_back_to_the_system()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "malloc_trim is glibc's");
        // A trim anywhere in the process (a server host another test left running has this service) returns the freed
        // blocks before this test looks, which says nothing about the trim under test: such an attempt is run again.
        var seen = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (before, after) = FreeInAnArenaThenTrim();
            if (before > BlockCount * 16)
            {
                Assert.True(after < before / 10, $"{before} pages of the freed blocks resident before the trim, {after} after");
                return;
            }
            seen.Add(before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Fail($"the freed blocks were never resident before the trim (pages: {string.Join(", ", seen)})");
    }

    private const int BlockCount = 256;

    // Memory malloc'd and freed on a thread of its own stays in that thread's arena, as the JIT's scratch memory does; a
    // small block kept after each freed one (a fence) keeps glibc from merging them into the top of the heap and giving
    // them back by itself. Returns the freed blocks' own resident pages (not the process's total, which anything else in
    // the test host moves) before and after one trim.
    private static (long Before, long After) FreeInAnArenaThenTrim()
    {
        var blocks = new IntPtr[BlockCount];
        var fences = new IntPtr[BlockCount];
        var thread = new Thread(() =>
        {
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
        var before = ResidentPagesInside(blocks);
        Assert.True(NativeHeapTrimService.TryTrim());
        var after = ResidentPagesInside(blocks);
        foreach (var fence in fences)
        {
            Marshal.FreeHGlobal(fence);
        }
        return (before, after);
    }

    // Pages wholly inside each freed block, past the page that holds glibc's free-list header: what a trim can return.
    private static unsafe long ResidentPagesInside(IntPtr[] blocks)
    {
        var page = Environment.SystemPageSize;
        var vector = new byte[Block.Length / page + 1];
        long resident = 0;
        foreach (var block in blocks)
        {
            var start = (block + page) & ~(nint)(page - 1);
            var end = (block + Block.Length) & ~(nint)(page - 1);
            var pages = (int)((end - start) / page);
            fixed (byte* v = vector)
            {
                Assert.Equal(0, Mincore((void*)start, (nuint)(pages * page), v));
            }
            for (var i = 0; i < pages; i++)
            {
                resident += vector[i] & 1;
            }
        }
        return resident;
    }

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static unsafe partial int Mincore(void* address, nuint length, byte* vector);

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
