using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.DiffersFromLastYearCarried;

sealed class Endpoint(AggregateService aggregates, AggregateCache cache, CatalogueRegistry catalogues, IReporterStore registry) : Endpoint<ListRequest, Response>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/differs-from-last-year-carried");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<Response>(200, "application/json").Produces(304));
        Summary(s =>
        {
            s.Summary = "上年结转与上年结转下年度衔接 · List the balances carried in that differ from each reporter's own last year";
            s.Description = "Every reporter's balance carried in (a row with `carriedFrom`: 2021's 3.2 上年结转) that is not the stock it names in " +
                "the same reporter's own table of the period before (3.4 结转下年度继续办理, column by column), with both figures, for the district " +
                "office to ask which is right before it accepts the tables (核实性审核). The period before is the year before for a year or a " +
                "first quarter (whose balance carried in is its year's), and the quarter before for a second, third or fourth quarter (2023Q1 " +
                "for 2023Q2), since a year made of quarters carries in its first quarter's balance and closes with its last quarter's stocks. " +
                "Both come from the reporters' latest tables, as the breakdown has them (a year from a reporter's quarters where it gave only " +
                "those, once all four are in). A cell blank on either side is not compared, and a sum is left out when one of its parts is " +
                "listed. A reporter without a table in the period before (new, last year on another edition, or no table of the quarter " +
                "before) has nothing to compare with: for an edition's first year and its first quarter (2021 for the 2021 edition) `periodBefore` " +
                "is absent and `items` empty, unless a catalogue that declares this one its national catalogue (`edition.national`: a format the " +
                "office loaded) covers the period before, whose tables are then read through its mapping (a cell it does not read is not compared). The registry names no successor: a reporter that took over the cases of one merged during " +
                "last year is listed with its difference, to be read against the merged one's table. The same check is the warning " +
                "`differs-from-last-year-carried` of POST /v1/submissions/validate. `?kind=` and `?reporters=` narrow it as they narrow the " +
                "district table. `yearBefore` (the list's and each item's) is deprecated: it holds a quarter for a later quarter, as `periodBefore` " +
                "and `valueBefore`, which say so. Supports If-None-Match.";
            s.Params["period"] = "A year, e.g. 2022, or a quarter, e.g. 2022Q1 (set against the year before, 2021) or 2022Q2 (set against 2022Q1).";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[404] = "No such catalogue, a period the catalogue does not cover, or a catalogue that carries no balance in (no row has `carriedFrom`).";
            s.Responses[422] = "The `reporters` filter names a reporter that is not registered (rule `unknown-reporter`).";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        if (catalogue.Carried.Count == 0)
        {
            await Send.ResultAsync(Infrastructure.Problems.NotFound($"{catalogue.Document.Title}没有上年结转项（无 carriedFrom 行），无须与上年核对。" +
                $"Catalogue '{catalogue.Id}' carries no balance in from the year before (no row has carriedFrom).", HttpContext));
            return;
        }
        var reporters = req.ReporterList();
        if (await Aggregates.Get.Request.RefuseUnknownAsync(reporters, registry, HttpContext, ct) is { } refused) { await Send.ResultAsync(refused); return; }
        await Send.ResultAsync(await cache.RespondAsync(HttpContext, AggregateCache.Key("differs-from-last-year-carried", catalogue, period, reporters, req.Kind), async () =>
        {
            // An edition's first year carries in from tables of another edition, which have other items: no year of it is named as though
            // it had, unless a catalogue mapped to this one's cells covers it (a format the office loaded).
            var before = CarriedOver.PeriodBefore(period);
            var source = aggregates.EarlierCatalogue(catalogue, before);
            var compared = source is not null;
            var differing = compared ? await aggregates.DifferingFromLastYearCarriedAsync(catalogue, period, reporters, req.Kind, CancellationToken.None) : [];
            return AggregateResponder.JsonOnly(new Response
            {
                Catalogue = catalogue.Id, Period = period.ToString(), PeriodBefore = compared ? before.ToString() : null, CatalogueBefore = source?.Id, Reporters = reporters, Kind = req.Kind,
                Items = [.. differing.Select(d => new Response.Item
                {
                    Reporter = d.Reporter.Reporter.Id, ReporterName = d.Reporter.Reporter.Name, Kind = d.Reporter.Contribution.Kind, Source = d.Reporter.Source,
                    Code = d.Opening.Code, Name = d.Opening.Name, Unit = d.Opening.Unit, CarriedFrom = d.Stock.Code, ValueBefore = d.Before, Value = d.Value,
                })],
            });
        }, ct));
    }
}
