using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The reads that send an ETag and answer If-None-Match with 304 (RFC 9110 13.1.2): the tables (Aggregates.AggregateResponder)
/// and a period's settings. One place, so that each compares the tags alike.
/// </summary>
public static class ConditionalReads
{
    /// <summary>
    /// Sends <paramref name="etag"/> with <c>Cache-Control: no-cache</c> (a cache may keep the answer and asks before using it again),
    /// and says whether the request's If-None-Match names it, or is <c>*</c>: the caller then answers <see cref="NotModified"/>.
    /// </summary>
    public static bool Unchanged(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        // If-None-Match compares weakly (RFC 9110 13.1.2): a proxy that compresses the response (nginx's gzip) hands the
        // client W/"…", and the client sends that back.
        var current = EntityTagHeaderValue.Parse(etag);
        return context.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Tag == EntityTagHeaderValue.Any.Tag || t.Compare(current, useStrongComparison: false));
    }

    /// <summary>304, with no body: the headers <see cref="Unchanged"/> set are sent with it.</summary>
    public static IResult NotModified() => TypedResults.StatusCode(StatusCodes.Status304NotModified);
}
