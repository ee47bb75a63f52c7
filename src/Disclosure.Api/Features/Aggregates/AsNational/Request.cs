namespace Disclosure.Api.Features.Aggregates.AsNational;

sealed class Request
{
    /// <summary>The edition's catalogue id, e.g. <c>gov-info-disclosure-fujian-2008</c>.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period of the edition, e.g. 2015.</summary>
    public string Period { get; set; } = "";
    /// <summary>The national catalogue the edition maps to, e.g. <c>gov-info-disclosure-2014</c>.</summary>
    public string National { get; set; } = "";
}
