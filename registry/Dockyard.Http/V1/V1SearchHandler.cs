using System.Globalization;
using Dockyard.Core.Access;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Paging;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>
/// <c>GET /v1/search?q=&amp;n=&amp;page=</c>: repositories whose name contains <c>q</c> (case-insensitive) that the caller
/// may read, in name order, <c>n</c> per page (default 25, at most 100), pages counted from 1, in Docker Hub's shape.
/// </summary>
public sealed class V1SearchHandler(ListingService listings)
{
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 100;

    public async Task SearchAsync(HttpContext context, RouteValues values)
    {
        var query = context.Request.Query["q"].ToString();
        var pageSize = Number(context, "n", DefaultPageSize, 1, MaxPageSize);
        var page = Number(context, "page", 1, 1, int.MaxValue);
        var access = AccessContext.Of(context);
        Func<string, Task<bool>>? visible = ReferenceEquals(access, AccessContext.Unrestricted) ? null
            : async name => RepositoryName.TryParse(name, out var repository)
                && (await access.GetActionsAsync(repository, context.RequestAborted)).HasFlag(RepositoryActions.Pull);
        var matches = new List<string>();
        string? after = null;
        while (true)
        {
            var batch = await listings.ListRepositoriesAsync(new PageRequest(1000, after), visible, context.RequestAborted);
            matches.AddRange(batch.Items.Where(name => name.Contains(query, StringComparison.OrdinalIgnoreCase)));
            if (!batch.HasMore || batch.Items.Count == 0)
            {
                break;
            }
            after = batch.Items[^1];
        }
        var pages = (matches.Count + pageSize - 1) / pageSize;
        var results = matches.Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue)).Take(pageSize).Select(name => new
        {
            name, description = "", star_count = 0, is_official = false, is_automated = false, is_trusted = false,
        });
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, new
        {
            query, num_results = matches.Count, num_pages = pages, page, page_size = pageSize, results,
        });
    }

    private static int Number(HttpContext context, string name, int fallback, int min, int max)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? Math.Min(value, max)
            : throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, $"{name} must be an integer of at least {min}", new { field = name, value = text });
    }
}
