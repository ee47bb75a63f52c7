using FastEndpoints;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A request to an operation that takes a body (JSON, or a workbook alone) is refused with a 415 problem naming the media types
/// it takes when it has no <c>Content-Type</c> (with a body or none), one that does not parse as a media type (<c>;;;</c>,
/// <c>/</c>), or a media type the operation does not declare. FastEndpoints refuses a request without one itself, but with the
/// response already started and no body, so neither the status-code pages nor the problem-details service could say what was
/// wrong; one that does not parse, routing lets through, and FastEndpoints would bind an empty request from it and answer that
/// every field the client did send is empty. Routing also takes any <c>+json</c> type (<c>application/json-patch+json</c>,
/// <c>application/x-anything+json</c>) for <c>application/json</c>, by its suffix: the body would be read as the documented JSON
/// although the client said it was something else, a JSON Patch meaning operations where a merge patch means values. A write's
/// body with a <c>Content-Encoding</c> (compressed) is a 415 too, whether the operation takes a body or none.
/// </summary>
public sealed class ContentTypeRequired(RequestDelegate next)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<EndpointDefinition, bool> takesBody = new();

    public Task InvokeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        var method = context.Request.Method;
        // A compressed body (Content-Encoding: gzip) would otherwise be read as it came, and refused as JSON that does not parse or
        // a workbook that cannot be read, or passed over by a write that takes none; RFC 9110 answers a content coding not taken
        // with a 415 and the codings that are.
        if ((HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
            && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
            && Compressed(context.Request) is { } coding)
        {
            context.Response.Headers.AcceptEncoding = "identity";
            return Problems.UnsupportedMediaType(context, $"本服务不接受压缩的请求体（Content-Encoding“{coding}”）：请不压缩直接发送。" +
                $"The body is sent with Content-Encoding '{coding}', which the service does not take: send it uncompressed.").ExecuteAsync(context);
        }
        // Without a Content-Type, a request is looked at further whether it carries a body or none at all (`curl -X POST`
        // with no -d): either way FastEndpoints refuses it with an empty 415 where the operation takes a body. Reads and
        // deletes take none, and go on at once.
        if ((string.IsNullOrEmpty(contentType) && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsDelete(method)))
            || context.GetEndpoint()?.Metadata is not { } metadata
            || metadata.GetMetadata<EndpointDefinition>() is not { } endpoint
            || !takesBody.GetOrAdd(endpoint, e => e.Routes.Any(route => RequestBodies.Taken(e.Verbs, e.ReqDtoType, route))
                 || metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains(Features.Templates.SubmissionWorkbook.MediaType) == true))
            return next(context);
        var accepted = Problems.AcceptedTypes(context);
        var media = string.IsNullOrEmpty(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? null : parsed.MediaType.Value;
        if (media is not null && accepted.Contains(media, StringComparer.OrdinalIgnoreCase)) return next(context);
        return Problems.UnsupportedMediaType(context).ExecuteAsync(context);
    }

    /// <summary>The request's content coding when its body is compressed (a <c>Content-Encoding</c> other than identity), else null.</summary>
    public static string? Compressed(HttpRequest request) =>
        request.Headers.ContentEncoding.ToString().Trim() is { Length: > 0 } coding && !coding.Equals("identity", StringComparison.OrdinalIgnoreCase) ? coding : null;

    /// <summary>Whether the request's Content-Type is <c>application/json</c> itself (any parameters), not another <c>+json</c> type.</summary>
    public static bool IsJson(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
