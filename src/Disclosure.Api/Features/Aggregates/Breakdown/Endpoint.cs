using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates.Breakdown;

/// <summary>The district table's query (<see cref="Get.Request"/>): the breakdown refuses its publication layout, in the same 400 as the rest.</summary>
sealed class Request : Get.Request
{
    internal new sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            Include(new Get.Request.Validator());
            // A report publishes the district's figures, not every reporter's: the breakdown is a sheet the office files.
            RuleFor(r => r.Layout).Must(l => Get.Request.LayoutOf(l) != PrintLayout.Publication)
                .WithMessage("分单位明细表没有发布版：发布版（layout=publication）只适用于全区汇总表。The breakdown has no publication layout: layout=publication is the district table's.");
        }
    }
}

sealed class Endpoint(AggregateService aggregates, AggregateCache cache, CatalogueRegistry catalogues, IReporterStore registry) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/breakdown");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<Response>(200, "application/json", Exports.Csv, Exports.Xlsx, Exports.Html).Produces(304));
        Summary(s =>
        {
            s.Summary = "读取分单位明细表 · Read the district table with every reporter's figures side by side";
            s.Description = "分单位明细表: a column per reporter whose latest table is added up (grouped by kind: the district government, " +
                "departments, towns; in the order they were registered within a kind), then 合计, the district table's figure. One line per " +
                "catalogue row in table order; a table with columns (2021) has one line per value cell (`row:column`). A cell a reporter " +
                "left blank is null, never 0. For a year, a reporter with only quarterly submissions contributes the year derived from them " +
                "(`source: quarters`; headed 名称（据季报） in the sheets). " +
                "`?kind=` and `?reporters=` narrow it as they narrow the district table. Accept text/csv, " +
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/html (or `?format=`) for the sheet as the office " +
                "files it, dated `reportDate` where given (as the district table's form); `layout=publication` is the district table's alone (400). " +
                "`asAt` reads it as it stood at a moment, as the district table: at the period's `firstClosedAt`, which reporter's figures made up the total first published. " +
                "Supports If-None-Match.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[422] = "The `reporters` filter names a reporter that is not registered (rule `unknown-reporter`).";
            s.Responses[406] = "不可接受 · No format (JSON, CSV, xlsx, HTML) satisfies the Accept header.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        if (Exports.Negotiate(req.Format, HttpContext.Request.Headers.Accept.ToString()) is not { } format) { await Send.ResultAsync(Exports.NotAcceptable(HttpContext)); return; }
        var reporters = req.ReporterList();
        if (await Aggregates.Get.Request.RefuseUnknownAsync(reporters, registry, HttpContext, ct) is { } refused) { await Send.ResultAsync(refused); return; }
        var reportDate = format == ExportFormat.Json ? null : Aggregates.Get.Request.DayOf(req.ReportDate);
        var asAt = Aggregates.Get.Request.MomentOf(req.AsAt);
        await Send.ResultAsync(await cache.RespondAsync(HttpContext, AggregateCache.Key($"breakdown|{reportDate:yyyy-MM-dd}|{asAt?.UtcTicks}", catalogue, period, reporters, req.Kind, format), async () =>
        {
            var (district, figures) = await aggregates.BreakdownAsync(catalogue, period, reporters, req.Kind, CancellationToken.None, asAt);
            var breakdown = Response.Of(catalogue, district, figures);
            return AggregateResponder.Render(breakdown, () => Exports.PrintoutOf(breakdown, catalogue, reportDate),
                Exports.FileName(district, catalogue, $"{catalogue.Id}-{period}-breakdown", "分单位明细"), format);
        }, ct));
    }
}
