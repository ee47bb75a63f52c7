using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.GetReporter;

sealed class Request : Get.IPrintRequest
{
    public string Catalogue { get; set; } = "";
    public string Period { get; set; } = "";
    /// <summary>Reporter id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Alternative to the Accept header: <c>json</c>, <c>csv</c>, <c>xlsx</c> or <c>html</c> (any case).</summary>
    [QueryParam] public string? Format { get; set; }
    /// <summary>
    /// The layout of the CSV, xlsx and printable page (any case), as the district table's: <c>form</c> (the default), the
    /// statistical form the reporter signs and stamps, headed by its name, with its 填报说明; or <c>publication</c>, the table
    /// as the reporter's own annual report publishes it in its appendix (the title, the reporter's name in brackets under it,
    /// 统计指标 | 单位 | 统计数). The JSON is the same either way.
    /// </summary>
    [QueryParam] public string? Layout { get; set; }
    /// <summary>
    /// 报出日期 of the form, as <c>yyyy-MM-dd</c>, not before the period's last day nor after today (Beijing time), as the
    /// district table's. Without it the form is dated the day the table was sent (<c>sentAt</c>, where the office entered a
    /// paper table), else received. A publication prints it right under the reporter's name, and no date without it.
    /// </summary>
    [QueryParam] public string? ReportDate { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Format).AnyFormat();
            Get.Request.PrintRules(this, Resolve<TimeProvider>);
        }
    }
}

sealed class Endpoint(AggregateService aggregates, CatalogueRegistry catalogues, IReporterStore reporters) : Endpoint<Request, AggregateTable>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/reporters/{id}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Description(b => b.Produces<AggregateTable>(200, "application/json", Exports.Csv, Exports.Xlsx, Exports.Html).Produces(304));
        Summary(s =>
        {
            s.Summary = "读取单个单位的统计表 · Drill down: one reporter's table in the district table's shape";
            s.Description = "A reporter key may read only its own. Accept text/csv, " +
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/html (or `?format=`) for the reporter's table as " +
                "printed, in the layout of `layout` and dated `reportDate` as the district table's form (`GET /v1/aggregates/{catalogue}/{period}` " +
                "with `?reporters=` naming this one reporter prints the same form): `form` (default), the form the reporter signs (填报单位 its " +
                "name, 报出日期 the day given in `reportDate`, else the day it sent the table), or `publication`, the table as its annual report's " +
                "appendix prints it.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[406] = "不可接受 · No format (JSON, CSV, xlsx, HTML) satisfies the Accept header.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayReadFor(req.Id)) { await Send.ResultAsync(Problems.Forbidden($"此密钥不能查看填报单位“{req.Id}”的数据。This key may not read reporter '{req.Id}'.", HttpContext)); return; }
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        if (await reporters.GetReporterAsync(req.Id, ct) is null) { await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Id}”的填报单位。There is no reporter '{req.Id}'.", HttpContext)); return; }
        if (Exports.Negotiate(req.Format, HttpContext.Request.Headers.Accept.ToString()) is not { } format) { await Send.ResultAsync(Exports.NotAcceptable(HttpContext)); return; }
        var table = await aggregates.BuildAsync(catalogue, period, [req.Id], null, ct);
        var options = new Exports.PrintOptions(Aggregates.Get.Request.LayoutOf(req.Layout), Aggregates.Get.Request.DayOf(req.ReportDate));
        // Saved under the reporter's name, so that one town's file does not take the district table's name.
        var publication = options.Layout == PrintLayout.Publication;
        var name = Exports.FileName(table, catalogue, $"{catalogue.Id}-{period}", publication: publication);
        await Send.ResultAsync(AggregateResponder.Respond(HttpContext, AggregateResponder.Render(table, () => Exports.PrintoutOf(table, catalogue, options), name, format)));
    }
}
