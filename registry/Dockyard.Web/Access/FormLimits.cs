using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Dockyard.Web.Access;

/// <summary>
/// Caps what a page request can make the server hold. The registry's Kestrel takes bodies of any size (blob uploads),
/// and ASP.NET Core's form reader, left to its defaults, keeps up to 1,024 fields of 4 MiB each in memory; the
/// antiforgery check reads the whole form before any page code, for anyone. So the UI sets its own limits before
/// anything reads a form: <see cref="MaxBodyBytes"/> in all, declared or chunked, in a few short fields. A form past them
/// is refused by <see cref="PageFaults"/> (413, or 400 for too many or too long fields) having held at most that much; so is
/// a chunked body whose chunk size Kestrel cannot read (400).
/// </summary>
internal sealed class FormLimits(RequestDelegate next)
{
    /// <summary>The largest body a page accepts; the UI's forms (sign-in, sign-up, a repository's settings) need a few hundred bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions Options = new()
    {
        ValueCountLimit = 32,
        KeyLengthLimit = 256,
        ValueLengthLimit = 16 * 1024,
        MultipartBodyLengthLimit = MaxBodyBytes,
        MultipartHeadersCountLimit = 16,
        MultipartHeadersLengthLimit = 4 * 1024,
        BufferBodyLengthLimit = MaxBodyBytes,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new BadHttpRequestException($"a page takes at most {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }
        if (context.Request.HasFormContentType)
        {
            // Read here, under these limits, so that what later reads the form (antiforgery, model binding) gets this copy.
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, Options));
            try
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }
            catch (IOException e) when (e.InnerException is OverflowException)
            {
                // Kestrel's chunk size of 2^31 bytes or more; every other bad chunk size is its BadHttpRequestException.
                throw new BadHttpRequestException(e.Message, StatusCodes.Status400BadRequest, e);
            }
        }
        await next(context);
    }
}
