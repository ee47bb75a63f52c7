using Disclosure.Storage;

namespace Disclosure.Api.Features.Periods;

/// <summary>The district office's settings for one catalogue period.</summary>
// Not sealed: the close's answer is this view and who the closed period leaves owing a table (Close.Response).
public class PeriodView
{
    public PeriodView() { }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    protected PeriodView(PeriodSettings s) =>
        (Catalogue, Period, Closed, ClosedAt, FirstClosedAt, Deadline, ExpectedReporters) = (s.CatalogueId, s.Period, s.Closed, s.ClosedAt, s.FirstClosedAt, s.Deadline, s.ExpectedReporters);

    public required string Catalogue { get; init; }
    public required string Period { get; init; }
    /// <summary>A closed period takes no submissions (409) until it is reopened.</summary>
    public required bool Closed { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>
    /// 首次关闭 · When the period was first closed, which published its table; kept through reopenings and later closes (absent
    /// until the first). Open with it, the period is a published one reopened. The district table as first closed is
    /// <c>GET /v1/aggregates/{catalogue}/{period}?asAt=</c> this time.
    /// </summary>
    public DateTimeOffset? FirstClosedAt { get; init; }
    /// <summary>Submissions received after the deadline are marked late in the aggregate.</summary>
    public DateTimeOffset? Deadline { get; init; }
    /// <summary>
    /// The reporters expected to submit; null means every registered reporter, and for a closed period (or a quarter closed
    /// with its year) every one registered by the time it was first closed, reopened or not. A reporter retired for the period (<c>retiredFrom</c>) is
    /// not expected even when named here.
    /// </summary>
    public IReadOnlyList<string>? ExpectedReporters { get; init; }

    public static PeriodView From(PeriodSettings s) => new(s);

    /// <summary>The settings' ETag: their version (<see cref="PeriodSettings.Version"/>), quoted, as a submission's revision is.</summary>
    public static string ETag(int version) => $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
}

/// <summary>The route of every period endpoint: <c>/v1/periods/{catalogue}/{period}</c>.</summary>
public class PeriodRoute
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    public string Period { get; set; } = "";
}

public static class PeriodChecks
{
    /// <summary>Null when the catalogue exists and allows the period; otherwise the problem to send.</summary>
    public static IResult? Problem(Disclosure.Catalogue.CatalogueRegistry catalogues, PeriodRoute route, HttpContext context) =>
        Resolve(catalogues, route.Catalogue, route.Period, context, out _, out _);

    /// <summary>
    /// Resolves a catalogue and one of its periods from a route or query, or gives the problem to send: a 400 naming <c>period</c>
    /// for text that is no period (<c>2015Q9</c>, <c>abc</c>), as a submission's body is refused, and a 404 for a catalogue or period that does not exist.
    /// </summary>
    public static IResult? Resolve(Disclosure.Catalogue.CatalogueRegistry catalogues, string catalogueId, string periodText, HttpContext context,
        out Disclosure.Catalogue.Catalogue catalogue, out Disclosure.Catalogue.Period period)
    {
        catalogue = null!;
        if (!Disclosure.Catalogue.Period.TryParse(periodText, out period))
            return Infrastructure.Problems.BadRequest([new("period", $"统计期（period）“{periodText}”不是有效的统计期：应为年度（如 2014）或季度（如 2014Q3）。" +
                $"period '{periodText}' is not a period: use a year such as 2014 or a quarter such as 2014Q3.")], context);
        if (!catalogues.TryGet(catalogueId, out catalogue))
            return Infrastructure.Problems.NotFound($"没有代码为“{catalogueId}”的报表。There is no catalogue '{catalogueId}'.", context);
        if (!catalogue.AllowsPeriod(period))
            return Infrastructure.Problems.NotFound($"{catalogue.Document.Title}没有统计期“{periodText}”：{Allowed(catalogue.Document.Periods)}。" +
                $"Catalogue '{catalogueId}' has no period '{periodText}'.", context);
        return null;
    }

    /// <summary>The periods a catalogue takes, as the office would say them: 可填 2008 至 2020 年的年份（如 2014）或季度（如 2014Q3）.</summary>
    private static string Allowed(Disclosure.Catalogue.PeriodPolicyDocument policy)
    {
        var span = policy.ToYear is { } to ? $"{policy.FromYear} 至 {to} 年" : $"{policy.FromYear} 年起";
        var kinds = policy.Granularities.Select(g => g == Disclosure.Catalogue.Granularity.Year ? $"年份（如 {policy.FromYear}）" : $"季度（如 {policy.FromYear}Q3）");
        return $"可填 {span}的{string.Join("或", kinds)}";
    }
}
