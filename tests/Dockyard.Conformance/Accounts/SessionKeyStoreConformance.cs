using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>
/// The behaviour every <see cref="ISessionKeyStore"/> must show: keys read back whole and in name order, a name is
/// added once (the first writer wins, as two nodes creating the ring at once would race), and a key ring's size and
/// characters (XML, or base64 of its ciphertext) survive.
/// </summary>
public abstract class SessionKeyStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private ISessionKeyStore? store;

    private ISessionKeyStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<ISessionKeyStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(ISessionKeyStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
        }
    }

    [Fact]
    public async Task Keys_read_back_whole_in_name_order_and_a_name_is_added_only_once()
    {
        Assert.Empty(await Store.ListAsync(Ct));
        // A key element is about 1 KiB of XML; its ciphertext in base64 a third more. 24 KiB leaves room for either.
        var large = new StoredSessionKey("key-b", "<key id=\"b\">" + new string('x', 24 * 1024) + "é</key>");
        var small = new StoredSessionKey("key-a", "aesgcm:AAEC+/==");
        Assert.True(await Store.TryAddAsync(large, Ct));
        Assert.True(await Store.TryAddAsync(small, Ct));

        Assert.False(await Store.TryAddAsync(small with { Content = "replaced" }, Ct));

        Assert.Equal([small, large], await Store.ListAsync(Ct));
    }

    [Fact]
    public async Task Concurrent_adds_of_one_name_leave_one_winner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Store.TryAddAsync(new StoredSessionKey("key-race", $"content-{i}"), Ct)));

        var winner = Assert.Single(results.Select((won, i) => (won, i)), r => r.won);
        Assert.Equal([new StoredSessionKey("key-race", $"content-{winner.i}")], await Store.ListAsync(Ct));
    }
}
