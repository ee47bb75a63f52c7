using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The headers of every answer, set as it starts: <c>X-Content-Type-Options: nosniff</c> on all of them (an API's JSON or
/// CSV is never to be read as a page); <c>Cache-Control: no-store</c> on every <c>/v1</c> answer that does not set its own,
/// since reporters, keys, <c>/v1/me</c> and the audit log carry people's names, telephones and keys, which no browser or
/// proxy cache is to keep (the aggregates and a period's settings set <c>no-cache</c> with their ETag, to be revalidated
/// (<see cref="ConditionalReads"/>): they name reporters, their figures and deadlines, never a contact); and on Swagger UI, which Production serves for integrators, the pages' own policy
/// (<see cref="PageHeaders"/>): its script and styles are its own files, and it styles elements inline.
/// </summary>
public sealed class ResponseHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
            {
                if (!headers.ContainsKey(HeaderNames.CacheControl)) headers.CacheControl = "no-store";
            }
            else if (context.Request.Path.StartsWithSegments(OpenApi.SwaggerPrefix, StringComparison.OrdinalIgnoreCase))
                PageHeaders.Apply(headers);
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
