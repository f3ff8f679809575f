using Azure;
using Azure.Data.Tables;
using Dockyard.Azure.Tables;
using Dockyard.Core.Errors;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>
/// What the table stores see of a service that is down or overloaded (after the SDK's retries): a
/// <see cref="StorageUnavailableException"/>, while the answers conditional writes rely on stay answers.
/// </summary>
public sealed class TableFaultPolicyTests
{
    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(502, "BadGateway")]
    [InlineData(503, "ServerBusy")]
    [InlineData(504, "OperationTimedOut")]
    [InlineData(429, "TooManyRequests")]
    public async Task A_server_error_or_throttle_left_after_the_retries_is_storage_unavailable(int status, string code)
    {
        await using var endpoint = CannedTableEndpoint.Start(status, code);
        var tables = CannedTableEndpoint.Tables(endpoint.Port, retries: 1);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => AzureTables.GetAsync(tables["manifests"], "p", "r", CancellationToken.None));

        Assert.Contains(code, error.Message);
        Assert.Equal(2, endpoint.Requests); // mapped only once the SDK's retry was spent
    }

    [Fact]
    public async Task Refused_connections_are_storage_unavailable_after_the_retries()
    {
        var tables = CannedTableEndpoint.Tables(DockyardProcess.FreePort(), retries: 2);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            AzureTables.QueryAsync(tables["repositories"], AzureTables.Rows("p"), null, CancellationToken.None));

        Assert.IsType<AggregateException>(error.InnerException); // the SDK's "Retry failed after 3 tries"
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        var tables = CannedTableEndpoint.Tables(DockyardProcess.FreePort(), retries: 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AzureTables.GetAsync(tables["repositories"], "p", "r", new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Conflicts_absences_and_failed_preconditions_stay_answers()
    {
        await using var conflict = CannedTableEndpoint.Start(409, "EntityAlreadyExists");
        await using var absent = CannedTableEndpoint.Start(404, "ResourceNotFound");
        await using var changed = CannedTableEndpoint.Start(412, "UpdateConditionNotSatisfied");

        Assert.False(await AzureTables.TryAddAsync(CannedTableEndpoint.Tables(conflict.Port, 1)["namespaces"], new TableEntity("p", "r"), CancellationToken.None));
        Assert.Null(await AzureTables.GetAsync(CannedTableEndpoint.Tables(absent.Port, 1)["manifests"], "p", "r", CancellationToken.None));
        Assert.False(await AzureTables.DeleteAsync(CannedTableEndpoint.Tables(changed.Port, 1)["uploads"], "p", "r", CancellationToken.None, new ETag("W/\"1\"")));
        Assert.Equal([1, 1, 1], new[] { conflict.Requests, absent.Requests, changed.Requests }); // answers, so never retried
    }
}
