using Azure;
using Azure.Data.Tables;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The RowKeys of an organization's partition in the <c>organizations</c> table (see <see cref="TableKey.Join"/>):
/// <c>o user</c> member, <c>t team</c> team, <c>m team user</c> team member with its reverse <c>u user team</c>,
/// <c>r team repository</c> grant with its reverse <c>g repository team</c>.
/// </summary>
internal static class OrganizationRows
{
    public const string MemberKey = "o";
    public const string TeamKey = "t";
    public const string TeamMemberKey = "m";
    public const string MembershipKey = "u";
    public const string GrantKey = "r";
    public const string GrantByRepositoryKey = "g";
    private const int MaxAttempts = 10;

    public static TableTransactionAction Delete(string partition, string row) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, row), ETag.All);

    public static TableTransactionAction Upsert(TableEntity row) => new(TableTransactionActionType.UpsertReplace, row);

    /// <summary>
    /// Runs the actions that <paramref name="plan"/> builds from a fresh read, again when a row it deletes vanished
    /// meanwhile (404: a concurrent removal, so the next read no longer sees it).
    /// </summary>
    public static async Task SubmitFreshAsync(TableClient table, Func<Task<List<TableTransactionAction>>> plan, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AzureTables.SubmitAsync(table, await plan(), cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Runs one transaction; false when a row it deletes does not exist (and then nothing changed).</summary>
    public static async Task<bool> TrySubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
