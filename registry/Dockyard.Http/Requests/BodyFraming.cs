using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Requests;

/// <summary>
/// Framing faults of a request body that Kestrel reports as something other than a <see cref="BadHttpRequestException"/>.
/// Kestrel parses a chunk size into a 32-bit integer and, for one of 2^31 bytes or more (<c>80000000</c>,
/// <c>1ffffffffffffffff</c>), throws an <see cref="IOException"/> ("Bad chunk size data.") whose inner exception is an
/// <see cref="OverflowException"/>, where every other bad chunk size is a <see cref="BadHttpRequestException"/>: the client's
/// fault, answered 400 like those, never the 500 an unexpected exception becomes.
/// </summary>
public static class BodyFraming
{
    /// <summary>True when <paramref name="exception"/> is Kestrel's overflowing chunk size of <paramref name="request"/>'s chunked body.</summary>
    public static bool IsChunkSizeOverflow(HttpRequest request, Exception exception) =>
        exception is IOException { InnerException: OverflowException } && request.Headers.TransferEncoding.Count > 0;
}
