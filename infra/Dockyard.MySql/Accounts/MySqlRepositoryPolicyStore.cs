using Dockyard.Core.Accounts;
using MySqlConnector;

namespace Dockyard.MySql.Accounts;

internal sealed class MySqlRepositoryPolicyStore(MySqlDatabase db) : IRepositoryPolicyStore
{
    private const string Columns = "namespace, name, is_public, comment, created_at, owner";

    public Task<RepositoryPolicy?> GetAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM repository_policies WHERE namespace = @ns AND name = @name", Read,
            cancellationToken, ("@ns", @namespace), ("@name", name));

    public Task<bool> TryCreateAsync(RepositoryPolicy policy, CancellationToken cancellationToken) =>
        db.TryInsertAsync($"INSERT INTO repository_policies ({Columns}) VALUES (@ns, @name, @public, @comment, @created, @owner)",
            cancellationToken, ("@ns", policy.Namespace), ("@name", policy.Name), ("@public", policy.IsPublic ? 1 : 0),
            ("@comment", policy.Comment), ("@created", MySqlText.Time(policy.CreatedAt)), ("@owner", policy.Owner));

    public async Task<bool> UpdateAsync(RepositoryPolicy policy, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("UPDATE repository_policies SET is_public = @public, comment = @comment, owner = @owner WHERE namespace = @ns AND name = @name",
            cancellationToken, ("@ns", policy.Namespace), ("@name", policy.Name), ("@public", policy.IsPublic ? 1 : 0), ("@comment", policy.Comment),
            ("@owner", policy.Owner)) > 0;

    public async Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM repository_policies WHERE namespace = @ns AND name = @name",
            cancellationToken, ("@ns", @namespace), ("@name", name)) > 0;

    public async Task<IReadOnlyList<RepositoryPolicy>> ListAsync(string @namespace, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM repository_policies WHERE namespace = @ns ORDER BY name", Read, cancellationToken, ("@ns", @namespace));

    private static RepositoryPolicy Read(MySqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt32(2) != 0, MySqlText.Nullable(r, 3), MySqlText.ReadTime(r, 4), MySqlText.Nullable(r, 5));
}
