using Disclosure.Catalogue;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.Get;

sealed class Endpoint(AggregateService aggregates, AggregateCache cache, CatalogueRegistry catalogues, Disclosure.Storage.IReporterStore registry) : Endpoint<Request, AggregateTable>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<AggregateTable>(200, "application/json", Exports.Csv, Exports.Xlsx, Exports.Html).Produces(304));
        Summary(s =>
        {
            s.Summary = "读取全区汇总表 · Read the district table, live";
            s.Description = "Every catalogue row in table order with the district total and the split by reporter kind, completeness, and the " +
                "engine's verdict on the aggregate. For a year, a reporter with only quarterly submissions contributes the year derived from them. " +
                "Accept text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/html for exports, in the layout of `layout`: " +
                "`form` (default), the statistical form to sign (序号, 代码, the split by kind, completeness, 填报单位 and 报出日期 — the day given in `reportDate`, else " +
                "the day the period was closed — 单位负责人, 填表人), or `publication` (发布版), the table as the annual report's appendix prints it: " +
                "the title (2014年度政府信息公开工作情况统计表), the government in brackets under it, the day given in `reportDate` (none without it), " +
                "统计指标 | 单位 | 统计数. `asAt` reads the table as it stood at a moment, such as the period's `firstClosedAt` (as published), as it does the breakdown and the national layout. The CSV is flat (names unindented, " +
                "the depth in 代码) for programs. Supports If-None-Match.";
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
        if (await Request.RefuseUnknownAsync(reporters, registry, HttpContext, ct) is { } refused) { await Send.ResultAsync(refused); return; }
        // The JSON is one whatever the layout: it is cached once.
        var options = format == ExportFormat.Json ? new Exports.PrintOptions() : new Exports.PrintOptions(Request.LayoutOf(req.Layout), Request.DayOf(req.ReportDate));
        var publication = options.Layout == PrintLayout.Publication;
        var asAt = Request.MomentOf(req.AsAt);
        await Send.ResultAsync(await cache.RespondAsync(HttpContext, AggregateCache.Key($"table|{options.Layout}|{options.ReportDate:yyyy-MM-dd}|{asAt?.UtcTicks}", catalogue, period, reporters, req.Kind, format), async () =>
        {
            var table = await aggregates.BuildAsync(catalogue, period, reporters, req.Kind, CancellationToken.None, asAt);
            var name = Exports.FileName(table, catalogue, $"{catalogue.Id}-{period}", publication: publication);
            return AggregateResponder.Render(table, () => Exports.PrintoutOf(table, catalogue, options), name, format);
        }, ct));
    }
}
