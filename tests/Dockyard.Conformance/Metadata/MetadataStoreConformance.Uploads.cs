using Dockyard.Core.Metadata;

namespace Dockyard.Conformance.Metadata;

/// <summary>Upload sessions: create, get, the conditional commit of parts, delete.</summary>
public abstract partial class MetadataStoreConformance
{
    private static UploadSession Session(string repository, params UploadPart[] parts) =>
        new(Guid.NewGuid().ToString("N"), Repo(repository), parts, Created);

    private static UploadPart Part(long size) => new(Guid.NewGuid().ToString("N"), size);

    [Fact]
    public async Task A_created_session_is_returned_as_created()
    {
        var session = Session("a/b/c");

        await Store.Uploads.CreateAsync(session, Ct);

        var read = await Store.Uploads.GetAsync(Repo("a/b/c"), session.Id, Ct);
        Assert.Equal(session, read);
        Assert.Empty(read!.Parts);
        Assert.Equal(0, read.Size);
        Assert.Null(await Store.Uploads.GetAsync(Repo("a/b/c"), Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task A_session_created_with_parts_keeps_them_in_order()
    {
        var session = Session("app", Part(5), Part(0), Part(1L << 33));

        await Store.Uploads.CreateAsync(session, Ct);

        var read = await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct);
        Assert.Equal(session.Parts, read!.Parts);
        Assert.Equal(5 + (1L << 33), read.Size);
    }

    [Fact]
    public async Task Sessions_are_scoped_to_their_repository()
    {
        var session = Session("a/b");
        await Store.Uploads.CreateAsync(session, Ct);

        Assert.Null(await Store.Uploads.GetAsync(Repo("a"), session.Id, Ct));
        Assert.Null(await Store.Uploads.GetAsync(Repo("a/b/c"), session.Id, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("a"), session.Id, 0, Part(10), Ct));
        Assert.False(await Store.Uploads.DeleteAsync(Repo("a"), session.Id, Ct));
        Assert.Equal(session, await Store.Uploads.GetAsync(Repo("a/b"), session.Id, Ct));
    }

    [Fact]
    public async Task TryAdvance_appends_the_part_only_from_the_expected_size()
    {
        var session = Session("app");
        await Store.Uploads.CreateAsync(session, Ct);
        var first = Part(100);
        var big = Part((6L << 32) - 100);

        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, first, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, Part(200), Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 50, Part(150), Ct));
        Assert.Equal(session with { Parts = [first] }, await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct));

        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 100, big, Ct));
        var read = await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct);
        Assert.Equal(session with { Parts = [first, big] }, read);
        Assert.Equal(6L << 32, read!.Size);
    }

    [Fact]
    public async Task TryAdvance_of_a_missing_session_is_false()
    {
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), Guid.NewGuid().ToString("N"), 0, Part(10), Ct));
        Assert.Null(await Store.Uploads.GetAsync(Repo("app"), Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task Of_concurrent_advances_from_the_same_size_exactly_one_wins_and_only_its_part_is_kept()
    {
        for (var round = 0; round < 5; round++)
        {
            var first = Part(7);
            var session = Session("app");
            await Store.Uploads.CreateAsync(session, Ct);
            Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, first, Ct));
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(1, 8)
                .Select(i => Task.Run(async () =>
                {
                    var part = Part(i * 10);
                    start.Wait(Ct);
                    return (Won: await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 7, part, Ct), Part: part);
                }, Ct))
                .ToList();

            start.Set();
            var results = await Task.WhenAll(racers);

            var winners = results.Where(r => r.Won).ToList();
            Assert.Single(winners);
            Assert.Equal(session with { Parts = [first, winners[0].Part] }, await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct));
        }
    }

    [Fact]
    public async Task Listed_sessions_carry_their_parts()
    {
        var session = Session("app");
        await Store.Uploads.CreateAsync(session, Ct);
        var part = Part(42);
        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, part, Ct));

        var listed = await Store.Uploads.ListStartedBeforeAsync(Created.AddSeconds(1), 10, Ct);

        Assert.Equal([session with { Parts = [part] }], listed);
    }

    [Fact]
    public async Task Delete_removes_a_session_once()
    {
        var session = Session("app");
        await Store.Uploads.CreateAsync(session, Ct);

        Assert.True(await Store.Uploads.DeleteAsync(Repo("app"), session.Id, Ct));

        Assert.Null(await Store.Uploads.GetAsync(Repo("app"), session.Id, Ct));
        Assert.False(await Store.Uploads.TryAdvanceAsync(Repo("app"), session.Id, 0, Part(10), Ct));
        Assert.False(await Store.Uploads.DeleteAsync(Repo("app"), session.Id, Ct));
    }

    [Fact]
    public async Task Sessions_of_one_repository_are_independent()
    {
        var first = Session("app");
        var second = Session("app");
        await Store.Uploads.CreateAsync(first, Ct);
        await Store.Uploads.CreateAsync(second, Ct);

        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("app"), first.Id, 0, Part(10), Ct));
        Assert.True(await Store.Uploads.DeleteAsync(Repo("app"), second.Id, Ct));

        Assert.Equal(10, (await Store.Uploads.GetAsync(Repo("app"), first.Id, Ct))!.Size);
    }
}
