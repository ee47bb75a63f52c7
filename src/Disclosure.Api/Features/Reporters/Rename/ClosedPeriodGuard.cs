using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Reporters.Rename;

/// <summary>
/// The periods whose district table a change of a reporter's retirement (<c>retiredFrom</c>) changes: a closed one is what went
/// into a published report, so the change is refused while one of them is closed (409 <see cref="ProblemTypes.RetirementChangesClosedPeriod"/>).
/// </summary>
static class ClosedPeriodGuard
{
    /// <summary>The rule, as the API's descriptions state it.</summary>
    public static readonly string Rule =
        "A change of `retiredFrom` is refused (409 `" + ProblemTypes.RetirementChangesClosedPeriod.Slug + "`, with `periods`, those closed periods; nothing was changed) while it would change " +
        "the district table of a closed period: one in which the reporter has a table (for a year, its year table or any quarterly table of that " +
        "year) or which the period's expected list names, and for which it would become retired or reporting again — or, for a year of a catalogue " +
        "with quarters in which it has tables, be retired from another quarter of it (its year-end stocks, the quarters it owes and its " +
        "breakdown's mark follow that quarter); a district government also signs the district table of the periods it is in office at the end of. " +
        "A closed period in which the reporter has no table and which no expected list of the office's names changes in nothing but its 未报 " +
        "list (without a list, a closed period expects every reporter registered by its close): a merger recorded years later for a town that " +
        "stopped reporting is recorded without reopening anything. Reopen those periods first, or retire it from a period " +
        "not yet closed.";

    /// <summary>
    /// Whether <paramref name="period"/>'s district table changes when a reporter's retirement moves from <paramref name="from"/>
    /// to <paramref name="to"/> (null: not retired). The aggregate reads a retirement in three ways: a reporter retired for a
    /// period is not expected in it (its tables still add up, counted as not expected); in a year of a catalogue with quarters,
    /// one retired during the year (for its fourth quarter, not for the year) has its stocks left out, owes only the quarters
    /// before it and is marked in the breakdown with its <c>retiredFrom</c>; and the district government in office at a
    /// period's end signs its table. Only the last reads a reporter without a table: one with neither a table in the period nor
    /// a place on its expected list (a list the office wrote; without one, every reporter registered by the close is expected,
    /// and a town that had stopped reporting is then listed 未报 until its merger is recorded) changes nothing the period printed.
    /// </summary>
    public static bool Changes(string? from, string? to, Period period, bool quarterly, bool hasTable, bool listed, bool government)
    {
        bool Flips(Period p) => Reporter.IsRetiredFor(from, p) != Reporter.IsRetiredFor(to, p);
        if (government && Flips(period.IsYear ? period with { Quarter = 4 } : period)) return true;
        if (!hasTable && !listed) return false;
        if (Flips(period)) return true;
        return hasTable && quarterly && period.IsYear && period.QuartersOfYear().Any(Flips);
    }

    /// <summary>
    /// Every period of every catalogue that the retirement of <paramref name="reporter"/> moved to <paramref name="to"/> changes
    /// (<see cref="Changes"/>), open or closed: the store refuses the change if one of them is closed when it writes it. Only the
    /// periods for which the reporter's standing moves are read (a few reads each), so an unchanged retirement reads nothing.
    /// </summary>
    public static async Task<List<CataloguePeriod>> ChangedAsync(Reporter reporter, string? to, CatalogueRegistry catalogues, ISubmissionStore submissions,
        IPeriodStore periods, int lastYear, CancellationToken ct)
    {
        var from = reporter.RetiredFrom;
        bool Moves(Period p) => Reporter.IsRetiredFor(from, p) != Reporter.IsRetiredFor(to, p);
        var changed = new List<CataloguePeriod>();
        foreach (var catalogue in catalogues.All)
        {
            var quarterly = catalogue.Document.Periods.Granularities.Contains(Granularity.Quarter);
            // A year before its quarters, as the refusal lists them.
            foreach (var period in catalogue.AllowedPeriods(lastYear).OrderBy(p => p.Year).ThenBy(p => p.Quarter ?? 0))
            {
                if (!Moves(period) && !(period.IsYear && period.QuartersOfYear().Any(Moves))) continue;
                async Task<bool> HasTableAsync(Period p) => (await submissions.ListRevisionsAsync(reporter.Id, catalogue.Id, p.ToString(), ct)).Count > 0;
                var hasTable = await HasTableAsync(period);
                if (!hasTable && period.IsYear && quarterly)
                    foreach (var quarter in period.QuartersOfYear())
                        if (hasTable = await HasTableAsync(quarter)) break;
                var listed = (await periods.GetPeriodAsync(catalogue.Id, period.ToString(), ct)).ExpectedReporters?.Contains(reporter.Id) == true;
                if (Changes(from, to, period, quarterly, hasTable, listed, reporter.Kind == ReporterKind.Government))
                    changed.Add(new CataloguePeriod(catalogue.Id, period.ToString()));
            }
        }
        return changed;
    }

    /// <summary>The request that reopens <paramref name="period"/> (an admin key's).</summary>
    private static string Reopen(CataloguePeriod period) => $"POST /v1/periods/{period.CatalogueId}/{period.Period}/reopen";

    /// <summary>
    /// 409 <see cref="ProblemTypes.RetirementChangesClosedPeriod"/>: moving <paramref name="reporter"/>'s retirement to <paramref name="to"/> would change the district
    /// table of the <paramref name="closed"/> periods, each named by its catalogue and as people read it, and carried as
    /// <c>periods</c> (<c>catalogue</c>, <c>period</c>, <c>reopen</c>).
    /// </summary>
    public static IResult Refusal(Reporter reporter, string? to, IReadOnlyList<CataloguePeriod> closed, CatalogueRegistry catalogues, HttpContext context)
    {
        string Title(string id) => catalogues.TryGet(id, out var c) ? c.Document.Title : id;
        var named = string.Join("；", closed.GroupBy(p => p.CatalogueId).Select(g => $"《{Title(g.Key)}》{string.Join("、", g.Select(p => AuditText.Period(p.Period)))}"));
        var listed = string.Join(", ", closed.Select(p => $"{p.CatalogueId} {p.Period}"));
        var change = to is null ? "reinstating it" : $"retiring it from {to}";
        return Problems.Conflict(ProblemTypes.RetirementChangesClosedPeriod,
            $"将{reporter.Name}（{reporter.Id}）的撤并自由“{AuditText.RetiredFrom(reporter.RetiredFrom)}”改为“{AuditText.RetiredFrom(to)}”，会改变已关闭统计期的全区汇总表：{named}" +
            "（该单位在其中有报表、列入应报名单或为其填报单位，这些统计期的合计、年末时点数、应报情况或填报单位将随之改变），没有保存。已关闭的统计期是已发布报表的依据，不能在关闭后改动。" +
            "请先重新开放上述统计期，修改后再关闭；或者将撤并自改为尚未关闭的统计期。 " +
            $"The reporter '{reporter.Id}' is {(reporter.RetiredFrom is { } f ? $"retired from {f}" : "not retired")}; {change} would change the district table of " +
            $"closed periods ({listed}: their totals, year-end stocks, who they expect or who signs them); nothing was changed. A closed period is what went into a published report. " +
            $"Reopen those periods first ({string.Join(", ", closed.Select(Reopen))}) and close them again after the change, or retire it from a period not yet closed.",
            context, p => p.Extensions["periods"] = closed.Select(c => new Dictionary<string, string>
            {
                ["catalogue"] = c.CatalogueId, ["period"] = c.Period, ["reopen"] = Reopen(c),
            }).ToList());
    }
}
