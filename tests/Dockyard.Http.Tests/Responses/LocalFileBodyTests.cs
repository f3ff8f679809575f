using System.Security.Cryptography;
using Dockyard.Http.Responses;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Tests.Responses;

public sealed class LocalFileBodyTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "dockyard-localfile-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 5 << 20)]
    [InlineData(1, (1 << 20) + 1)]
    [InlineData((3 << 20) - 1, 2)]
    [InlineData((5 << 20) - 10, 10)]
    public async Task Writes_exactly_the_requested_slice(long offset, long length)
    {
        var data = RandomNumberGenerator.GetBytes(5 << 20);
        await File.WriteAllBytesAsync(path, data);
        var (context, body) = NewContext();

        using (var file = LocalFileBody.TryOpen(path)!)
        {
            await LocalFileBody.WriteAsync(context.Response, file, offset, length, CancellationToken.None);
        }
        await context.Response.BodyWriter.CompleteAsync();

        Assert.Equal(data.AsSpan((int)offset, (int)length).ToArray(), body.ToArray());
    }

    [Fact]
    public async Task A_file_shorter_than_its_recorded_size_fails_instead_of_hanging()
    {
        await File.WriteAllBytesAsync(path, new byte[100]);
        var (context, _) = NewContext();
        using var file = LocalFileBody.TryOpen(path)!;

        await Assert.ThrowsAsync<EndOfStreamException>(() => LocalFileBody.WriteAsync(context.Response, file, 0, 200, CancellationToken.None));
    }

    [Fact]
    public void A_missing_file_or_no_path_opens_as_null()
    {
        Assert.Null(LocalFileBody.TryOpen(path));
        Assert.Null(LocalFileBody.TryOpen(Path.Combine(path, "nested", "blob")));
        Assert.Null(LocalFileBody.TryOpen(null));
    }

    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }
}
