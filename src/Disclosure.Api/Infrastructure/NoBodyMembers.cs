using System.Collections.Concurrent;
using System.Text.Json;
using FastEndpoints;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// An operation that takes no body though its verb may carry one (<see cref="RequestBodies.TakesNone"/>: closing or reopening a
/// period, a backup) takes none, or an empty JSON object. A JSON body with a member is a 400 naming it, as an unknown member of
/// any other body is, instead of being passed over: a backup asked for with <c>{"directory": "/mnt/other"}</c> would otherwise
/// be written where it always is, and answered 201. System.Text.Json judges it, reading the body under the service's options
/// (unknown members refused) as an object that has none; anything but an object is a 400 naming the body. A body that is not
/// JSON (form fields, text, or no Content-Type at all) is a 415 saying to send none: its fields would be passed over alike.
/// A GET, HEAD or DELETE takes none either, by the same rule, but a body that is not JSON is a 400 naming the body (their
/// operations document no 415): a filter sent in a body instead of the query would otherwise be answered with everything.
/// </summary>
public sealed class NoBodyMembers(RequestDelegate next)
{
    private readonly ConcurrentDictionary<RouteEndpoint, bool> takesNone = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var bodyless = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsDelete(request.Method);
        if (request.ContentLength == 0
            || context.GetEndpoint() is not RouteEndpoint endpoint
            || endpoint.Metadata.GetMetadata<EndpointDefinition>() is not { } definition
            || !(bodyless || takesNone.GetOrAdd(endpoint, e => RequestBodies.TakesNone(definition.Verbs, definition.ReqDtoType, e.RoutePattern.RawText ?? "",
                e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>())))
            || await EmptyAsync(request, context.RequestAborted))
        {
            await next(context);
            return;
        }
        if (!ContentTypeRequired.IsJson(request))
        {
            var (cameZh, came) = string.IsNullOrEmpty(request.ContentType) ? ("请求体没有 Content-Type", "without a Content-Type")
                : ($"请求体的 Content-Type 为“{request.ContentType}”", $"as '{request.ContentType}'");
            var detail = $"{request.Method} {request.Path} 不带请求体：请不要发送请求体，或以 application/json 发送 {{}}（{cameZh}）。" +
                $"{request.Method} {request.Path} takes no body; send none, or {{}} as application/json (the body came {came}).";
            await (bodyless ? Problems.BadRequest([new("body", detail)], context) : Problems.UnsupportedMediaType(context, detail)).ExecuteAsync(context);
            return;
        }
        try
        {
            await JsonBodies.ReadAsync(request, typeof(None), Json.Options, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await Problems.BadRequest([Json.Failure(e)], context).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>Whether the body is empty, read without consuming it (a chunked or HTTP/2 body may have no Content-Length).</summary>
    private static async Task<bool> EmptyAsync(HttpRequest request, CancellationToken ct)
    {
        var read = await request.BodyReader.ReadAsync(ct);
        request.BodyReader.AdvanceTo(read.Buffer.Start);
        return read.Buffer.IsEmpty && read.IsCompleted;
    }

    /// <summary>The body such an operation takes: an object without members.</summary>
    private sealed class None;
}
