using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Periods.Close;

sealed class Request : PeriodRoute;

sealed class Endpoint(IPeriodStore periods, CatalogueRegistry catalogues, TimeProvider clock) : Endpoint<Request, PeriodView>
{
    public override void Configure()
    {
        Post("v1/periods/{catalogue}/{period}/close");
        Roles(Infrastructure.Roles.Admin);
        Summary(s => s.Summary = "关闭统计期 · Close a period: further submissions get 409");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Problem(catalogues, req, HttpContext) is { } problem) { await Send.ResultAsync(problem); return; }
        var current = await periods.GetPeriodAsync(req.Catalogue, req.Period, ct);
        var updated = current.Closed ? current : current with { Closed = true, ClosedAt = StoredTime.Of(clock.GetUtcNow()) };
        if (!current.Closed) await periods.SavePeriodAsync(updated, ct);
        await Send.OkAsync(PeriodView.From(updated), ct);
    }
}
