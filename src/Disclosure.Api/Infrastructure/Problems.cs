using Disclosure.Catalogue;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Template;

namespace Disclosure.Api.Infrastructure;

/// <summary>Every error leaves the service as RFC 9457 problem details; this is the one place that builds them.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    public const string TypeBase = "https://disclosure.example.gov.cn/problems/";

    /// <summary>A problem of <paramref name="type"/>, titled as the type is unless <paramref name="title"/> says more of this one.</summary>
    public static ProblemDetails Create(ProblemType type, string detail, HttpContext? context = null, string? title = null)
    {
        var problem = new ProblemDetails
        {
            Status = type.Status,
            Type = type.Uri,
            Title = title ?? type.Title,
            // A value the client sent, echoed in the detail (a path, an id, a period), is shown without its control and invisible format
            // characters (U+FFFD in their place, as the audit log writes them): a right-to-left override or a terminal escape in it
            // would otherwise make the problem read other than it is in a log or on a page.
            Detail = PrintableText.Printable(detail),
            Instance = context is null ? null : Instance(context),
        };
        // Set here as well as by ProblemShape: FastEndpoints writes its 400 (Validation) with its own serializer, not through
        // the problem-details service (and so without its customisation).
        if (context is not null)
        {
            problem.Extensions["traceId"] = TraceId(context);
            problem.Extensions["requestId"] = context.TraceIdentifier;
        }
        return problem;
    }

    /// <summary>
    /// A problem's <c>instance</c>: the request's path as a URI reference (RFC 9457), percent-encoded as it came
    /// (<c>/v1/reporters/%E5%B1%80</c>), since the decoded path may hold spaces or Chinese that no URI holds.
    /// </summary>
    public static string Instance(HttpContext context) =>
        (context.Request.PathBase + (context.Items.TryGetValue(typeof(AskedPath), out var asked) && asked is AskedPath { Path: var path } ? path : context.Request.Path)).ToUriComponent();

    /// <summary>
    /// Keeps the request's path as the client sent it, for <see cref="Instance"/>, before a rewrite of the service's own (the default
    /// file's: <c>/</c> is answered by <c>/index.html</c>) changes it.
    /// </summary>
    public static void AskedFor(HttpContext context) => context.Items[typeof(AskedPath)] = new AskedPath(context.Request.Path);

    private sealed record AskedPath(PathString Path);

    /// <summary>What a problem says when whoever raised it said nothing more than its status.</summary>
    public static string DefaultDetail(int status, HttpContext context) => status switch
    {
        404 => $"{context.Request.Path} 处没有内容：请核对网址。Nothing exists at {context.Request.Path}.",
        405 => $"{context.Request.Path} 不接受 {context.Request.Method} 请求。{context.Request.Method} is not allowed on {context.Request.Path}.",
        406 => "此资源没有符合 Accept 请求头的格式。No representation of this resource satisfies the Accept header.",
        412 => "请求的前提条件（If-Match、If-Unmodified-Since）不成立：文件已有变化，请重新读取。A precondition of the request (If-Match, If-Unmodified-Since) does not hold: the file has changed; read it again.",
        415 => UnsupportedMediaTypeDetail(context),
        416 => "请求的范围（Range）超出了文件的末尾，Content-Range 给出文件的长度。The requested range is past the end of the file; Content-Range gives its length.",
        500 => "服务意外出错：向区政务公开办询问时请提供 traceId。The service failed unexpectedly; quote the traceId when you ask the district office.",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) + ".",
    };

    /// <summary>
    /// The one wording of a 415 for a body the operation does not take, whoever refuses it (routing, for a type no operation at the
    /// path takes; <see cref="ContentTypeRequired"/>, for one routing lets through): the type sent, and the types accepted, in
    /// Chinese first and then in English, as every refusal a departmental system shows its users.
    /// </summary>
    public static string UnsupportedMediaTypeDetail(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        var accepted = AcceptedTypes(context);
        var (sentZh, sent) = string.IsNullOrEmpty(contentType) ? ("请求没有 Content-Type", "The request has no Content-Type")
            : Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out _)
                ? ($"本接口不接受 Content-Type“{contentType}”", $"The Content-Type '{contentType}' is not one this operation takes")
            : ($"Content-Type“{contentType}”不是有效的媒体类型", $"The Content-Type '{contentType}' is not a media type");
        return $"{sentZh}：请以 {string.Join(" 或 ", accepted)} 发送请求体。{sent}; send the body as {string.Join(" or ", accepted)}.";
    }

    /// <summary>A 415 problem, in the one wording (<see cref="UnsupportedMediaTypeDetail"/>) unless <paramref name="detail"/> says more.</summary>
    public static IResult UnsupportedMediaType(HttpContext context, string? detail = null) =>
        Result(ProblemTypes.UnsupportedMediaType, detail ?? UnsupportedMediaTypeDetail(context), context);

    /// <summary>
    /// The media types the request's operation takes as its body, as it declares them (the Excel workbook besides JSON for a
    /// submission, a merge patch for a reporter's name); JSON where it declares none.
    /// </summary>
    public static IReadOnlyList<string> AcceptedTypes(HttpContext context)
    {
        // A Content-Type no operation at this path takes is refused by routing, which then runs an endpoint of its own that
        // names none: the operation is found again among those the method and path match.
        var endpoint = context.GetEndpoint() is { } chosen && chosen.Metadata.GetMetadata<IAcceptsMetadata>() is not null
            ? chosen
            : context.RequestServices.GetService<EndpointDataSource>()?.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e =>
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase) == true
                && e.Metadata.GetMetadata<IAcceptsMetadata>() is not null
                && new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText ?? ""), []).TryMatch(context.Request.Path, []));
        return endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts ? accepts.ContentTypes : ["application/json"];
    }

    /// <summary>The W3C trace context id of the request (<c>00-trace-span-flags</c>), as telemetry records it.</summary>
    public static string TraceId(HttpContext context) =>
        System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity
            ? activity.Id!
            : context.Items.TryGetValue(typeof(Problems), out var made) && made is string id ? id
            : (string)(context.Items[typeof(Problems)] =
                $"00-{System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString()}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-00");

    /// <summary>
    /// FastEndpoints' 400 (binding and validation failures) in the same shape as every other problem, with
    /// <c>errors: [{name, reason}]</c>: the field and why, in the document's terms. FluentValidation's own validator codes
    /// (<c>PredicateValidator</c>) and severities are its internals, not the contract, and are not sent.
    /// </summary>
    public static object Validation(List<FluentValidation.Results.ValidationFailure> failures, HttpContext context, int status)
    {
        // Fields are counted, not errors: one field can break several rules (?reporters=a,, has a bad id and two empty ones).
        var fields = failures.Select(f => f.PropertyName).Distinct(StringComparer.Ordinal).Count();
        var problem = Create(ProblemTypes.Validation,
            failures.Count == 1 ? failures[0].ErrorMessage
            : fields == 1 ? $"{failures[0].PropertyName} 有 {failures.Count} 处填写有误，各处见 errors。{failures[0].PropertyName} is malformed in {failures.Count} ways; see errors."
            : $"{fields} 项填写有误，各项见 errors。{fields} fields are malformed; see errors.", context);
        problem.Status = status;
        problem.Extensions["errors"] = failures.Select(f => new ValidationError(PrintableText.Printable(f.PropertyName), PrintableText.Printable(f.ErrorMessage))).ToList();
        return problem;
    }

    /// <summary>
    /// FastEndpoints' message for a route or query value it cannot bind (its own says "Value [x] is not valid for a
    /// [ReporterKind] property!"): the field, the value, and what it takes, in the words the document uses, Chinese first.
    /// </summary>
    public static string BindingFailure(Type type, string name, Microsoft.Extensions.Primitives.StringValues value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var (chinese, english) = target.IsEnum
                ? ($"{string.Join("、", EnumNameConverter.Names(target))} 之一", "one of " + string.Join(", ", EnumNameConverter.Names(target)))
            : target == typeof(Guid) ? ("形如 01a21edc-5315-7057-9d18-6e7135973dc2 的编号", "an id such as 01a21edc-5315-7057-9d18-6e7135973dc2")
            : target == typeof(int) || target == typeof(long) ? ("整数", "a whole number")
            : target == typeof(DateTimeOffset)
                ? ("带时区的 RFC 3339 日期时间，如 2015-01-31T16:00:00Z 或 2015-02-01T00:00:00+08:00（在网址中，+ 须写作 %2B）",
                    "an RFC 3339 date and time with its offset, such as 2015-01-31T16:00:00Z or 2015-02-01T00:00:00+08:00 (in a URL, write the + as %2B)")
            : (target.Name, "a " + target.Name);
        return $"{name} 填的是“{value}”，须为{(char.IsAscii(chinese[0]) ? " " : "")}{chinese}。{name} is '{value}', which is not {english}.";
    }

    /// <summary>A 400 in the shape of <see cref="Validation"/>, for a refusal made before the endpoint binds the request.</summary>
    public static IResult BadRequest(List<FluentValidation.Results.ValidationFailure> failures, HttpContext context) =>
        TypedResults.Problem((ProblemDetails)Validation(failures, context, StatusCodes.Status400BadRequest));

    public sealed record ValidationError(string Name, string Reason);

    public static IResult Result(ProblemType type, string detail, HttpContext context, string? title = null) =>
        TypedResults.Problem(Create(type, detail, context, title));

    public static IResult NotFound(string what, HttpContext context) => Result(ProblemTypes.NotFound, what, context);

    public static IResult Forbidden(string detail, HttpContext context) => Result(ProblemTypes.Forbidden, detail, context);

    public static IResult Conflict(ProblemType type, string detail, HttpContext context, Action<ProblemDetails>? extend = null)
    {
        var p = Create(type, detail, context);
        extend?.Invoke(p);
        return TypedResults.Problem(p);
    }

    /// <summary>
    /// 422: well-formed but refused by the registry or the catalogue, with every violation. The title names a submission
    /// only where one was sent: a key, a period's settings or a read's filter is "the request".
    /// </summary>
    public static IResult Unprocessable(string detail, IReadOnlyList<Violation> violations, HttpContext context, string title = "The submission was refused",
        Action<ProblemDetails>? extend = null)
    {
        var p = Create(ProblemTypes.Unprocessable, detail, context, title);
        p.Extensions["violations"] = violations;
        extend?.Invoke(p);
        return TypedResults.Problem(p);
    }

    /// <summary>A registry-level refusal expressed as a violation, so clients read one shape for every 422.</summary>
    public static Violation RegistryViolation(string rule, string code, string message, string messageZh) =>
        new(rule, Severity.Error, [code], null, null, message, messageZh);

    /// <summary>The registry's refusal of a reporter id that names no registered reporter.</summary>
    public static Violation UnknownReporter(string id) =>
        RegistryViolation(RegistryRuleIds.UnknownReporter, id, $"Reporter '{id}' is not registered.", $"填报单位“{id}”未登记。");
}
