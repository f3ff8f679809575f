using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.MySql.Accounts;
using Dockyard.MySql.Tests.Conformance;

namespace Dockyard.MySql.Tests.Schema;

/// <summary>
/// The binary collation: MySQL's default collations fold case and trailing spaces, which would make <c>latest</c>
/// and <c>Latest</c> one tag and let one overwrite the other.
/// </summary>
public sealed class MySqlCaseSensitivityTests(MySqlTestDatabase database) : IClassFixture<MySqlTestDatabase>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Tags_differing_only_in_case_are_two_tags_listed_in_byte_order()
    {
        var store = new MySqlMetadataStore(await database.FreshAsync());
        var repository = RepositoryName.Parse("team/app");
        var lower = Digest.Compute("lower"u8.ToArray(), Digest.Sha256);
        var upper = Digest.Compute("upper"u8.ToArray(), Digest.Sha256);
        foreach (var digest in new[] { lower, upper })
        {
            await store.Manifests.PutAsync(repository, new ManifestRecord(digest, "application/vnd.oci.image.manifest.v1+json", 10, null, null, null,
                DateTimeOffset.UtcNow), Ct);
        }

        Assert.True(await store.Tags.SetAsync(repository, "latest", lower, Ct));
        Assert.True(await store.Tags.SetAsync(repository, "Latest", upper, Ct));

        Assert.Equal(lower, await store.Tags.GetAsync(repository, "latest", Ct));
        Assert.Equal(upper, await store.Tags.GetAsync(repository, "Latest", Ct));
        Assert.Null(await store.Tags.GetAsync(repository, "LATEST", Ct));
        // Byte order, as SQLite lists them: upper case before lower case.
        Assert.Equal(["Latest", "latest"], await store.Tags.ListAsync(repository, null, 10, Ct));
    }

    [Fact]
    public async Task User_names_differing_only_in_case_are_two_accounts()
    {
        var accounts = new MySqlAccountStore(await database.FreshAsync());
        var now = DateTimeOffset.UtcNow;
        Assert.True(await accounts.Users.TryCreateAsync(new Core.Accounts.User("alice", null, null, null, null, false, "local", now), Ct));
        Assert.True(await accounts.Users.TryCreateAsync(new Core.Accounts.User("Alice", null, null, null, null, true, "local", now), Ct));

        Assert.False((await accounts.Users.GetAsync("alice", Ct))!.IsAdmin);
        Assert.True((await accounts.Users.GetAsync("Alice", Ct))!.IsAdmin);
    }
}
