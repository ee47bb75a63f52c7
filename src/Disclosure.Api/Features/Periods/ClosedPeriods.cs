using System.Globalization;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Periods;

/// <summary>Which closed period keeps a reporter's table of a period from changing, as the store judges an append.</summary>
public static class ClosedPeriods
{
    /// <summary>
    /// The period itself when it is closed; for a quarter, its year when that is closed and the reporter has no table of the
    /// year, since its year is then added up from its quarters; null when the table may change: neither is closed, or the
    /// district office returned the reporter's latest revision of it (退回), which unlocks that one table for its correction.
    /// </summary>
    public static async Task<Period?> ClosingAsync(IPeriodStore periods, ISubmissionStore submissions, string catalogue, Period period, string reporter, CancellationToken ct)
    {
        var closing = await ClosedOrYearAsync(periods, submissions, catalogue, period, reporter, ct);
        if (closing is null) return null;
        var revisions = await submissions.ListRevisionsAsync(reporter, catalogue, period.ToString(), ct);
        return revisions.Count > 0 && IsReturned(revisions[^1]) ? null : closing;
    }

    /// <summary>The period, or a quarter's year, that is closed to the reporter's table, whether or not the table was returned (退回).</summary>
    internal static async Task<Period?> ClosedOrYearAsync(IPeriodStore periods, ISubmissionStore submissions, string catalogue, Period period, string reporter, CancellationToken ct)
    {
        if ((await periods.GetPeriodAsync(catalogue, period.ToString(), ct)).Closed) return period;
        if (period.IsYear) return null;
        var year = period with { Quarter = null };
        return ClosesItsQuarters((await periods.GetPeriodAsync(catalogue, year.ToString(), ct)).Closed,
            (await submissions.ListRevisionsAsync(reporter, catalogue, year.ToString(), ct)).Count > 0) ? year : null;
    }

    /// <summary>Whether the office's current review of <paramref name="head"/>, a reporter's latest revision, returned it: its correction is let into a closed period.</summary>
    public static bool IsReturned(RevisionInfo? head) => head?.Review?.Decision == ReviewDecision.Returned;

    /// <summary>When <paramref name="closing"/> was closed; null when it is not (any more).</summary>
    public static async Task<DateTimeOffset?> ClosedAtAsync(IPeriodStore periods, string catalogue, Period closing, CancellationToken ct) =>
        (await periods.GetPeriodAsync(catalogue, closing.ToString(), ct)) is { Closed: true, ClosedAt: { } at } ? at : null;

    /// <summary>
    /// When the period stopped expecting reporters registered since: its own first closing or, for a quarter, its year's,
    /// whichever came first (<paramref name="year"/>: the year's settings, null for a year); null while neither was ever closed.
    /// The first: a period reopened (and closed again) was published with the reporters it expected then, and a town registered
    /// since does not owe a year published before it existed.
    /// </summary>
    public static DateTimeOffset? ClosedSince(PeriodSettings settings, PeriodSettings? year) =>
        (FirstClosed(settings), year is null ? null : FirstClosed(year)) switch
        {
            ({ } own, { } ofYear) => own < ofYear ? own : ofYear,
            (var own, var ofYear) => own ?? ofYear,
        };

    private static DateTimeOffset? FirstClosed(PeriodSettings s) => s.FirstClosedAt ?? (s.Closed ? s.ClosedAt : null);

    /// <summary>
    /// Whether a period without an expected list expects the reporter by when it was registered: a period closed
    /// (<see cref="ClosedSince"/>) expects those registered by then, so that a town registered for next year does not turn a
    /// closed, printed table into one with a town missing; an open one expects every reporter.
    /// </summary>
    public static bool RegisteredBy(Reporter reporter, DateTimeOffset? closedSince) => closedSince is not { } at || reporter.CreatedAt <= at;

    /// <summary>Whether a year closes its quarters to a reporter: it is closed, and the reporter has no table of it (its year is its quarters).</summary>
    public static bool ClosesItsQuarters(bool yearClosed, bool reporterHasYearTable) => yearClosed && !reporterHasYearTable;

