using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Templates.GetReporters;

sealed class Endpoint(CatalogueRegistry catalogues, IReporterStore reporters, ISubmissionStore submissions, IPeriodStore periods,
    Aggregates.AggregateService aggregates, Submissions.SubmissionJudge judge) : Endpoint<Request>
{
    public override void Configure()
    {
        Get("v1/templates/{catalogue}/{period}/reporters");
        Roles(Infrastructure.Roles.Admin);
        Description(b => b.Produces(200, typeof(byte[]), SubmissionWorkbook.MediaType));
        Summary(s =>
        {
            s.Summary = "下载分单位填报模板 · The Excel template of every reporter's table side by side, for the district office";
            s.Description = "One sheet, " + ReportersWorkbook.SheetName + ": the catalogue's value cells down the side (code, name, unit; a 2021 cell " +
                "as row:column) and a column per reporter that owes the period (not retired for it; those the period's expected list names, " +
                "when it has one; any that has a table for it), grouped by kind, filled in with each reporter's latest revision as typed (a sum the service derived left blank). Under each " +
                "reporter's name its id and the revision its figures come from (0: none); each column's revision is also kept, with the table it is of, " +
                "in a hidden workbook-level defined name (" + ReportersWorkbook.RevisionName + "1, … : \"reporter/catalogue/period/revision\"), which is what the " +
                "reading goes by. Fill it in Excel or WPS (a summary spreadsheet " +
                "pasted column by column, last year's included) and send it to POST /v1/templates/{catalogue}/{period}/reporters, which " +
                "reads each column into the values of a submission; each is then submitted on its own (POST /v1/submissions). " +
                "Narrowed as the district table is, the columns are those of the reporters that owe the period and are named in `reporters` " +
                "(a registered one that does not owe it has none; one not registered is `422 unknown-reporter`), of the `kind`, and with " +
                "`status=notSubmitted` those not reported (未报, as the overview lists them: the district table's `missing` and, of a year, " +
                "`incomplete`; not a returned table, which is a table, nor a quarter closed with its year, which cannot be sent), without " +
                "listing them; narrowed so, the file is named …-reporters-notSubmitted.xlsx and the sheet says so. A narrowed workbook reads " +
                "back as the whole one, column by column, and leaves the reporters without a column untouched: so a district of hundreds " +
                "downloads it by kind, or by lists of reporters, to keep each upload under the 1 MiB a body may be. Filters that leave " +
                "no reporter give the template without columns.";
            s.Responses[200] = "The .xlsx template.";
            s.Responses[422] = "The `reporters` filter names a reporter that is not registered (rule `unknown-reporter`).";
            s.Responses[406] = "不可接受 · The Accept header excludes the .xlsx workbook.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        if (SubmissionWorkbook.Unacceptable(HttpContext) is { } unacceptable)
        {
            await Send.ResultAsync(unacceptable);
            return;
        }
        var named = Aggregates.Get.Request.ListOf(req.Reporters);
        if (await Aggregates.Get.Request.RefuseUnknownAsync(named, reporters, HttpContext, ct) is { } refused)
        {
            await Send.ResultAsync(refused);
            return;
        }
        // 未报 as the district table counts it (the overview, the close's answer and the printed footer read the same lists).
        HashSet<string>? notSubmitted = null;
        if (req.OnlyNotSubmitted)
        {
            var completeness = (await aggregates.BuildAsync(catalogue, period, null, null, ct)).Completeness;
            notSubmitted = [.. completeness.Missing.Concat(completeness.Incomplete)];
        }
        var latest = (await submissions.ListLatestAsync(catalogue.Id, [period.ToString()], ct)).ToDictionary(r => r.ReporterId, StringComparer.Ordinal);
        var settings = await periods.GetPeriodAsync(catalogue.Id, period.ToString(), ct);
        var expected = settings.ExpectedReporters?.ToHashSet(StringComparer.Ordinal);
        // As the district table expects them: without a list, a closed period (or a quarter closed with its year) expects those registered by then.
        var closedSince = Periods.ClosedPeriods.ClosedSince(settings, period.IsYear ? null : await periods.GetPeriodAsync(catalogue.Id, (period with { Quarter = null }).ToString(), ct));
        var owing = (await reporters.ListReportersAsync(ct))
            .Where(r => latest.ContainsKey(r.Id) || (!r.IsRetiredFor(period)
                && (expected is null ? Periods.ClosedPeriods.RegisteredBy(r, closedSince) : expected.Contains(r.Id))))
            .Where(r => (req.Kind is null || r.Kind == req.Kind) && (named is null || named.Contains(r.Id)) && (notSubmitted is null || notSubmitted.Contains(r.Id)))
            .OrderBy(r => r.Kind).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal);
        var tables = await submissions.GetSubmissionsAsync([.. latest.Values.Select(r => r.Id)], ct);
        // Of a year, the quarterly tables each reporter without a year table has: its year is theirs (据季报), not a blank column.
        var quarters = period.IsYear && catalogue.Document.Periods.Granularities.Contains(Granularity.Quarter)
            ? (await submissions.ListLatestAsync(catalogue.Id, [.. period.QuartersOfYear().Select(q => q.ToString())], ct)).CountBy(r => r.ReporterId).ToDictionary(StringComparer.Ordinal)
            : [];
        var columns = owing.Select(reporter =>
        {
            var table = latest.TryGetValue(reporter.Id, out var head) ? tables.GetValueOrDefault(head.Id) : null;
            return new ReporterFigures(reporter.Id, reporter.Name, table?.Revision ?? 0, SubmissionWorkbook.Figures(table),
                table is null ? quarters.GetValueOrDefault(reporter.Id) : 0);
        }).ToList();
        // The 未报 workbook named apart, so that downloaded beside the whole one it is told from it (and does not overwrite it).
        string?[] said = [AuditText.Table(catalogue, period.ToString()), "分单位填报模板", req.Kind is { } kind ? Features.Reporters.ReporterKinds.Printed(kind) : null, named is null ? null : $"{named.Count}个单位", req.OnlyNotSubmitted ? "未报单位" : null];
        DownloadName.Of($"{catalogue.Id}-{period}-reporters{DownloadName.Narrowed(req.Kind, named)}{(req.OnlyNotSubmitted ? "-" + Request.NotSubmitted : "")}", said).Attach(HttpContext, "xlsx");
        // The closed period said on the sheet; or a quarter's closed year, which closes the quarter of each reporter without a
        // year table: said of those columns alone, since the others can still be sent.
        var closed = settings.Closed ? $"{Periods.ClosedPeriods.Said(period, period, catalogue.Id, fromQuarters: false).Chinese}，上传后各列不能提交，已退回（尚未更正）的单位除外"
            : closedSince is not null ? await ClosedWithYearAsync(catalogue.Id, period, columns, ct)
            : null;
        // Narrowed, the sheet says so: the clerk who uploads it knows the reporters without a column are left as they are.
        var narrowed = req.OnlyNotSubmitted || req.Kind is not null || named is not null;
        await Send.BytesAsync(ReportersWorkbook.Template(catalogue, period.ToString(), columns, closed, narrowed ? Scope(req, columns.Count) : null,
            (await judge.NewerCatalogueAsync(catalogue, period, ct))?.MessageZh), contentType: SubmissionWorkbook.MediaType, cancellation: ct);
    }

    /// <summary>The columns of a quarter whose year is closed that are closed with it (their reporters sent no year table), said; null when none is.</summary>
    private async Task<string?> ClosedWithYearAsync(string catalogue, Period quarter, IReadOnlyList<ReporterFigures> columns, CancellationToken ct)
    {
        var year = (quarter with { Quarter = null }).ToString();
        var withYearTable = (await submissions.ListLatestAsync(catalogue, [year], ct)).Select(r => r.ReporterId).ToHashSet(StringComparer.Ordinal);
        var closedWithYear = columns.Where(c => Periods.ClosedPeriods.ClosesItsQuarters(yearClosed: true, withYearTable.Contains(c.Reporter))).Select(c => c.Name).ToList();
        return closedWithYear.Count == 0 ? null
            : $"{AuditText.Period(year)}已关闭，{string.Join("、", closedWithYear)}没有年报、年度数据由季报汇总，{AuditText.Period(quarter.ToString())}季报随之关闭，" +
              "上传后这些单位的列不能提交，已退回（尚未更正）的除外";
    }

    /// <summary>What the narrowed template holds, said in Chinese on its sheet; and, where that is nobody, that it is empty.</summary>
    private static string Scope(Request req, int columns) =>
        "本模板只列出" + (req.Reporters is null ? "" : "所选") + (req.Kind is { } kind ? Reporters.ReporterKinds.Printed(kind) : "") + (req.OnlyNotSubmitted ? "未报（没有本期报表）的" : "的") + "填报单位，上传后只读取这些列，其他单位的报表不受影响。" +
        (columns == 0 ? "本期没有这样的填报单位，本模板没有可填的列。" : "");
}
