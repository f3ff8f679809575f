using System.Buffers;
using System.Text.Json;
using Dockyard.Core.Access;
using Dockyard.Core.Names;
using Dockyard.Core.Paging;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary><c>/v2/&lt;name&gt;/tags/list</c> and <c>/v2/_catalog</c>, paginated with <c>n</c>/<c>last</c> and a Link header.</summary>
public sealed class TagListHandler(ListingService listings)
{
    public async Task ListTagsAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var request = ParseRequest(context);
        var page = await listings.ListTagsAsync(name, request, context.RequestAborted);
        await WriteAsync(context, page, request, () => $"/v2/{name}/tags/list", writer =>
        {
            writer.WriteString("name", name.Value);
            writer.WritePropertyName("tags");
        });
    }

    public async Task ListRepositoriesAsync(HttpContext context, RouteValues values)
    {
        var request = ParseRequest(context);
        var access = AccessContext.Of(context);
        Func<string, Task<bool>>? visible = ReferenceEquals(access, AccessContext.Unrestricted) ? null
            : async name => RepositoryName.TryParse(name, out var repository)
                && (await access.GetActionsAsync(repository, context.RequestAborted)).HasFlag(RepositoryActions.Pull);
        var page = await listings.ListRepositoriesAsync(request, visible, context.RequestAborted);
        await WriteAsync(context, page, request, static () => "/v2/_catalog", writer => writer.WritePropertyName("repositories"));
    }

    private static PageRequest ParseRequest(HttpContext context) =>
        PageRequest.Parse(context.Request.Query["n"].ToString(), context.Request.Query["last"].ToString());

    // The page is rendered first and sent with its Content-Length in one write: streamed into the body it went out
    // chunked, the closing chunk in a send of its own.
    private static Task WriteAsync(HttpContext context, Page page, PageRequest request, Func<string> path, Action<Utf8JsonWriter> head)
    {
        var response = context.Response;
        if (page.HasMore)
        {
            var next = $"{path()}?n={request.EffectiveLimit}&last={Uri.EscapeDataString(page.Items[^1])}";
            response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            head(writer);
            writer.WriteStartArray();
            foreach (var item in page.Items)
            {
                writer.WriteStringValue(item);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        response.ContentType = "application/json";
        response.ContentLength = body.WrittenCount;
        return response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).AsTask();
    }
}
