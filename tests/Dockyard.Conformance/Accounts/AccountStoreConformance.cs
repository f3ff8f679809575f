using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>
/// The behaviour every <see cref="IAccountStore"/> must show. A backend's test project derives from this class and
/// only says how to create a fresh, empty store (and how to clean it up); every test gets its own store.
/// </summary>
public abstract partial class AccountStoreConformance : IAsyncLifetime
{
    protected static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A fixed instant with millisecond precision, which every backend can store exactly.</summary>
    protected static readonly DateTimeOffset Created = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    // Byte order puts '-' < '.' < digits < '_' < letters; linguistic collations do not.
    protected static readonly string[] TrickyNames = ["ab", "a_b", "a0", "a.b", "a-b", "b", "a9z", "zz", "a--b", "a.b.c"];

    private IAccountStore? store;

    /// <summary>The store under test, fresh and empty for each test.</summary>
    protected IAccountStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store (its own file, database, table prefix, key space…).</summary>
    protected abstract Task<IAccountStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made; called once per test.</summary>
    protected virtual Task DestroyStoreAsync(IAccountStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
            (store as IDisposable)?.Dispose();
        }
    }

    protected static User NewUser(string name, bool admin = false) =>
        new(name, name + "@example.com", "pbkdf2$hash-of-" + name, "Real " + name, null, admin, User.DatabaseSource, Created);

    protected static Organization NewOrganization(string name, MemberPrivilege privilege = MemberPrivilege.Read) =>
        new(name, null, "comment of " + name, null, null, privilege, Created);

    /// <summary>Creates the organization with <paramref name="admin"/> (created as a user first) as its admin.</summary>
    protected async Task CreateOrganizationAsync(string name, string admin = "owner")
    {
        await Store.Users.TryCreateAsync(NewUser(admin), Ct);
        Assert.True(await Store.Organizations.TryCreateAsync(NewOrganization(name), admin, Ct));
    }

    /// <summary>Names in the order a backend must list them: ordinal (byte) order.</summary>
    protected static List<string> Ordinal(IEnumerable<string> names)
    {
        var list = names.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>Every item of a listing, fetched <paramref name="pageSize"/> at a time with <c>after</c> set to the last name.</summary>
    protected static async Task<List<string>> PageThroughAsync(Func<string?, int, Task<IReadOnlyList<string>>> list, int pageSize)
    {
        var all = new List<string>();
        string? after = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await list(after, pageSize);
            Assert.True(page.Count <= pageSize, $"a page of {pageSize} returned {page.Count} items");
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }
            after = page[^1];
        }
        throw new InvalidOperationException("paging did not terminate");
    }
}
