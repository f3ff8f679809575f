using Dockyard.Core.Metadata;
using Dockyard.Core.Metadata.PullCache;
using Dockyard.Core.Names;
using Dockyard.Core.Paging;
using Dockyard.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// The SQLite store's repository stamps (the file's wal-index header), as the composition registers them: the same
/// while nothing commits, new after every commit of this process or of another one, and a tag page kept under them
/// never outlives a write.
/// </summary>
public sealed class SqliteRepositoryStampsTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Repo = RepositoryName.Parse("app");
    private static readonly PageRequest All = new(null, null);
    private readonly TempFolder folder = new();
    private readonly ServiceProvider services;
    private readonly IMetadataStore metadata;
    private readonly IRepositoryStamps stamps;
    private readonly ListingService listing;

    public SqliteRepositoryStampsTests()
    {
        services = new ServiceCollection().AddSqliteMetadataStore(folder.Combine("metadata.db")).BuildServiceProvider();
        metadata = services.GetRequiredService<IMetadataStore>();
        stamps = services.GetRequiredService<IRepositoryStamps>();
        listing = new ListingService(metadata, stamps, new ListedTagPages());
    }

    public void Dispose()
    {
        services.Dispose();
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task The_stamp_stays_while_nothing_commits_and_changes_with_every_commit()
    {
        await TagAsync("a");
        var first = await stamps.CurrentAsync(Repo, Ct);
        await metadata.Tags.ListAsync(Repo, null, 10, Ct);

        Assert.NotNull(first);
        Assert.Equal(first, await stamps.CurrentAsync(RepositoryName.Parse("other"), Ct));

        Assert.True(await metadata.Tags.DeleteAsync(Repo, "a", Ct));
        var afterDelete = await stamps.CurrentAsync(Repo, Ct);
        await metadata.Repositories.EnsureAsync(RepositoryName.Parse("other"), Ct);
        var afterOther = await stamps.CurrentAsync(Repo, Ct);

        Assert.NotEqual(first, afterDelete);
        Assert.NotEqual(afterDelete, afterOther);
    }

    [Fact]
    public async Task A_page_is_served_from_memory_until_a_commit()
    {
        await TagAsync("a", "b");

        var first = await listing.ListTagsAsync(Repo, All, Ct);
        var again = await listing.ListTagsAsync(Repo, All, Ct);
        await TagAsync("c");
        var afterPush = await listing.ListTagsAsync(Repo, All, Ct);

        Assert.Same(first, again);
        Assert.Equal(["a", "b"], again.Items);
        Assert.Equal(["a", "b", "c"], afterPush.Items);
        Assert.Equal(["b"], (await listing.ListTagsAsync(Repo, PageRequest.Parse("1", "a"), Ct)).Items);
    }

    [Fact]
    public async Task A_tag_deleted_by_another_process_is_gone_from_the_next_listing()
    {
        var python = RequiredTool.Find("python3")!;
        await TagAsync("a", "b");
        Assert.Equal(["a", "b"], (await listing.ListTagsAsync(Repo, All, Ct)).Items);
        var before = await stamps.CurrentAsync(Repo, Ct);

        // Another process with its own SQLite library, writing the file as the dockyard CLI's local commands do.
        var (exit, _, error) = await RequiredTool.RunAsync(python, ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("DELETE FROM tags WHERE repository = 'app' AND tag = 'a'")
            db.commit()
            db.close()
            """, folder.Combine("metadata.db")]);

        Assert.True(exit == 0, error);
        Assert.NotEqual(before, await stamps.CurrentAsync(Repo, Ct));
        Assert.Equal(["b"], (await listing.ListTagsAsync(Repo, All, Ct)).Items);
    }

    private async Task TagAsync(params string[] tags)
    {
        var digest = Digest.Compute([1]);
        await metadata.Manifests.PutAsync(Repo, new ManifestRecord(digest, "application/vnd.oci.image.manifest.v1+json", 1, null, null, null, DateTimeOffset.UnixEpoch), Ct);
        foreach (var tag in tags)
        {
            await metadata.Tags.SetAsync(Repo, tag, digest, Ct);
        }
    }
}
