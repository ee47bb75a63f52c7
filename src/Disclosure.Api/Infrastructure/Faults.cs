using Disclosure.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Exceptions that are not the service's bugs, answered as what they are: a full or failing disk, or a database that
/// cannot be reached (507, or 503 with Retry-After: which exceptions those are is <see cref="StoreFaultException.From"/>'s
/// to say, for every store), and a request the client did not finish sending (408 for a body that came too slowly, 400 for one cut
/// off; Kestrel's other refusals keep their status). Anything else is left to the default 500 handler.
/// </summary>
public sealed class Faults(IProblemDetailsService problems, ILogger<Faults> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before retrying a write that met an I/O fault.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        // A read that meets a failing disk is the same fault as a write that does (the writer reports its own already mapped).
        switch (StoreFaultException.From(exception) ?? exception)
        {
            case StoreFaultException { Kind: StoreFaultKind.Full } full:
                logger.LogWarning(full, "A write failed: the store's disk is full");
                problem = Problems.Create(ProblemTypes.InsufficientStorage,
                    "存储的磁盘已满，没有保存：请待区政务公开办腾出空间后重试。The store's disk is full; nothing was stored. Retry once the district office has freed space.", context);
                break;
            case StoreFaultException fault:
                logger.LogWarning(fault, "The store failed: its disk could not be written, or its database could not be reached");
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var retry = Retries.AdviceFor(context);
                problem = Problems.Create(ProblemTypes.StoreUnavailable,
                    "存储暂不可用（磁盘无法写入或数据库无法连接），请稍后重试。" + retry?.Chinese +
                    "The store is unavailable: its disk could not be written, or its database could not be reached. Retry later." +
                    (retry is null ? "" : " " + retry.English), context);
                break;
            case BadHttpRequestException bad:
                // The client's doing (a slow or cut-off body): worth a line, not an alert.
                logger.LogInformation("Request refused by the server: {Status} {Reason}", bad.StatusCode, bad.Message);
                var status = bad.StatusCode;
                // Kestrel's own words are English; what they mean for the sender is said before them (the service's own, such as
                // JsonBodies' 415, are in Chinese already).
                var said = status switch
                {
                    StatusCodes.Status408RequestTimeout => "请求体发送得太慢，服务没有等它发完：请重新发送。",
                    StatusCodes.Status413PayloadTooLarge => $"请求体超过上限 {RequestLimits.MaxBodyBytes} 字节（1 MiB）。",
                    StatusCodes.Status400BadRequest => "请求没有发送完整或无法读取：请重新发送。",
                    _ => "",
                };
                if (bad.Message.Any(c => c >= '\u4e00' && c <= '\u9fff')) said = "";
                problem = Problems.Create(ProblemTypes.ForStatus(status), said + bad.Message, context, ReasonPhrases.GetReasonPhrase(status));
                // A 400 is documented with the fields it refuses; what the server could not read here is the body.
                if (status == StatusCodes.Status400BadRequest) problem.Extensions["errors"] = new[] { new Problems.ValidationError("body", problem.Detail!) };
                break;
            default:
                return false;
        }
        if (context.Response.HasStarted) return true;
        context.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        return true;
    }
}

/// <summary>The fields every problem carries, whoever made it (an endpoint, the status-code pages, the exception handler).</summary>
public static class ProblemShape
{
    public static void Complete(ProblemDetailsContext c)
    {
        var problem = c.ProblemDetails;
        var context = c.HttpContext;
        var status = problem.Status ?? context.Response.StatusCode;
        problem.Status = status;
        if (problem.Type is null || !problem.Type.StartsWith(Problems.TypeBase, StringComparison.Ordinal))
            problem.Type = ProblemTypes.ForStatus(status).Uri;
        if (string.IsNullOrEmpty(problem.Title) || problem.Title.StartsWith("One or more", StringComparison.Ordinal))
            problem.Title = ReasonPhrases.GetReasonPhrase(status);
        problem.Detail = Disclosure.Catalogue.PrintableText.Printable(problem.Detail ?? Problems.DefaultDetail(status, context)); // as Problems.Create
        // A violation's words quote what was sent too (a catalogue id that is not one), and the pages show them.
        if (problem.Extensions.TryGetValue("violations", out var listed) && listed is IEnumerable<Disclosure.Catalogue.Violation> violations)
            problem.Extensions["violations"] = violations.Select(v => v with
            {
                Message = Disclosure.Catalogue.PrintableText.Printable(v.Message), MessageZh = Disclosure.Catalogue.PrintableText.Printable(v.MessageZh),
            }).ToList();
        problem.Instance ??= Problems.Instance(context);
        problem.Extensions["traceId"] = Problems.TraceId(context);
        problem.Extensions["requestId"] = context.TraceIdentifier;
        // The exception handler clears the response's headers before a problem is written in its place.
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
        if (status == StatusCodes.Status405MethodNotAllowed) AllowHead(context.Response.Headers);
    }

    /// <summary>
    /// Adds HEAD to a 405's <c>Allow</c> wherever it lists GET: every GET answers HEAD (RFC 9110 9.3.2), but HEAD is routed as the
    /// GET it stands for (Program.cs), so routing, which writes the header from the endpoints' methods, never names it.
    /// </summary>
    public static void AllowHead(IHeaderDictionary headers)
    {
        var allowed = headers.Allow.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (!allowed.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) || allowed.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase)) return;
        allowed.Insert(allowed.FindIndex(m => HttpMethods.IsGet(m)) + 1, HttpMethods.Head);
        headers.Allow = string.Join(", ", allowed);
    }
}

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's Accept says: the framework's own
/// writer declines a client whose Accept names no JSON type, and the status-code pages then answer in plain text.
/// Serialised with the same options as the framework's writer.
/// </summary>
public sealed class ProblemJsonWriter(
    Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> problems,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(context.ProblemDetails, context.ProblemDetails.GetType(),
            json.Value.SerializerOptions, Problems.ContentType, context.HttpContext.RequestAborted));
    }
}
