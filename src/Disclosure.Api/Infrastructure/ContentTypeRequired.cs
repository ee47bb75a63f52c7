using FastEndpoints;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A request without a <c>Content-Type</c> (with a body or none) to an operation that takes a body (JSON, or a workbook alone) is a 415
/// problem naming the media types it takes. FastEndpoints refuses such a request itself, but with the response already started and no body, so neither
/// the status-code pages nor the problem-details service could say what was wrong. One that does not parse as a media
/// type (<c>;;;</c>, <c>/</c>) is refused the same way: routing lets it through, and FastEndpoints would bind an empty
/// request from it and answer that every field the client did send is empty.
/// </summary>
public sealed class ContentTypeRequired(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        var method = context.Request.Method;
        // Without a Content-Type, a request is looked at further whether it carries a body or none at all (`curl -X POST`
        // with no -d): either way FastEndpoints refuses it with an empty 415 where the operation takes a body. Reads and
        // deletes take none, and go on at once.
        if ((string.IsNullOrEmpty(contentType)
                ? HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsDelete(method)
                : Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out _))
            || context.GetEndpoint()?.Metadata is not { } metadata
            || metadata.GetMetadata<EndpointDefinition>() is not { } endpoint
            || !(endpoint.Routes.Any(route => RequestBodies.Taken(endpoint.Verbs, endpoint.ReqDtoType, route))
                 || metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains(Features.Templates.SubmissionWorkbook.MediaType) == true))
            return next(context);
        var accepted = Problems.AcceptedTypes(context);
        return Problems.Result(StatusCodes.Status415UnsupportedMediaType, Problems.Slug(StatusCodes.Status415UnsupportedMediaType), "Unsupported Media Type",
            (string.IsNullOrEmpty(contentType) ? "The request has no Content-Type" : $"The Content-Type '{contentType}' is not a media type") +
            $"; send the body as {string.Join(" or ", accepted)}.", context).ExecuteAsync(context);
    }
}
