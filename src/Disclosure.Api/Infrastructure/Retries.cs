using System.Collections.Concurrent;
using System.Reflection;
using FastEndpoints;
using FluentValidation.Results;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// What a write's retry meets: its endpoint's <see cref="RetryAdvice"/>, said with the 503 a write can meet, and the refusal of an
/// Idempotency-Key where none is read, and of a precondition (If-Match) likewise. Only a submission (and its dry run) reads
/// Idempotency-Key, and If-Match too, as a period's PUT, close and reopening do; every other write is safe to repeat by its
/// nature, or says how to tell a retry that was stored.
/// </summary>
public static class Retries
{
    public const string IdempotencyKeyHeader = Features.Submissions.SubmissionBody.IdempotencyHeader;
    public const string IfMatchHeader = Features.Submissions.SubmissionBody.IfMatchHeader;

    /// <summary>
    /// What sending the request's write again does, as its endpoint declares it (<see cref="RetryAdvice"/>); from an exception
    /// handler too, which runs with the endpoint cleared from the request and kept on its feature. Null for a read.
    /// </summary>
    public static RetryAdvice? AdviceFor(HttpContext context) =>
        (context.GetEndpoint() ?? context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint)?.Metadata.GetMetadata<RetryAdvice>();

    /// <summary>Whether the request type binds the header (<c>[FromHeader]</c>): how an operation says it reads one.</summary>
    private static bool ReadsHeader(Type? request, string header) =>
        request?.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Any(p => string.Equals(p.GetCustomAttribute<FromHeaderAttribute>()?.HeaderName, header, StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>
    /// The headers a write refuses unless it reads them, each of which a client sends believing it protects the write: Idempotency-Key
    /// (a retry recognised) and the preconditions a write could evaluate (RFC 9110 13.1: no overwrite of a change made meanwhile).
    /// If-Modified-Since and If-Range are not among them: RFC 9110 has every recipient ignore them on a method other than GET.
    /// </summary>
    public static readonly IReadOnlyList<string> WriteOnlyIfRead = [IdempotencyKeyHeader, IfMatchHeader, "If-None-Match", "If-Unmodified-Since"];

    /// <summary>The headers of <see cref="WriteOnlyIfRead"/> a write with this request type does not read, and so refuses.</summary>
    public static IReadOnlyList<string> UnreadBy(Type? request) => [.. WriteOnlyIfRead.Where(h => !ReadsHeader(request, h))];

    /// <summary>Why a write refuses a header it does not read (<paramref name="readsIfMatch"/>: whether it takes a precondition at all).</summary>
    public static string Refusal(string header, bool readsIfMatch) => header switch
    {
        IdempotencyKeyHeader =>
            "本接口不读取 Idempotency-Key 请求头（只有 POST /v1/submissions 及其校验读取），重发时不能据此识别，请去掉该请求头再发送；本次没有保存。" +
            "This operation does not read the Idempotency-Key header (only POST /v1/submissions and its dry run do), so a retry of it would not be " +
            "recognised by it: send the request without the header. What sending this operation again does is said with its 503 in the OpenAPI document.",
        IfMatchHeader =>
            "本接口不接受前提条件，不读取 If-Match 请求头（只有 POST /v1/submissions 及其校验、PUT /v1/periods/{catalogue}/{period} 及统计期的关闭和重新开放读取，用以指明所替换的版本），不能据此防止覆盖他人在此期间所做的修改，" +
            "请去掉该请求头再发送；本次没有保存。" +
            "This operation takes no precondition: it does not read the If-Match header (only POST /v1/submissions, its dry run, and PUT " +
            "/v1/periods/{catalogue}/{period} with the period's close and reopen do, naming the revision or settings replaced), so it would not keep this write from overwriting a change made meanwhile: send the request without the header.",
        _ => (readsIfMatch ? $"本接口不读取 {header} 请求头" : $"本接口不接受前提条件，不读取 {header} 请求头") +
            "（任何写操作都不读取；报送报表时用 If-Match 指明所替换的版本），不能据此防止覆盖他人在此期间所做的修改，请去掉该请求头再发送；本次没有保存。" +
            (readsIfMatch ? $"This operation does not read the {header} header" : $"This operation takes no precondition: it does not read the {header} header") +
            " (no write does; a submission names the revision it replaces with If-Match), so it would not keep this write from overwriting a change " +
            "made meanwhile: send the request without the header.",
    };

    /// <summary>Why a write that reads If-Match refuses it sent empty.</summary>
    public const string EmptyIfMatch =
        "请求头 If-Match 是空的：空的 If-Match 不指明任何版本，不能作为前提条件。请原样发送读取时得到的 ETag，如 \"3\"（带英文双引号），或发送 *；" +
        "不需要前提条件时，不发送该请求头。本次没有保存。" +
        "The If-Match header is empty, which names no version and so is no precondition: send the ETag a read gave, as given, such as \"3\" " +
        "(in double quotes), or *; to take no precondition, leave the header out. Nothing was stored.";

    /// <summary>
    /// A write refuses a header of <see cref="WriteOnlyIfRead"/> it does not read (400 naming each) rather than passing it over: a
    /// client that sends Idempotency-Key believes its retry is recognised (on <c>POST /v1/keys</c> it would silently get a second key),
    /// and one that sends If-Match believes its write is refused if someone else wrote first. A read takes them unremarked (sending a
    /// read again changes nothing, and the tables answer If-None-Match themselves).
    /// </summary>
    public sealed class UnreadWriteHeaders(RequestDelegate next)
    {
        private readonly ConcurrentDictionary<EndpointDefinition, IReadOnlyList<string>> unread = new();

        public Task InvokeAsync(HttpContext context)
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
                || !WriteOnlyIfRead.Any(context.Request.Headers.ContainsKey)
                || context.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>() is not { } definition)
                return next(context);
            var unreadHere = unread.GetOrAdd(definition, d => UnreadBy(d.ReqDtoType));
            var refused = unreadHere.Where(context.Request.Headers.ContainsKey).ToList();
            var readsIfMatch = !unreadHere.Contains(IfMatchHeader);
            // An If-Match sent empty reaches no request property (the binder passes an empty header over), so it is refused here, where
            // its presence is seen: RFC 9110 has it be * or a list of tags, and an empty list is no precondition. Taken for an absent
            // one, it would store the write its client meant to be conditional.
            if (readsIfMatch && context.Request.Headers.TryGetValue(IfMatchHeader, out var ifMatch) && ifMatch.All(string.IsNullOrWhiteSpace))
                return Problems.BadRequest([new ValidationFailure(IfMatchHeader, EmptyIfMatch)], context).ExecuteAsync(context);
            if (refused.Count == 0) return next(context);
            return Problems.BadRequest([.. refused.Select(h => new ValidationFailure(h, Refusal(h, readsIfMatch)))], context).ExecuteAsync(context);
        }
    }
}

/// <summary>
/// What sending a write again does, in a sentence or two, declared by the write's own endpoint
/// (<c>Options(b => b.WithMetadata(new RetryAdvice(…)))</c>) and said with the 503 it can meet: in the OpenAPI document and in
/// the problem's <c>detail</c> alike. <paramref name="Chinese"/> is the same for the person who reads the detail, said apart where
/// a retry does more than repeat.
/// </summary>
public sealed record RetryAdvice(string English, string Chinese = RetryAdvice.SameAsOnce)
{
    public const string SameAsOnce = "可原样重发，结果与发送一次相同。";
}
