using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.AsNational;

sealed class Endpoint(AggregateService aggregates, CatalogueRegistry catalogues) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/as/{national}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Summary(s =>
        {
            s.Summary = "按全国表样读取省版汇总表 · Read a provincial edition's district table in the national layout";
            s.Description = "The district table of an edition (a catalogue that declares 'edition'), as the national catalogue it maps to: a " +
                "national cell is the sum of the edition cells mapped to it alone, in the national unit, exactly; cells the edition has no " +
                "counterpart for are blank, and those it prints only inside a sum of several are listed as unreadable. The edition's own " +
                "layout stays GET /v1/aggregates/{catalogue}/{period}.";
            s.Responses[404] = "No such catalogue or period, or the catalogue is not an edition of that national catalogue.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var edition, out var period) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        if (edition.Document.Edition?.National != req.National || !catalogues.TryGet(req.National, out var national))
        {
            await Send.ResultAsync(Problems.NotFound($"Catalogue '{req.Catalogue}' is not an edition of '{req.National}'.", HttpContext));
            return;
        }

        var sums = await aggregates.SumAsync(edition, period, null, null, ct);
        // The mapping is a sum, so each reporter kind's figures map on their own.
        var reading = Editions.ToNational(edition, national, sums.Total);
        var byKind = sums.ByKind.Select(v => Editions.ToNational(edition, national, v).Result).ToArray();
        await Send.OkAsync(new Response
        {
            Catalogue = national.Id,
            Title = national.Document.Title,
            Edition = edition.Id,
            Period = period.ToString(),
            Cells = [.. national.Cells.Select(c => new Response.Cell
            {
                Code = c.Code, Name = c.Name, Unit = c.Unit,
                Total = reading.Result.Values[c.Index],
                Government = byKind[0].Values[c.Index], Department = byKind[1].Values[c.Index], Town = byKind[2].Values[c.Index],
                Derived = reading.Result.Derived[c.Index],
                From = reading.Sources[c.Index],
            })],
            Unreadable = reading.Unreadable,
            Violations = reading.Result.Violations,
        }, ct);
    }
}
