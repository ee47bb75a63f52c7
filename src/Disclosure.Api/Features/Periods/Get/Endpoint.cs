using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Periods.Get;

sealed class Request : PeriodRoute;

sealed class Endpoint(IPeriodStore periods, CatalogueRegistry catalogues) : Endpoint<Request, PeriodView>
{
    public override void Configure()
    {
        Get("v1/periods/{catalogue}/{period}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Description(b => b.Produces<PeriodView>(200, "application/json").Produces(304));
        Summary(s =>
        {
            s.Summary = "读取统计期设置 · Read a period's settings (closed, deadline, expected reporters)";
            s.Description = "The ETag names the settings' version: send it as If-Match with `PUT /v1/periods/{catalogue}/{period}` or its " +
                "`close` and `reopen`, so that settings changed meanwhile are refused rather than overwritten. A table submitted for the " +
                "period does not change it. Supports If-None-Match.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Problem(catalogues, req, HttpContext) is { } problem) { await Send.ResultAsync(problem); return; }
        var settings = await periods.GetPeriodAsync(req.Catalogue, req.Period, ct);
        if (Infrastructure.ConditionalReads.Unchanged(HttpContext, PeriodView.ETag(settings.Version)))
        {
            await Send.ResultAsync(Infrastructure.ConditionalReads.NotModified());
            return;
        }
        await Send.OkAsync(PeriodView.From(settings), ct);
    }
}
