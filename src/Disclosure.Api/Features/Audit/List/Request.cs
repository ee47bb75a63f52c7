using Disclosure.Storage;
using FastEndpoints;
using Disclosure.Api.Features.Aggregates;
using Disclosure.Api.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Routing.Template;

namespace Disclosure.Api.Features.Audit.List;

sealed class Request
{
    /// <summary>Entries at or after this time: an RFC 3339 date-time with its offset (write the <c>+</c> as <c>%2B</c> in a URL).</summary>
    /// <example>2026-12-01T00:00:00+08:00</example>
    [QueryParam] public DateTimeOffset? From { get; set; }

    /// <summary>Entries before this time (exclusive), as <c>from</c>.</summary>
    /// <example>2027-01-01T00:00:00+08:00</example>
    [QueryParam] public DateTimeOffset? To { get; set; }

    /// <summary>
    /// Entries older than this one: the <c>next</c> of the page before. Entry ids are version 7 uuids, which sort by the time they
    /// were made, and <c>before</c> is a position in that order rather than an entry looked up: an id that is not in the log is
    /// taken too (the entries made before its time), and gives an empty page where none is older.
    /// </summary>
    [QueryParam] public Guid? Before { get; set; }

    /// <summary>Only the entries made with this key (its id, as <c>GET /v1/keys</c> lists it): what a clerk, a town or a system did, or tried.</summary>
    [QueryParam] public Guid? KeyId { get; set; }

    /// <summary>
    /// Only the entries of this reporter (its id, as <c>GET /v1/reporters</c> lists it): what its reporter keys did or tried —
    /// a table submitted for it with the district's key is in its revisions, and a change to its registration is found by
    /// <c>action</c> and the path. An id not shaped as a reporter id is refused (400); one that is, but is not registered, is
    /// taken (a reporter removed from the registry leaves its entries), and gives an empty page where it has none.
    /// </summary>
    /// <example>gushao-town</example>
    [QueryParam] public string? Reporter { get; set; }

    /// <summary>
    /// Only the entries of one action: its method and route template, as an entry gives them (<c>method</c>, a space, <c>route</c>),
    /// whatever the ids in its path — <c>PATCH v1/reporters/{id}</c>, not the path <c>PATCH v1/reporters/gushao-town</c>, which is
    /// refused (400) with the template it matches; a leading <c>/</c> is taken as without. A template the service does not
    /// serve (one of an earlier version) is taken, and gives an empty page where the log has none.
    /// </summary>
    /// <example>PATCH v1/reporters/{id}</example>
    [QueryParam] public string? Action { get; set; }

    /// <summary>The <see cref="Reporter"/> asked for, or null (never given empty: KnownQuery refuses that).</summary>
    internal string? ReporterId => string.IsNullOrEmpty(Reporter) ? null : Reporter;

    /// <summary>The <see cref="Action"/> asked for, or null (not a method and a route).</summary>
    internal AuditAction? Operation => Action?.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var method, var route]
        && route.TrimStart('/') is { Length: > 0 } template ? new AuditAction(method.ToUpperInvariant(), template) : null;

    /// <summary>How many entries at most, 1 to 500; 100 when not given. A CSV holds every entry of the time asked for, whatever the limit.</summary>
    [QueryParam] public int? Limit { get; set; }

    /// <summary>Alternative to the Accept header: <c>json</c> or <c>csv</c> (any case).</summary>
    [QueryParam] public string? Format { get; set; }

    public const int MaxLimit = 500, DefaultLimit = 100;

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Limit).InclusiveBetween(1, MaxLimit).WithMessage($"条数（limit）须为 1 至 {MaxLimit} 的整数。limit must be a whole number from 1 to {MaxLimit}.");
            // Dependent: a format given twice is not one value to name (GivenOnce says so), so it is not also said to be no format.
            RuleFor(r => r.Format).GivenOnce("format").DependentRules(() =>
                RuleFor(r => r.Format).Must(f => f is null || Exports.Named(f) is { } named && Endpoint.Formats.Contains(named))
                    .WithMessage("格式（format）须为 json 或 csv。format must be json or csv."));
            RuleFor(r => r.Action).Must((r, a) => string.IsNullOrEmpty(a) || r.Operation is not null)
                .WithMessage("操作（action）须为方法、空格和路由，如 PATCH v1/reporters/{id}。action must be a method, a space and a route, as PATCH v1/reporters/{id}.");
            // A path given where the route template is asked for (v1/reporters/gushao-town for v1/reporters/{id}) is told
            // reliably: it is no template the service serves, and one of them matches it as a request's path would.
            RuleFor(r => r.Operation).Custom((operation, context) =>
            {
                if (operation is null) return;
                var templates = Resolve<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                    .Select(e => e.RoutePattern.RawText?.TrimStart('/')).OfType<string>().Distinct().ToList();
                if (operation.Route.Contains('{', StringComparison.Ordinal) || templates.Contains(operation.Route)) return;
                var meant = templates.FirstOrDefault(t => t.Contains('{', StringComparison.Ordinal)
                    && new TemplateMatcher(TemplateParser.Parse(t), []).TryMatch("/" + operation.Route, []));
                if (meant is not null)
                    context.AddFailure("action", $"操作（action）的路由须为路由模板，不是请求的路径：{operation.Route} 应写作 {operation.Method} {meant}。" +
                        $"action takes the route template, not a request's path: for {operation.Route}, write {operation.Method} {meant}.");
            });
            RuleFor(r => r.Reporter).Must(id => string.IsNullOrEmpty(id) || Features.Reporters.ReporterIds.IsValid(id))
                .WithMessage($"填报单位代码（reporter）须{Features.Reporters.ReporterIds.ShapeZh}。reporter must be a reporter id: {Features.Reporters.ReporterIds.ShapeEn}.");
            RuleFor(r => r.To).GreaterThan(r => r.From).When(r => r.From is not null && r.To is not null)
                .WithMessage("截止时间（to）须晚于起始时间（from）。to must be later than from.");
        }
    }
}
