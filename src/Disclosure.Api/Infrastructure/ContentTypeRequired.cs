using FastEndpoints;
using Microsoft.AspNetCore.Http.Metadata;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A request without a <c>Content-Type</c> to an operation that takes a body is a 415 problem naming the media types it
/// takes. FastEndpoints refuses such a request itself, but with the response already started and no body, so neither
/// the status-code pages nor the problem-details service could say what was wrong.
/// </summary>
public sealed class ContentTypeRequired(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!string.IsNullOrEmpty(context.Request.ContentType)
            || context.GetEndpoint()?.Metadata is not { } metadata
            || metadata.GetMetadata<EndpointDefinition>() is not { } endpoint
            || !endpoint.Routes.Any(route => RequestBodies.Taken(endpoint.Verbs, endpoint.ReqDtoType, route)))
            return next(context);
        var accepted = metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts ? accepts.ContentTypes : ["application/json"];
        return Problems.Result(StatusCodes.Status415UnsupportedMediaType, Problems.Slug(StatusCodes.Status415UnsupportedMediaType), "Unsupported Media Type",
            $"The request has no Content-Type; send the body as {string.Join(" or ", accepted)}.", context).ExecuteAsync(context);
    }
}