    /// <summary>
    /// The <c>409 period-closed</c> for a table that <paramref name="closing"/> refuses: when it was closed, and the two ways in
    /// (退回 this one table, or reopen the period). Chinese first, for the departmental systems that show it to their users.
    /// </summary>
    public static async Task<IResult> ConflictAsync(IPeriodStore periods, string catalogue, Period closing, string chinese, string detail, HttpContext context, CancellationToken ct)
    {
        // Read again only to say when: it may have been reopened since the write was refused, and then there is no time to give.
        var closedAt = await ClosedAtAsync(periods, catalogue, closing, ct);
        var reopen = $"POST /v1/periods/{catalogue}/{closing}/reopen";
        var when = closedAt is { } t ? $"{closing} was closed at {ChinaTime.Of(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}; " : "";
        var whenZh = closedAt is { } z ? $"（关闭于 {ChinaTime.Of(z).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}）" : "";
        var (wayZh, way) = WayIn(context.User.IsInRole(Roles.Admin), reopen);
        return Problems.Conflict(ProblemTypes.PeriodClosed, $"{chinese}{whenZh}。{wayZh} {detail} {when}{char.ToLowerInvariant(way[0])}{way[1..]}", context, p =>
        {
            p.Extensions["period"] = closing.ToString();
            if (closedAt is { } at) p.Extensions["closedAt"] = at;
            p.Extensions["reopen"] = reopen;
        });
    }

    /// <summary>
    /// The ways to correct a table of a closed period, said to whoever asked: to the office, that it can return the table (退回:
    /// this reporter alone may then send one corrected revision, the period staying closed) or reopen the period; to a reporter,
    /// which can do neither, that the office can return its table for one correction, and reopen the period for a table not sent.
    /// </summary>
    public static (string Chinese, string English) WayIn(bool byOffice, string? reopen = null) => byOffice
        ? ("如需更正该单位的报表，可以将其退回（只放开这一张表，该单位可以更正重报一次，统计期仍然关闭），或重新开放统计期。",
            "To correct this reporter's table, the district office can return it (退回, POST /v1/submissions/{id}/review with decision returned), which " +
            $"lets this reporter alone submit one corrected revision while the period stays closed; or it can reopen the period{(reopen is null ? "" : $" ({reopen})")}.")
        : ("如需更正本单位已报的报表，区政务公开办可以将其退回，退回后本单位可以更正重报一次（无需重新开放统计期）；如需补报，请联系区政务公开办。",
            "To correct this reporter's table, the district office can return it (退回), after which this reporter may submit one corrected revision " +
            "without the period being reopened; to send a table not sent before, ask the district office.");

    /// <summary>
    /// The problem's words for <paramref name="closing"/>, a closed period that keeps a table of <paramref name="period"/> from
    /// changing. For a quarter closed with its year, that the reporter's year is added up from its quarters only when it sent
    /// one (<paramref name="fromQuarters"/>, <see cref="SentQuartersAsync"/>): a reporter that sent nothing of the year is told only that the quarter closed with it.
    /// </summary>
    public static (string English, string Chinese) Said(Period closing, Period period, string catalogue, bool fromQuarters) => closing == period
        ? ($"Period {period} of catalogue {catalogue} is closed", $"{AuditText.Period(period.ToString())}统计期已关闭")
        : fromQuarters
            ? ($"Year {closing} of catalogue {catalogue} is closed, and this reporter's {closing} is added up from its quarterly tables, so its {period} is closed with it",
                $"{AuditText.Period(closing.ToString())}已关闭，该单位的年度数据由季报汇总而来，{AuditText.Period(period.ToString())}季报随之关闭")
            : ($"Year {closing} of catalogue {catalogue} is closed, and this reporter sent no table of it, so its {period} is closed with it",
                $"{AuditText.Period(closing.ToString())}已关闭，{AuditText.Period(period.ToString())}季报随之关闭");

    /// <summary>
    /// Whether <paramref name="closing"/> closes a quarter <paramref name="period"/> to a reporter that sent a table of one of the
    /// year's quarters (its year then is added up from them); false when the period closes itself.
    /// </summary>
    public static async Task<bool> SentQuartersAsync(ISubmissionStore submissions, string catalogue, Period closing, Period period, string reporter, CancellationToken ct)
    {
        if (closing == period) return false;
        foreach (var quarter in closing.QuartersOfYear())
            if ((await submissions.ListRevisionsAsync(reporter, catalogue, quarter.ToString(), ct)).Count > 0) return true;
        return false;
    }
}
