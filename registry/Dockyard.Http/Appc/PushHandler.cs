using System.Text.Json;
using Dockyard.Core.Appc;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Quotas;
using Dockyard.Http.Auth;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Appc;

/// <summary>
/// The acpush protocol. <c>POST /appc/&lt;name&gt;/push/&lt;aci&gt;</c> starts a push and answers the upload URLs;
/// <c>PUT …/push/&lt;version&gt;/{manifest,asc,aci}/&lt;aci&gt;?upload=&lt;id&gt;</c> take the parts (200 <c>{}</c>);
/// <c>POST …/push/&lt;version&gt;/complete/&lt;aci&gt;?upload=&lt;id&gt;</c> with <c>{"success":bool,"reason":…}</c> validates
/// and publishes, answering 200 <c>{"success":true}</c> or 400 <c>{"success":false,"reason":…,"server_reason":…}</c>.
/// </summary>
public sealed class PushHandler(AciPushService pushes, AppcNames names, NamespaceQuota quota, UploadAdmission admission)
{
    /// <summary>The completion body is a flag and a reason; anything larger is no acpush client.</summary>
    private const int MaxCompletionBytes = 64 * 1024;

    public async Task StartAsync(HttpContext context, RouteValues values)
    {
        var (repository, file) = Parse(values);
        // An unfinished push holds staged bytes as a blob upload does: the same quota and per-client cap apply.
        await quota.EnsureRoomAsync(repository, 0, context.RequestAborted);
        var client = AccessContext.UploadClientOf(context);
        await admission.EnsureCanOpenAsync(client, context.RequestAborted);
        var upload = await pushes.StartAsync(repository, file, client, context.RequestAborted);
        var prefix = $"{AppcNames.RepositoryUrl(context.Request, repository)}/push/{file.Version}";
        var query = $"{file.Value}?upload={upload.Id}";
        await WriteJsonAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>
        {
            ["aci_push_version"] = "0.0.1",
            ["multipart"] = false,
            ["upload_manifest_url"] = $"{prefix}/manifest/{query}",
            ["upload_signature_url"] = $"{prefix}/asc/{query}",
            ["upload_aci_url"] = $"{prefix}/aci/{query}",
            ["completed_url"] = $"{prefix}/complete/{query}",
        });
    }

    public Task PutManifestAsync(HttpContext context, RouteValues values) =>
        PutAsync(context, values, (r, id, client, ct) => pushes.PutManifestAsync(r, id, context.Request.Body, client, ct));

    public Task PutSignatureAsync(HttpContext context, RouteValues values) =>
        PutAsync(context, values, (r, id, client, ct) => pushes.PutSignatureAsync(r, id, context.Request.Body, client, ct));

    // The ACI is the one part of unbounded size: it counts against the namespace's storage quota as it streams in.
    public Task PutAciAsync(HttpContext context, RouteValues values) =>
        PutAsync(context, values, async (r, id, client, ct) =>
            await pushes.PutAciAsync(r, id, await quota.BoundAsync(r, context.Request.Body, context.Request.ContentLength, ct), client, ct));

    public async Task CompleteAsync(HttpContext context, RouteValues values)
    {
        var (repository, _) = Parse(values);
        var (success, reason) = await ReadCompletionAsync(context);
        var result = await pushes.CompleteAsync(repository, UploadId(context), success, reason,
            names.AcceptedNames(context.Request, repository), AccessContext.UploadClientOf(context), context.RequestAborted);
        await WriteJsonAsync(context, result.Success ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, result.Success
            ? new Dictionary<string, object> { ["success"] = true }
            : new Dictionary<string, object> { ["success"] = false, ["reason"] = result.ServerReason!, ["server_reason"] = result.ServerReason! });
    }

    // A push is its starter's (AccessContext.UploadClientOf): to another account its upload id is unknown.
    private async Task PutAsync(HttpContext context, RouteValues values, Func<RepositoryName, string, string, CancellationToken, Task> put)
    {
        var (repository, _) = Parse(values);
        await put(repository, UploadId(context), AccessContext.UploadClientOf(context), context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>());
    }

    private static (RepositoryName Repository, AciFileName File) Parse(RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        if (!AciFileName.TryParse(values["aci"], AppcNames.BaseName(repository), out var file, out var signature) || signature
            || values["version"] is { } version && version != file.Version)
        {
            throw new RegistryException(RegistryErrorCode.NameInvalid,
                $"not an ACI file name of this repository: expected {AppcNames.BaseName(repository)}-<version>-<os>-<arch>.aci", new { aci = values["aci"] });
        }
        return (repository, file);
    }

    private static string UploadId(HttpContext context) => context.Request.Query["upload"].ToString();

    private static async Task<(bool Success, string? Reason)> ReadCompletionAsync(HttpContext context)
    {
        try
        {
            using var body = await RequestBody.ReadJsonAsync(context.Request, MaxCompletionBytes, "the completion body");
            var root = body.RootElement;
            var success = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
            var reason = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return (success, reason);
        }
        catch (JsonException)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "the completion body must be {\"success\":true|false,\"reason\":\"…\"}", new { field = "body" });
        }
    }

    internal static async Task WriteJsonAsync(HttpContext context, int status, Dictionary<string, object> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, AppcJson.Default.DictionaryStringObject, context.RequestAborted);
    }
}
