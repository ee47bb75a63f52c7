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
    [FastEndpoints.QueryParam] public string? Format { get; set; }
}
