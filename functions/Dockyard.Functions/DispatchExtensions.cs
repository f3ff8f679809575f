using Dockyard.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Functions;

/// <summary>How every function answers: the dispatcher writes the response on the request's own HttpContext.</summary>
internal static class DispatchExtensions
{
    private static readonly EmptyResult Written = new();

    /// <summary>
    /// Dispatches through the shared route table and returns an <see cref="EmptyResult"/>: the response (status,
    /// headers, streamed body) is already written, and an <see cref="IActionResult"/> return gives the function the
    /// HTTP output binding the host expects, so the ASP.NET Core integration passes that response through untouched.
    /// </summary>
    public static async Task<IActionResult> HandleAsync(this RegistryDispatcher dispatcher, HttpRequest request)
    {
        await dispatcher.DispatchAsync(request.HttpContext);
        return Written;
    }
}
