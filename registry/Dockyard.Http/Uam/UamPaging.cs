using Dockyard.Core.Paging;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary><c>n</c>/<c>last</c> for UAM listings, with the registry's page cap.</summary>
public static class UamPaging
{
    public static (string? After, int Limit) Parse(HttpRequest request)
    {
        var page = PageRequest.Parse(request.Query["n"].ToString(), request.Query["last"].ToString());
        return (page.After, page.EffectiveLimit);
    }
}
