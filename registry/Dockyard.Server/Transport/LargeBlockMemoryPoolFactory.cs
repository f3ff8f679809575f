using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Dockyard.Server.Transport;

/// <summary>Gives Kestrel and its socket transport <see cref="LargeBlockMemoryPool"/>s instead of 4 KiB-block pools.</summary>
public sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
