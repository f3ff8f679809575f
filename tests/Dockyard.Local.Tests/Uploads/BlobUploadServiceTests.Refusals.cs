using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Local.Tests.Uploads;

/// <summary>What the upload state machine refuses or cancels, and that nothing becomes visible when it does.</summary>
public sealed partial class BlobUploadServiceTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(101)]
    public async Task An_out_of_order_chunk_is_RangeInvalid_and_changes_nothing(long start)
    {
        var content = Content(300);
        var session = await service.StartAsync(Repo, Ct);
        await AppendAsync(service, session.Id, content[..100], 0);

        var error = await Assert.ThrowsAsync<RegistryException>(() => AppendAsync(service, session.Id, content[100..200], start));

        Assert.Equal(RegistryErrorCode.RangeInvalid, error.Code);
        Assert.Equal(100, (await service.GetAsync(Repo, session.Id, Ct)).Size);
        await AppendAsync(service, session.Id, content[100..], 100);
        await CompleteAsync(service, session.Id, Digest.Compute(content));
        await AssertPublishedAsync(content, Digest.Compute(content));
    }

    [Fact]
    public async Task A_body_shorter_than_its_range_is_SizeInvalid_and_not_committed()
    {
        var content = Content(200);
        var session = await service.StartAsync(Repo, Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            service.AppendAsync(Repo, session.Id, new MemoryStream(content[..150]), new ContentRange(0, 199), null, Ct));

        Assert.Equal(RegistryErrorCode.SizeInvalid, error.Code);
        Assert.Equal(0, (await service.GetAsync(Repo, session.Id, Ct)).Size);
        Assert.Empty(Directory.EnumerateFiles(folder.Combine("data", "uploads", session.Id))); // the short part was dropped
        await CompleteAsync(service, session.Id, Digest.Compute(content), content);
        await AssertPublishedAsync(content, Digest.Compute(content));
    }

    [Fact]
    public async Task A_Content_Length_that_contradicts_the_range_is_SizeInvalid()
    {
        var session = await service.StartAsync(Repo, Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            service.AppendAsync(Repo, session.Id, new MemoryStream(new byte[10]), new ContentRange(0, 9), 11, Ct));

        Assert.Equal(RegistryErrorCode.SizeInvalid, error.Code);
    }

    [Fact]
    public async Task A_wrong_digest_is_DigestInvalid_and_leaves_nothing_visible()
    {
        var content = Content(5000);
        var wrong = Digest.Compute(Content(5000, seed: 99));
        var session = await service.StartAsync(Repo, Ct);
        await AppendAsync(service, session.Id, content, 0);

        var error = await Assert.ThrowsAsync<RegistryException>(() => CompleteAsync(service, session.Id, wrong));

        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
        Assert.Null(await blobs.StatAsync(wrong, Ct));
        Assert.Null(await blobs.StatAsync(Digest.Compute(content), Ct));
        Assert.Null(await metadata.BlobLinks.GetAsync(Repo, wrong, Ct));
        Assert.Null(await metadata.Uploads.GetAsync(Repo, session.Id, Ct));
        Assert.False(Directory.Exists(folder.Combine("data", "uploads", session.Id)));
    }

    [Fact]
    public async Task Cancel_removes_the_session_and_its_staged_bytes()
    {
        var session = await service.StartAsync(Repo, Ct);
        await AppendAsync(service, session.Id, Content(100), 0);

        await service.CancelAsync(Repo, session.Id, Ct);

        Assert.Null(await metadata.Uploads.GetAsync(Repo, session.Id, Ct));
        Assert.False(Directory.Exists(folder.Combine("data", "uploads", session.Id)));
        var error = await Assert.ThrowsAsync<RegistryException>(() => service.CancelAsync(Repo, session.Id, Ct));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef\n")]
    [InlineData("")]
    public async Task Unknown_or_malformed_upload_ids_are_BlobUploadUnknown(string id)
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => AppendAsync(service, id, [1], 0));

        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
    }

    [Fact]
    public async Task An_upload_is_unknown_in_another_repository()
    {
        var session = await service.StartAsync(Repo, Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() => service.GetAsync(RepositoryName.Parse("team"), session.Id, Ct));

        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
    }

    [Fact]
    public async Task A_wrong_sha512_digest_is_DigestInvalid()
    {
        var content = Content(1000, seed: 8);
        var session = await service.StartAsync(Repo, Ct);
        var sha256AsSha512 = Digest.Parse("sha512:" + Digest.Compute(content).Hex + Digest.Compute(content).Hex);

        var error = await Assert.ThrowsAsync<RegistryException>(() => CompleteAsync(service, session.Id, sha256AsSha512, content));

        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
        Assert.Null(await blobs.StatAsync(sha256AsSha512, Ct));
    }
}
