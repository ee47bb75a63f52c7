using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.FarFromLastYear;

sealed class Endpoint(AggregateService aggregates, AggregateCache cache, CatalogueRegistry catalogues, IReporterStore registry) : Endpoint<ListRequest, Response>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/far-from-last-year");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<Response>(200, "application/json").Produces(304));
        Summary(s =>
        {
            s.Summary = "与上年比较 · List the figures far from each reporter's own a year before";
            s.Description = "Every reporter's figure that is five times its own figure of the same period a year before or more, or a fifth " +
                "of it or less, and at least its unit's `farGap` apart (50 unless the catalogue says otherwise; 1 for 万元 in the shipped catalogues): the mark of a digit typed twice or left out (98760 for 9876), for the district " +
                "office to ask about before it accepts the tables (核实性审核). Both figures come from the reporters' latest tables, as " +
                "the breakdown has them (a year from a reporter's quarters where it gave only those, once all four are in). A sum is left out when one of its " +
                "parts is listed. The same check is the warning `far-from-last-year` of POST /v1/submissions/validate. `?kind=` and " +
                "`?reporters=` narrow it as they narrow the district table. " +
                "For the catalogue's first year (or quarter of it) there is nothing to compare with: `yearBefore` is absent and `items` empty, unless a " +
                "catalogue that declares this one its national catalogue (`edition.national`: a format the office loaded) covers the year before, whose " +
                "tables are then read through its mapping (a cell it does not read is not compared). Supports If-None-Match.";
            s.Params["period"] = "Period, e.g. 2014 or 2014Q3: compared with the same period a year before.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[422] = "The `reporters` filter names a reporter that is not registered (rule `unknown-reporter`).";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        var reporters = req.ReporterList();
        if (await Aggregates.Get.Request.RefuseUnknownAsync(reporters, registry, HttpContext, ct) is { } refused) { await Send.ResultAsync(refused); return; }
        await Send.ResultAsync(await cache.RespondAsync(HttpContext, AggregateCache.Key("far-from-last-year", catalogue, period, reporters, req.Kind), async () =>
        {
            // A catalogue's first year has nothing to be compared with, unless a catalogue mapped to its cells covers the year before:
            // no period of it is named as though it had.
            var yearBefore = period.YearBefore();
            var source = aggregates.EarlierCatalogue(catalogue, yearBefore);
            var compared = source is not null;
            var far = compared ? await aggregates.FarFromYearBeforeAsync(catalogue, period, reporters, req.Kind, CancellationToken.None) : [];
            return AggregateResponder.JsonOnly(new Response
            {
                Catalogue = catalogue.Id, Period = period.ToString(), YearBefore = compared ? yearBefore.ToString() : null, CatalogueBefore = source?.Id, Reporters = reporters, Kind = req.Kind,
                Items = [.. far.Select(f => new Response.Item
                {
                    Reporter = f.Reporter.Reporter.Id, ReporterName = f.Reporter.Reporter.Name, Kind = f.Reporter.Contribution.Kind, Source = f.Reporter.Source,
                    Code = f.Cell.Code, Name = f.Cell.Name, Unit = f.Cell.Unit, YearBefore = f.Before, Value = f.Now,
                })],
            });
        }, ct));
    }
}
