using Dockyard.Ceph.Native;
using Dockyard.Core.Errors;

namespace Dockyard.Ceph.Tests;

/// <summary>Which librados errors are a retryable 503 (the cluster cannot serve now, or is full) and which are not.</summary>
public sealed class RadosErrorsTests
{
    [Theory]
    [InlineData(110)] // ETIMEDOUT: an OSD or monitor is down
    [InlineData(111)] // ECONNREFUSED
    [InlineData(28)] // ENOSPC: the cluster is full
    [InlineData(122)] // EDQUOT: the pool is over its quota
    public void Transient_failures_are_storage_unavailable(int errno) =>
        Assert.IsAssignableFrom<StorageUnavailableException>(RadosErrors.For(errno, "write x"));

    [Theory]
    [InlineData(2, typeof(RadosObjectNotFoundException))]
    [InlineData(22, typeof(RadosException))] // EINVAL: a bug of ours, not the cluster's state
    public void Other_failures_are_not(int errno, Type expected)
    {
        var error = RadosErrors.For(errno, "write x");
        Assert.IsType(expected, error);
        Assert.IsNotAssignableFrom<StorageUnavailableException>(error);
    }
}
