using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using FastEndpoints;

namespace Disclosure.Api.Features.Aggregates.AsNational;

sealed class Endpoint(AggregateService aggregates, AggregateCache cache, CatalogueRegistry catalogues) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/as/{national}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<Response>(200, "application/json", Exports.Csv, Exports.Xlsx, Exports.Html).Produces(304));
        Summary(s =>
        {
            s.Summary = "按全国表样读取省版汇总表 · Read a provincial edition's district table in the national layout";
            s.Description = "The district table of an edition (a catalogue that declares 'edition'), as the national catalogue it maps to: a " +
                "national cell is the sum of the edition cells mapped to it alone, in the national unit, exactly; cells the edition has no " +
                "counterpart for are blank, and those it prints only inside a sum of several are listed as unreadable; `completeness` is the edition " +
                "period's, as the edition's own table gives it. The edition's own " +
                "layout stays GET /v1/aggregates/{catalogue}/{period}. Accept text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet " +
                "or text/html (or ?format=) for the national table as printed, with the edition period's completeness in its footer: the table a " +
                "district on a provincial edition reports upward. `asAt` reads it as it stood at a moment, as the edition's own table (at its `firstClosedAt`, as published). Supports If-None-Match.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[406] = "不可接受 · No format (JSON, CSV, xlsx, HTML) satisfies the Accept header.";
            s.Responses[404] = "No such catalogue or period, or the catalogue is not an edition of that national catalogue.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var edition, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        if (edition.Document.Edition?.National != req.National || !catalogues.TryGet(req.National, out var national))
        {
            await Send.ResultAsync(Problems.NotFound($"报表“{req.Catalogue}”不是“{req.National}”的版本。Catalogue '{req.Catalogue}' is not an edition of '{req.National}'.", HttpContext));
            return;
        }
        if (Exports.Negotiate(req.Format, HttpContext.Request.Headers.Accept.ToString()) is not { } format) { await Send.ResultAsync(Exports.NotAcceptable(HttpContext)); return; }
        var asAt = Aggregates.Get.Request.MomentOf(req.AsAt);
        await Send.ResultAsync(await cache.RespondAsync(HttpContext, $"as|{edition.Id}|{national.Id}|{period}|{format}|{asAt?.UtcTicks}", async () =>
        {
            var (table, reading) = await aggregates.BuildAsNationalAsync(edition, national, period, CancellationToken.None, asAt);
            return AggregateResponder.Render(Response.Of(table, reading, national, edition), () => Exports.PrintoutOf(table, national),
                new DownloadName($"{AuditText.Table(national, period.ToString())}-按全国表样", $"{national.Id}-{period}-{edition.Id}"), format);
        }, ct));
    }
}
