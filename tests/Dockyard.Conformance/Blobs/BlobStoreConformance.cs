using System.Security.Cryptography;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>
/// The behaviour every <see cref="IBlobStore"/> must show. A backend's test project derives from this class and
/// only says how to create a fresh, empty store (and how to clean it up); every test gets its own store.
/// </summary>
public abstract partial class BlobStoreConformance : IAsyncLifetime
{
    /// <summary>Tests pass no cancellation; a backend that hangs is a failure the runner's timeout reports.</summary>
    protected static readonly CancellationToken Ct = CancellationToken.None;

    private IBlobStore? store;

    /// <summary>The store under test, fresh and empty for each test.</summary>
    protected IBlobStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store (its own folder, container, pool namespace…).</summary>
    protected abstract Task<IBlobStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made; called once per test.</summary>
    protected virtual Task DestroyStoreAsync(IBlobStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>An upload or part id of the form the upload service makes (32 lower-case hex digits).</summary>
    protected static string NewUploadId() => Guid.NewGuid().ToString("N");

    protected static byte[] Content(int length, int seed = 1) => PatternStream.Bytes(0, length, seed);

    /// <summary>Writes <paramref name="content"/> as a new part of the upload and returns the part.</summary>
    protected async Task<UploadPart> WritePartAsync(string uploadId, byte[] content)
    {
        var part = new UploadPart(NewUploadId(), content.Length);
        using var source = new MemoryStream(content, writable: false);
        Assert.Equal(content.Length, await Store.WriteUploadPartAsync(uploadId, part.Id, source, Ct));
        return part;
    }

    /// <summary>Creates an upload holding <paramref name="content"/> as one part and returns its id and parts.</summary>
    protected async Task<(string Id, UploadPart[] Parts)> StageAsync(byte[] content)
    {
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);
        return (id, [await WritePartAsync(id, content)]);
    }

    /// <summary>Stages and publishes <paramref name="content"/> under its digest.</summary>
    protected async Task<Digest> PutBlobAsync(byte[] content, string algorithm = Digest.Sha256)
    {
        var digest = Digest.Compute(content, algorithm);
        var (id, parts) = await StageAsync(content);
        await Store.PublishUploadAsync(id, parts, digest, Ct);
        return digest;
    }

    /// <summary>True when the upload's staging area is gone (writing to it throws <see cref="KeyNotFoundException"/>).</summary>
    protected async Task<bool> UploadIsGoneAsync(string uploadId)
    {
        using var more = new MemoryStream([1, 2, 3]);
        try
        {
            await Store.WriteUploadPartAsync(uploadId, NewUploadId(), more, Ct);
            return false;
        }
        catch (KeyNotFoundException)
        {
            return true;
        }
    }

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            return copy.ToArray();
        }
    }

    protected async Task<byte[]?> ReadBlobAsync(Digest digest, long offset = 0) =>
        await Store.OpenReadAsync(digest, offset, Ct) is { } stream ? await ReadAllAsync(stream) : null;

    protected static async Task<(Digest Digest, long Length)> HashAsync(Stream stream, string algorithm = Digest.Sha256)
    {
        await using (stream)
        {
            using var hash = Digest.CreateHash(algorithm);
            var buffer = new byte[1 << 16];
            long length = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                length += n;
            }
            return (Digest.FromHash(algorithm, hash.GetCurrentHash()), length);
        }
    }

    protected static Digest PatternDigest(long length, int seed, string algorithm = Digest.Sha256)
    {
        using var hash = Digest.CreateHash(algorithm);
        using var source = new PatternStream(length, seed, 1 << 16);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = source.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }
        return Digest.FromHash(algorithm, hash.GetCurrentHash());
    }

    /// <summary>A digest nothing in a fresh store has.</summary>
    protected static Digest AbsentDigest(string algorithm = Digest.Sha256) =>
        Digest.Compute(RandomNumberGenerator.GetBytes(32), algorithm);
}
