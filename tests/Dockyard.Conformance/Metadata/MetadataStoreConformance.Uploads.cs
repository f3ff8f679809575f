using Dockyard.Core.Metadata;

namespace Dockyard.Conformance.Metadata;

/// <summary>Upload sessions: create, get, the conditional advance of the committed size, delete.</summary>
public abstract partial class MetadataStoreConformance
{
    private static UploadSession Session(string repository, long size = 0) =>
        new(Guid.NewGuid().ToString("N"), Repo(repository), size, Created);

    [Fact]
    public async Task A_created_session_is_returned_as_created()
    {
        var session = Session("a/b/c", size: 0);

        await Store.Uploads.CreateAsync(session, Ct);

        Assert.Equal(session, await Store.Uploads.GetAsync(Repo("a/b/c"), session.Id, Ct));
        Assert.Null(await Store.Uploads.GetAsync(Repo("a/b/c"), Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task Sessions_are_scoped_to_their_repository()
    {
        var session = Session("a/b");
        await Store.Uploads.CreateAsync(session, Ct);

        Assert.Null(await Store.Uploads.GetAsync(Repo("a"), session.Id, Ct));
        Assert.Null(await Store.Uploads.GetAsync(Repo("a/b/c"), session.Id, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("a"), session.Id, 0, 10, Ct));
        Assert.False(await Store.Uploads.DeleteAsync(Repo("a"), session.Id, Ct));
        Assert.Equal(session, await Store.Uploads.GetAsync(Repo("a/b"), session.Id, Ct));
    }

    [Fact]
    public async Task TryAdvance_succeeds_only_from_the_expected_size()
    {
        var session = Session("app");
        await Store.Uploads.CreateAsync(session, Ct);

        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, 100, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, 200, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 50, 200, Ct));
        Assert.Equal(100, (await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct))!.Size);

        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 100, 6L << 32, Ct));
        Assert.Equal(session with { Size = 6L << 32 }, await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct));
    }

    [Fact]
    public async Task TryAdvance_of_a_missing_session_is_false()
    {
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), Guid.NewGuid().ToString("N"), 0, 10, Ct));
        Assert.Null(await Store.Uploads.GetAsync(Repo("app"), Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task Of_concurrent_advances_from_the_same_size_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var session = Session("app");
            await Store.Uploads.CreateAsync(session, Ct);
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(1, 8)
                .Select(i => Task.Run(async () =>
                {
                    start.Wait(Ct);
                    return (Won: await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, i * 10, Ct), Size: i * 10L);
                }, Ct))
                .ToList();

            start.Set();
            var results = await Task.WhenAll(racers);

            var winners = results.Where(r => r.Won).ToList();
            Assert.Single(winners);
            Assert.Equal(winners[0].Size, (await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct))!.Size);
        }
    }

    [Fact]
    public async Task Delete_removes_a_session_once()
    {
        var session = Session("app");
        await Store.Uploads.CreateAsync(session, Ct);

        Assert.True(await Store.Uploads.DeleteAsync(Repo("app"), session.Id, Ct));

        Assert.Null(await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, 10, Ct));
        Assert.False(await Store.Uploads.DeleteAsync(Repo("app"), session.Id, Ct));
    }

    [Fact]
    public async Task Sessions_of_one_repository_are_independent()
    {
        var first = Session("app");
        var second = Session("app");
        await Store.Uploads.CreateAsync(first, Ct);
        await Store.Uploads.CreateAsync(second, Ct);

        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), first.Id, 0, 10, Ct));
        Assert.True(await Store.Uploads.DeleteAsync(Repo("app"), second.Id, Ct));

        Assert.Equal(10, (await Store.Uploads.GetAsync(Repo("app"), first.Id, Ct))!.Size);
    }
}
