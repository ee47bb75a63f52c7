using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.DiffersFromQuarters;

sealed class Endpoint(AggregateService aggregates, AggregateCache cache, CatalogueRegistry catalogues, IReporterStore registry) : Endpoint<ListRequest, Response>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/differs-from-quarters");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<Response>(200, "application/json").Produces(304));
        Summary(s =>
        {
            s.Summary = "年报与季报衔接 · List the year's figures that differ from the reporters' own quarters";
            s.Description = "For each reporter that sent both a table for the year and every quarterly table it owes (all four; a reporter merged during the year, those before it was; one registered after a quarter was closed, those after it), every figure of the " +
                "year that is not what the quarters give: their sum for a flow, the fourth quarter's figure for a stock, the first's for a " +
                "balance carried in (the latest, or earliest, quarter that gave the cell's sum group, where the fourth, or first, left it blank). The district table takes the year's table, so the district office asks which is right before it " +
                "accepts the tables. A sum is left out when one of its parts is listed. The same check is the warning `differs-from-quarters` " +
                "of POST /v1/submissions/validate. The period is a year. `?kind=` and `?reporters=` narrow it as they narrow the district " +
                "table. Supports If-None-Match.";
            s.Params["period"] = "A year, e.g. 2014: its tables are set against the same reporters' 2014Q1–2014Q4.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[404] = "No such catalogue, a period the catalogue does not cover, or a quarter (the check is of a year).";
            s.Responses[422] = "The `reporters` filter names a reporter that is not registered (rule `unknown-reporter`).";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        if (!period.IsYear)
        {
            await Send.ResultAsync(Infrastructure.Problems.NotFound($"{Infrastructure.AuditText.Period(period.ToString())}是季度：年度报表才与其四个季度核对，请改查 {period.Year} 年度。'{period}' is a quarter: a year's table is set against its quarters, so ask for the year {period.Year}.", HttpContext));
            return;
        }
        var reporters = req.ReporterList();
        if (await Aggregates.Get.Request.RefuseUnknownAsync(reporters, registry, HttpContext, ct) is { } refused) { await Send.ResultAsync(refused); return; }
        await Send.ResultAsync(await cache.RespondAsync(HttpContext, AggregateCache.Key("differs-from-quarters", catalogue, period, reporters, req.Kind), async () =>
        {
            var differing = await aggregates.DifferingFromQuartersAsync(catalogue, period, reporters, req.Kind, CancellationToken.None);
            return AggregateResponder.JsonOnly(new Response
            {
                Catalogue = catalogue.Id, Period = period.ToString(), Reporters = reporters, Kind = req.Kind,
                Items = [.. differing.Select(d => new Response.Item
                {
                    Reporter = d.Reporter.Reporter.Id, ReporterName = d.Reporter.Reporter.Name, Kind = d.Reporter.Contribution.Kind,
                    Code = d.Cell.Code, Name = d.Cell.Name, Unit = d.Cell.Unit, OverTime = d.Cell.OverTime, Value = d.Value, FromQuarters = d.FromQuarters,
                })],
            });
        }, ct));
    }
}
