using Dockyard.Ceph.Native;

namespace Dockyard.Ceph.Tests;

/// <summary>
/// The thread one upload part's chunk writes run on (so that librados' copies of them reuse one glibc arena): every
/// write on that one thread, in order, none on the caller's or the pool's, failures handed back, the thread gone after.
/// </summary>
public sealed class RadosChunkWriterTests
{
    [Fact]
    public async Task Every_write_runs_in_order_on_one_thread_of_its_own()
    {
        var threads = new List<Thread>();
        var order = new List<int>();
        Thread writerThread;
        using (var writer = new RadosChunkWriter())
        {
            for (var n = 0; n < 20; n++)
            {
                var index = n;
                await writer.RunAsync(() =>
                {
                    threads.Add(Thread.CurrentThread);
                    order.Add(index);
                }, CancellationToken.None);
            }
            writerThread = Assert.Single(threads.Distinct());
            Assert.False(writerThread.IsThreadPoolThread);
            Assert.NotEqual(Environment.CurrentManagedThreadId, writerThread.ManagedThreadId);
            Assert.True(writerThread.IsAlive);
        }

        Assert.Equal(Enumerable.Range(0, 20), order);
        Assert.False(writerThread.IsAlive);
    }

    [Fact]
    public async Task A_failed_write_fails_its_task_and_the_next_write_still_runs()
    {
        using var writer = new RadosChunkWriter();

        var failure = await Assert.ThrowsAsync<RadosException>(() => writer.RunAsync(() => throw new RadosException(5, "write chunk 0"), CancellationToken.None));
        var ran = false;
        await writer.RunAsync(() => ran = true, CancellationToken.None);

        Assert.Contains("write chunk 0", failure.Message, StringComparison.Ordinal);
        Assert.True(ran);
    }

    [Fact]
    public async Task A_cancelled_request_queues_no_write()
    {
        using var writer = new RadosChunkWriter();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.RunAsync(() => ran = true, cancelled.Token));

        await writer.RunAsync(() => { }, CancellationToken.None);
        Assert.False(ran);
    }
}
