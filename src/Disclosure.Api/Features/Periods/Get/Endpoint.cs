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
        Summary(s =>
        {
            s.Summary = "读取统计期设置 · Read a period's settings (closed, deadline, expected reporters)";
            s.Description = "The ETag names the settings' version: send it as If-Match with `PUT /v1/periods/{catalogue}/{period}`, so that " +
                "settings changed meanwhile are refused rather than overwritten. A table submitted for the period does not change it.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Problem(catalogues, req, HttpContext) is { } problem) { await Send.ResultAsync(problem); return; }
        var settings = await periods.GetPeriodAsync(req.Catalogue, req.Period, ct);
        HttpContext.Response.Headers.ETag = PeriodView.ETag(settings.Version);
        await Send.OkAsync(PeriodView.From(settings), ct);
    }
}
