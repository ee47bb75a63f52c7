using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Periods.Reopen;

sealed class Request : PeriodRoute;

sealed class Endpoint(IPeriodStore periods, CatalogueRegistry catalogues) : Endpoint<Request, PeriodView>
{
    public override void Configure()
    {
        Post("v1/periods/{catalogue}/{period}/reopen");
        Roles(Infrastructure.Roles.Admin);
        Summary(s => s.Summary = "重新开放统计期 · Reopen a closed period");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Problem(catalogues, req, HttpContext) is { } problem) { await Send.ResultAsync(problem); return; }
        var current = await periods.GetPeriodAsync(req.Catalogue, req.Period, ct);
        var updated = current with { Closed = false, ClosedAt = null };
        if (current.Closed) await periods.SavePeriodAsync(updated, ct);
        // A stale tab's second press answers as the first did; the log says it did nothing, as a period PUT that changes nothing does.
        else AuditLog.Record(HttpContext, "未作改动（本已开放）");
        await Send.OkAsync(PeriodView.From(updated), ct);
    }
}
