using Disclosure.Catalogue;
using Microsoft.AspNetCore.Mvc;

namespace Disclosure.Api.Infrastructure;

/// <summary>Every error leaves the service as RFC 9457 problem details; this is the one place that builds them.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    private const string TypeBase = "https://disclosure.example.gov.cn/problems/";

    public static ProblemDetails Create(int status, string slug, string title, string detail, HttpContext? context = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = TypeBase + slug,
            Title = title,
            Detail = detail,
            Instance = context?.Request.Path.Value,
        };
        if (context is not null) problem.Extensions["requestId"] = context.TraceIdentifier;
        return problem;
    }

    public static IResult Result(int status, string slug, string title, string detail, HttpContext context) =>
        TypedResults.Problem(Create(status, slug, title, detail, context));

    public static IResult NotFound(string what, HttpContext context) =>
        Result(StatusCodes.Status404NotFound, "not-found", "Not found", what, context);

    public static IResult Forbidden(string detail, HttpContext context) =>
        Result(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail, context);

    public static IResult Conflict(string slug, string detail, HttpContext context, Action<ProblemDetails>? extend = null)
    {
        var p = Create(StatusCodes.Status409Conflict, slug, "Conflict", detail, context);
        extend?.Invoke(p);
        return TypedResults.Problem(p);
    }

    /// <summary>422: well-formed but refused by the registry or the catalogue, with every violation.</summary>
    public static IResult Unprocessable(string detail, IReadOnlyList<Violation> violations, HttpContext context)
    {
        var p = Create(StatusCodes.Status422UnprocessableEntity, "unprocessable", "The submission was refused", detail, context);
        p.Extensions["violations"] = violations;
        return TypedResults.Problem(p);
    }

    /// <summary>A registry-level refusal expressed as a violation, so clients read one shape for every 422.</summary>
    public static Violation RegistryViolation(string rule, string code, string message, string messageZh) =>
        new(rule, Severity.Error, [code], null, null, message, messageZh);

    /// <summary>The registry's refusal of a reporter id that names no registered reporter.</summary>
    public static Violation UnknownReporter(string id) =>
        RegistryViolation("unknown-reporter", id, $"Reporter '{id}' is not registered.", $"填报单位“{id}”未登记。");
}
