using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.Get;

sealed class Endpoint(AggregateService aggregates, CatalogueRegistry catalogues) : Endpoint<Request, AggregateTable>
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
                "Accept text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/html for exports. Supports If-None-Match.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        var table = await aggregates.BuildAsync(catalogue, period, req.ReporterList(), req.Kind, ct);
        await Send.ResultAsync(AggregateResponder.Respond(HttpContext, table, catalogue, req.Format));
    }
}
