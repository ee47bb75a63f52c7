using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Validate;

sealed class Endpoint(SubmissionJudge judge, IPeriodStore periods, ISubmissionStore submissions, CatalogueRegistry catalogues, Aggregates.AggregateService aggregates) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("v1/submissions/validate");
        Options(b => b.WithMetadata(AuditLog.NotAudited)); // a dry run changes nothing
        Description(b => b.Accepts<Request>("application/json", Templates.SubmissionWorkbook.MediaType));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "试校验统计表 · Validate a table without storing it (dry run)";
            s.Description = "The same body and the same verdict as POST /v1/submissions; nothing is stored. What a submission would be refused " +
                "for is a violation here: a reporter retired for the period (`reporter-retired`), a table without a figure (`empty-table`), a period that has not begun (`period-not-begun`), and what " +
                "it would be a 409 for: the period closed (`period-closed`), `expectedRevision` or If-Match not the current revision or a weak If-Match tag (`revision-conflict`), or an " +
                "uploaded workbook filled in from an older revision than the current one, or made for another table than its sheet now names, which has a revision (`stale-workbook`). If-Match is read as a submission reads it. " +
                "Beside the catalogue's warnings, a figure five times the reporter's own of the same period a year before or more, or a fifth " +
                "of it or less, and at least 50 apart, is the warning `far-from-last-year` (与上年比较: a digit typed twice or left out?): " +
                "pointed out to be checked, it leaves the table valid. A year's figure that differs from the year the reporter's own four " +
                "quarterly tables give (their sum for a flow, the fourth quarter's for a stock, the first's for a balance carried in, or the " +
                "latest, or earliest, quarter that gave the cell's sum group where the fourth, or first, left it blank, which the message names) is the " +
                "warning `differs-from-quarters` (年报与季报衔接), valid too: the district table takes the year's table.";
            s.Responses[200] = "The verdict: valid or not, with every violation.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayWriteFor(req.Reporter!))
        {
            await Send.ResultAsync(Problems.Forbidden($"This key may not submit for reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        if (req.SentAt is not null && !User.IsInRole(Infrastructure.Roles.Admin))
        {
            await Send.ResultAsync(Problems.Forbidden(SubmissionBody.SentAtIsTheOffices, HttpContext));
            return;
        }
        var verdict = await judge.JudgeAsync(req, User.IsBoundTo(req.Reporter!), ct);

        var conflicts = await ConflictsAsync(req, ct);
        var farFromYearBefore = verdict.Table is { } judged ? await FarFromYearBeforeAsync(judged, req.Reporter!, ct) : [];
        var differingFromQuarters = verdict.Table is { } year ? await DifferingFromQuartersAsync(year, req.Reporter!, ct) : [];
        await Send.OkAsync(new Response
        {
            Valid = !verdict.Refused && conflicts.Count == 0,
            Values = verdict.Table is { } t ? [.. t.NonBlank().Select(c => new ValueItem { Code = c.Cell.Code, Value = c.Value, Unit = c.Cell.Unit })] : [],
            Derived = verdict.Table is { } d ? [.. d.NonBlank().Where(c => c.Derived).Select(c => c.Cell.Code)] : [],
            Violations = [.. verdict.Violations, .. conflicts, .. farFromYearBefore, .. differingFromQuarters],
        }, ct);
    }

    /// <summary>
    /// 与上年比较: the table's figures far from the reporter's own of the same period a year before (its latest table then, or the
    /// year from all four of its quarters), as warnings: pointed out to be checked, never refused. None when it has no table a year before.
    /// A sum the service derived is not among them: nobody typed it, and while its parts are being filled in it is a fraction of one.
    /// </summary>
    private async Task<IReadOnlyList<Violation>> FarFromYearBeforeAsync(TableResult table, string reporter, CancellationToken ct)
    {
        if (table.Period is not { } period) return [];
        var yearBefore = period.YearBefore();
        if (await aggregates.FiguresOfAsync(table.Catalogue, yearBefore, reporter, ct) is not { } last) return [];
        var typed = table.Values.Select((value, i) => table.Derived[i] ? null : value).ToArray();
        return [.. YearOnYear.Far(table.Catalogue, last, typed)
            .Select(i => YearOnYear.Warning(table.Catalogue.Cells[i], last[i]!.Value, table.Values[i]!.Value, yearBefore))];
    }

    /// <summary>
    /// 年报与季报衔接: a year's figures that differ from the year the reporter's own four quarterly tables give, as warnings. None for
    /// a quarter, or a reporter that has not sent all four quarters; a derived sum is left out, as above.
    /// </summary>
    private async Task<IReadOnlyList<Violation>> DifferingFromQuartersAsync(TableResult table, string reporter, CancellationToken ct)
    {
        if (table.Period is not { IsYear: true } year) return [];
        if (await aggregates.YearFromQuartersOfAsync(table.Catalogue, year, reporter, ct) is not { } fromQuarters) return [];
        var typed = table.Values.Select((value, i) => table.Derived[i] ? null : value).ToArray();
        return [.. YearAndQuarters.Differing(table.Catalogue, typed, fromQuarters.Values)
            .Select(i => YearAndQuarters.Warning(table.Catalogue.Cells[i], table.Values[i]!.Value, fromQuarters.Values[i]!.Value, year.Year, fromQuarters.TakenFrom[i]))];
    }

    /// <summary>
    /// What the store refuses an append for in its own transaction (a 409 there), asked here as it stands now: the period closed,
    /// and a revision other than the current one expected — by <c>expectedRevision</c>, <c>If-Match</c> (<c>*</c>: any, but one; a weak tag: none),
    /// or, with neither, by the revision an uploaded workbook was filled in from (one newer than the current is let through, as
    /// a submission lets it).
    /// </summary>
    private async Task<IReadOnlyList<Violation>> ConflictsAsync(Request req, CancellationToken ct)
    {
        if (!catalogues.TryGet(req.Catalogue!, out _) || !Period.TryParse(req.Period, out var parsed)) return [];
        var period = parsed.ToString();
        List<Violation> found = [];
        if (await Periods.ClosedPeriods.ClosingAsync(periods, submissions, req.Catalogue!, parsed, req.Reporter!, ct) is { } closing)
        {
            var (english, chinese) = Periods.ClosedPeriods.Said(closing, parsed, req.Catalogue!);
            found.Add(new Violation("period-closed", Severity.Error, [], "an open period", "closed",
                $"{english}: a submission would be refused (409). The district office can reopen it.",
                $"{chinese}，提交将被拒绝；如需修改，请联系区政务公开办重新开放。"));
        }
        var anyRevision = req.ExpectedRevision is null && SubmissionBody.IsAnyRevision(req.IfMatch);
        var expected = req.ExpectedRevision ?? (SubmissionJudge.TryParseIfMatch(req.IfMatch, out var ifMatch) ? ifMatch : null);
        // As the submission reads it: a workbook whose sheet now names another table than it was made for holds no revision of this one.
        var origin = expected is null && !anyRevision ? HttpContext.Features.Get<Templates.WorkbookOrigin>() : null;
        var madeFor = origin?.OtherThan(req);
        var madeFrom = origin?.RevisionFor(req);
        var weak = SubmissionJudge.IsWeakTag(req.IfMatch);
        if (expected is null && !anyRevision && madeFrom is null && !weak) return found;
        var revisions = await submissions.ListRevisionsAsync(req.Reporter!, req.Catalogue!, period, ct);
        var current = revisions.Count > 0 ? revisions[^1].Revision : 0;
        if (weak)
        {
            var (english, chinese) = SubmissionJudge.WeakTagRefused(req.IfMatch!, current);
            found.Add(new Violation("revision-conflict", Severity.Error, [], $"revision {current}", req.IfMatch!.Trim(),
                english + " A submission would be refused (409).", chinese + "提交将被拒绝。"));
        }
        else if (anyRevision && current == 0)
            found.Add(new Violation("revision-conflict", Severity.Error, [], "an existing revision", "none",
                "If-Match: * replaces only an existing table, and there is none yet: a submission would be refused (409). Send the first without If-Match.",
                "该表尚未提交过，If-Match: * 只能替换已有的版本，提交将被拒绝；第一次提交请不带 If-Match。"));
        else if (expected is { } e && e != current)
            found.Add(new Violation("revision-conflict", Severity.Error, [], $"revision {current}", $"revision {e}",
                $"The revision expected (expectedRevision or If-Match) is {e}, but the current revision is {current}: a submission would be refused (409).",
                $"该表当前为第 {current} 版，而不是第 {e} 版，提交将被拒绝。"));
        else if (madeFor is not null && current > 0)
            found.Add(new Violation("stale-workbook", Severity.Error, [], $"revision {current}", $"revision {origin!.MadeFromRevision ?? 0} of {madeFor.Period}",
                $"The workbook was made for {madeFor} and its sheet now names '{req.Reporter}', {req.Catalogue}, {period}, which has revision {current}: " +
                $"a submission would be refused (409). Download the template of {period} and fill that in, or send it with If-Match: \"{current}\" to replace revision {current}.",
                $"该 Excel 表是按{Table(madeFor)}的模板填写的，表头现在写的是{Table(new(req.Reporter!, req.Catalogue!, period))}，而后者已有第 {current} 版；" +
                $"直接提交将被拒绝：请下载 {period} 的模板填写，确认要用它覆盖第 {current} 版时再提交。"));
        else if (madeFor is null && madeFrom is { } made && made < current)
            found.Add(new Violation("stale-workbook", Severity.Error, [], $"revision {current}", $"revision {made}",
                $"The workbook was filled in from {(made == 0 ? "a blank template" : $"revision {made}")}, but the current revision is {current}: " +
                $"a submission would be refused (409) unless sent with If-Match: \"{current}\" to replace it.",
                $"该 Excel 表是按{(made == 0 ? "空白模板" : $"第 {made} 版")}填写的，而当前已是第 {current} 版；直接提交将被拒绝，确认要覆盖第 {current} 版时再提交。"));
        return found;
    }

    /// <summary>A table as a person names it: the period, and the reporter and catalogue after it.</summary>
    private static string Table(Templates.WorkbookTable table) => $" {table.Period}（{table.Reporter}，{table.Catalogue}）";
}
