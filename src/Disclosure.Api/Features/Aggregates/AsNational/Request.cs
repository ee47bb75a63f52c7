using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.AsNational;

sealed class Request
{
    /// <summary>The edition's catalogue id, e.g. <c>gov-info-disclosure-fujian-2008</c>.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period of the edition, e.g. 2015.</summary>
    public string Period { get; set; } = "";
    /// <summary>The national catalogue the edition maps to, e.g. <c>gov-info-disclosure-2014</c>.</summary>
    public string National { get; set; } = "";
    /// <summary>Alternative to the Accept header: <c>json</c>, <c>csv</c>, <c>xlsx</c> or <c>html</c> (any case).</summary>
    [QueryParam] public string? Format { get; set; }
    /// <summary>按时点 · The table as it stood at this moment, as <c>asAt</c> of the edition's own district table reads it (the period's <c>firstClosedAt</c>: as first published).</summary>
    /// <example>2016-01-20T10:00:00+08:00</example>
    [QueryParam] public string? AsAt { get; set; }

    // The district table's rule: a format it does not name is the parameter's fault, not the Accept header's (a 406).
    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Format).AnyFormat();
            Aggregates.Get.Request.AsAtRule(this, r => r.AsAt, Resolve<TimeProvider>);
        }
    }
}
