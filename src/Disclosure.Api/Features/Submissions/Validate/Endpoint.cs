using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Validate;

sealed class Endpoint(SubmissionJudge judge, ISubmissionStore submissions, IPeriodStore periods, Aggregates.AggregateService aggregates) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("v1/submissions/validate");
        Options(b => b.WithMetadata(AuditLog.NotAudited, new RetryAdvice("Nothing is stored here: send it again as it was.", "这里不保存任何内容，可原样重发。"))); // a dry run changes nothing
        Description(b => b.Accepts<Request>("application/json", Templates.SubmissionWorkbook.MediaType));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "试校验统计表 · Validate a table without storing it (dry run)";
            s.Description = "The same body and the same verdict as POST /v1/submissions; nothing is stored. What a submission would be refused " +
                "for is a violation here: a reporter retired for the period (`reporter-retired`), a table without a figure (`empty-table`), a period that has not begun (`period-not-begun`), and what " +
                "it would be a 409 for: the period closed (`period-closed`), `expectedRevision` not the current revision (`revision-conflict`), or an " +
                "uploaded workbook filled in from an older revision than the current one, or made for another table than its sheet now names, which has a revision (`stale-workbook`); " +
                "none of these for the current table sent over again (not returned), which a submission answers 200 and stores nothing, closed period or not. If-Match is read as a submission reads it. " +
                "So is Idempotency-Key: a key used before for this same request is `valid` with the revision a submission would answer with in `replays` " +
                "(the stored answer, 201, whatever has changed since: the period closed, a later revision), one used for another request is `idempotency-key-reused`. " +
                "Beside the catalogue's warnings, a figure five times the reporter's own of the same period a year before or more, or a fifth " +
                "of it or less, and at least its unit's `farGap` apart (50 for a count, 1 for 万元 in the shipped catalogues), is the warning `far-from-last-year` (与上年比较: a digit typed twice or left out?): " +
                "pointed out to be checked, it leaves the table valid. A year's figure that differs from the year the reporter's own four " +
                "quarterly tables give (a reporter merged during the year: those before it was, all it owed; one registered after a quarter was closed: those after it; their sum for a flow, the fourth quarter's for a stock, the first's for a balance carried in, or the " +
                "latest, or earliest, quarter that gave the cell's sum group where the fourth, or first, left it blank, which the message names) is the " +
                "warning `differs-from-quarters` (年报与季报衔接), valid too: the district table takes the year's table. A balance carried in " +
                "(a row with `carriedFrom`, 2021's 3.2 上年结转) that is not the stock it names in the reporter's own table of the period before " +
                "(3.4 结转下年度继续办理, column by column; its latest revision, or the year from its four quarters) — the year before for a year or a " +
                "first quarter, the quarter before for a second, third or fourth quarter (2023Q1 for 2023Q2) — is the warning " +
                "`differs-from-last-year-carried` (上年结转与上年结转下年度衔接), with that period's figure as `expected`, valid too; " +
                "a cell blank on either side is not compared. The period before is read in this catalogue, and before its first year in a catalogue that " +
                "covers it and declares this one its national catalogue (`edition.national`: a format the office loaded), through its mapping; a cell the " +
                "mapping does not read is not compared. Otherwise the first year of an edition (2021 for the 2021 edition) and its first quarter are compared " +
                "with nothing, since last year's table, on another edition, has other items. " +
                "A warning names the catalogue last year's figures were read from where it is such a format. " +
                "A period that a catalogue beginning later takes too (a format the office loaded from 2019, over the 2014 edition's years), or a quarter " +
                "whose year it takes, is the warning `newer-catalogue`, naming it in `expected` (the district reports the period on it; closed there, it " +
                "says so and when), valid too; a submission's 201 carries it as well.";
            s.Responses[200] = "The verdict: valid or not, with every violation.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (SubmissionBody.Forbidden(req, HttpContext) is { } forbidden)
        {
            await Send.ResultAsync(forbidden);
            return;
        }
        var verdict = await judge.JudgeAsync(req, User.IsBoundTo(req.Reporter!), ct);
        var replacing = Replacing.Of(req, HttpContext);
        // As the submission goes on: a table the judge passes meets the store, which answers a used Idempotency-Key before it checks anything else.
        var earlier = !verdict.Refused && SubmissionJudge.Idempotency(req, replacing, User.KeyId().ToString()) is { } token
            ? await submissions.FindIdempotentAsync(token, ct)
            : null;
        IReadOnlyList<Violation> refusals = earlier is null
            ? await judge.ObstaclesAsync(req, replacing, User.IsInRole(Infrastructure.Roles.Admin), ct, verdict.Refused ? null : SubmissionJudge.ToStored(verdict.Table!))
            : earlier.SameRequest ? []
            : [SubmissionJudge.KeyReused(req.IdempotencyKey!)];
        var yearBefore = verdict.Table is { } judged ? await YearBeforeAsync(judged, req.Reporter!, ct) : default;
        var farFromYearBefore = verdict.Table is { } far ? FarFromYearBefore(far, yearBefore.SamePeriod) : [];
        var differingFromQuarters = verdict.Table is { } year ? await DifferingFromQuartersAsync(year, req.Reporter!, ct) : [];
        var differingFromCarried = verdict.Table is { } carried ? DifferingFromCarried(carried, yearBefore.CarriedFrom) : [];
        IReadOnlyList<Violation> violations = [.. verdict.Violations, .. refusals, .. farFromYearBefore, .. differingFromQuarters, .. differingFromCarried];
        await Send.OkAsync(new Response
        {
            Valid = !verdict.Refused && refusals.Count == 0,
            Values = verdict.Table is { } t ? [.. t.NonBlank().Select(c => new ValueItem { Code = c.Cell.Code, Value = c.Value, Unit = c.Cell.Unit })] : [],
            Derived = verdict.Table is { } d ? [.. d.NonBlank().Where(c => c.Derived).Select(c => c.Cell.Code)] : [],
            // An uploaded workbook's violations say where its cells are.
            Violations = HttpContext.Features.Get<Templates.WorkbookOrigin>() is { } workbook ? workbook.Locate(violations, verdict.Table?.Catalogue) : violations,
            Replays = earlier is { SameRequest: true } ? new Replay { Id = earlier.Submission.Id, Revision = earlier.Submission.Revision } : null,
        }, ct);
    }

    /// <summary>
    /// The reporter's figures of an earlier period as the warnings below compare with them, the period they are of, and the
    /// catalogue they were read from where it is another (<see cref="Aggregates.AggregateService.EarlierFiguresOfAsync"/>).
    /// </summary>
    private readonly record struct Earlier(Period Period, decimal?[] Figures, Disclosure.Catalogue.Catalogue? From);

    /// <summary>The reporter's figures of earlier periods, as the warnings below compare with them.</summary>
    private readonly record struct YearBefore(Earlier? SamePeriod, Earlier? CarriedFrom);

    /// <summary>
    /// The reporter's own figures (its latest table, or the year from all four of its quarters) of the same period a year before
    /// (与上年比较), and, where the catalogue carries balances in, of the period whose stocks this one carries in
    /// (<see cref="CarriedOver.PeriodBefore"/>: last year for a year or a first quarter, the quarter before for a later one); for a
    /// year the two are one read. Null where it has no such table.
    /// </summary>
    private async Task<YearBefore> YearBeforeAsync(TableResult table, string reporter, CancellationToken ct)
    {
        if (table.Period is not { } period) return default;
        var samePeriod = period.YearBefore();
        var same = await aggregates.EarlierFiguresOfAsync(table.Catalogue, samePeriod, reporter, ct) is { } figures ? new Earlier(samePeriod, figures.Figures, figures.From) : (Earlier?)null;
        if (table.Catalogue.Carried.Count == 0) return new(same, null);
        var before = CarriedOver.PeriodBefore(period);
        if (before == samePeriod) return new(same, same);
        return new(same, await aggregates.EarlierFiguresOfAsync(table.Catalogue, before, reporter, ct) is { } carried ? new Earlier(before, carried.Figures, carried.From) : null);
    }

    /// <summary>
    /// 与上年比较: the table's figures far from the reporter's own of the same period a year before, as warnings: pointed out to be
    /// checked, never refused. None when it has no table a year before.
    /// A sum the service derived is not among them: nobody typed it, and while its parts are being filled in it is a fraction of one.
    /// </summary>
    private static IReadOnlyList<Violation> FarFromYearBefore(TableResult table, Earlier? yearBefore)
    {
        if (yearBefore is not { } found) return [];
        var (period, last, from) = found;
        return [.. YearOnYear.Far(table.Catalogue, last, Typed(table))
            .Select(i => YearOnYear.Warning(table.Catalogue.Cells[i], last[i]!.Value, table.Values[i]!.Value, period, from))];
    }

    /// <summary>
    /// 上年结转与上年结转下年度衔接: each typed balance carried in that is not the stock it carries in from the reporter's own table of
    /// the period before, as a warning; none when it has no table then, and a derived sum is left out, as above.
    /// </summary>
    private static IReadOnlyList<Violation> DifferingFromCarried(TableResult table, Earlier? periodBefore)
    {
        if (table.Period is not { } period || periodBefore is not { } found) return [];
        var (before, last, from) = found;
        var cells = table.Catalogue.Cells;
        return [.. CarriedOver.Differing(table.Catalogue, last, Typed(table))
            .Select(c => CarriedOver.Warning(cells[c.Opening], cells[c.Stock], last[c.Stock]!.Value, table.Values[c.Opening]!.Value, period, before, from))];
    }

    /// <summary>The table's figures as typed: a sum the service derived is blank.</summary>
    private static decimal?[] Typed(TableResult table) => [.. table.Values.Select((value, i) => table.Derived[i] ? null : value)];

    /// <summary>
    /// 年报与季报衔接: a year's figures that differ from the year the reporter's own quarterly tables give, as warnings. None for a
    /// quarter or a reporter that sent no quarter; for one that sent some and owes more (of four, those before it was merged, or those after one closed before it was registered), the
    /// one warning that they are to come and the year cannot be checked yet (quarters-to-come); a derived sum is left out, as above.
    /// </summary>
    private async Task<IReadOnlyList<Violation>> DifferingFromQuartersAsync(TableResult table, string reporter, CancellationToken ct)
    {
        if (table.Period is not { IsYear: true } year) return [];
        if (await aggregates.YearFromQuartersOfAsync(table.Catalogue, year, reporter, ct) is not { } fromQuarters) return [];
        if (fromQuarters.Year is not { } traced)
        {
            // A quarter closed on its own is not to come from the reporter: the office lets a table into it (a return, a reopening).
            var closed = new List<int>();
            foreach (var q in fromQuarters.ToCome)
                if ((await periods.GetPeriodAsync(table.Catalogue.Id, $"{year.Year}Q{q}", ct)).Closed) closed.Add(q);
            return [YearAndQuarters.ToComeWarning(year.Year, fromQuarters.Quarters, fromQuarters.ToCome, closed)];
        }
        var quarters = fromQuarters.Quarters;
        return [.. YearAndQuarters.Differing(table.Catalogue, Typed(table), traced.Values)
            .Select(i => YearAndQuarters.Warning(table.Catalogue.Cells[i], table.Values[i]!.Value, traced.Values[i]!.Value, year.Year, traced.TakenFrom[i], quarters))];
    }
}
