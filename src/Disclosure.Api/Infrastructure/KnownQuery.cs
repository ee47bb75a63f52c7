using System.Collections.Concurrent;
using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.Features;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A query parameter that an operation does not take is a 400 naming it, as an unknown member of a body is: a misspelt one
/// (<c>?reporter=</c> for <c>?reporters=</c>) would otherwise be passed over by the binding, and the answer look right while
/// it is not (the whole district where one reporter was meant; every reporter where <c>?kind=town</c> was meant of a list that
/// takes no filter). What an operation takes is what the OpenAPI document lists (<see cref="RequestBodies.QueryProperties"/>),
/// none for one without a request; names are matched without case, as FastEndpoints binds them. A parameter it takes, given
/// empty, is a 400 naming it too. So is a route or query value whose percent-encoded bytes are not UTF-8 (<c>?reason=%FF%FE</c>),
/// which the framework would keep as the literal text <c>%FF%FE</c>: stored as a reason, or looked up as an id, it is not what
/// the client meant.
/// </summary>
public sealed class KnownQuery(RequestDelegate next)
{
    private readonly ConcurrentDictionary<RouteEndpoint, string[]> taken = new(); // per route: its route parameters are not query ones

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<EndpointDefinition>() is not { } definition)
            return next(context);
        if (NotUtf8(context, endpoint) is { Count: > 0 } garbled)
            return Problems.BadRequest([.. garbled.Select(k => new ValidationFailure(k, $"{k} 不是有效的 UTF-8 文本：网址中百分号编码的字节（如 %E5%8F%A4）须为 UTF-8 编码的字符。" +
                $"{k} is not UTF-8 text: the percent-encoded bytes of a URL must encode characters in UTF-8."))], context).ExecuteAsync(context);
        if (!context.Request.QueryString.HasValue) return next(context);
        var names = taken.GetOrAdd(endpoint, e => [.. RequestBodies.QueryProperties(definition.Verbs.First(), definition.ReqDtoType, e.RoutePattern.RawText ?? "")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))]);
        var unknown = context.Request.Query.Keys.Where(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        // A parameter given empty (?kind=, or ?kind alone) is refused rather than read as absent: it is what a client sends whose value
        // was lost by a slip (kind=${kind} with none chosen), and absent widens the answer without a word, the whole district in
        // place of its towns, every key's entries in place of one key's. Leaving the parameter out is how to ask for all.
        var empty = context.Request.Query.Where(q => !unknown.Contains(q.Key) && q.Value.Any(string.IsNullOrEmpty)).Select(q => q.Key).ToList();
        if (unknown.Count == 0 && empty.Count == 0) return next(context);
        var (takesZh, takes) = names.Length == 0 ? ("本接口不接受查询参数", "it takes none")
            : ($"本接口只接受 {string.Join("、", names)}", $"it takes {string.Join(", ", names)}");
        return Problems.BadRequest([
                .. unknown.Select(k => new ValidationFailure(k, $"{k} 不是本接口的查询参数：{takesZh}。{k} is not a query parameter of this operation: {takes}.")),
                .. empty.Select(k => new ValidationFailure(k, $"查询参数 {k} 是空的：不使用它时请整个省去（不要只写 {k}=），空值不会当作没有此参数。" +
                    $"The query parameter {k} is empty: leave it out altogether to not use it; {k}= with no value is not read as absent, since " +
                    "a value lost by mistake would then widen the answer without a word.")),
            ], context).ExecuteAsync(context);
    }

    /// <summary>
    /// The route parameters and query parameters whose value, as sent (the raw request target, before the framework decoded it),
    /// percent-encodes bytes that are not UTF-8.
    /// </summary>
    private static List<string> NotUtf8(HttpContext context, RouteEndpoint endpoint)
    {
        var names = new List<string>();
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.Path.Value ?? "";
        // An absolute-form target (GET http://host/v1/…, as a proxy sends it) is read from its path on.
        if (!target.StartsWith('/')) target = target.IndexOf('/', target.IndexOf("://", StringComparison.Ordinal) + 3) is var at and >= 0 ? target[at..] : "/";
        var path = target.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = endpoint.RoutePattern.PathSegments;
        for (var i = 0; i < Math.Min(path.Length, segments.Count); i++)
            if (!Utf8(path[i]) && segments[i].Parts.OfType<Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart>().FirstOrDefault() is { } parameter)
                names.Add(parameter.Name);
        foreach (var pair in (context.Request.QueryString.Value ?? "").TrimStart('?').Split('&'))
            if (!Utf8(pair) && pair.Split('=')[0] is var name)
                names.Add(Utf8(name) ? Uri.UnescapeDataString(name.Replace('+', ' ')) : "query");
        return names;
    }

    private static bool Utf8(string encoded)
    {
        if (!encoded.Contains('%')) return true;
        var bytes = System.Text.Encoding.UTF8.GetBytes(encoded);
        return System.Text.Unicode.Utf8.IsValid(System.Net.WebUtility.UrlDecodeToBytes(bytes, 0, bytes.Length));
    }
}
