using Disclosure.Api.Infrastructure;
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
        Summary(s =>
        {
            s.Summary = "关闭统计期 · Close a period: further submissions get 409";
            s.Description = "A closed period takes no table (409 `period-closed`). Closing a year also " +
                "closes its quarters to every reporter without a table of the year, whose year is added up from its quarterly tables: the " +
                "closed year's district table does not change. Reopening the year opens them again. To have one reporter correct its table " +
                "of a closed period, return that table (退回, `POST /v1/submissions/{id}/review`): it unlocks that reporter's table alone for " +
                "one corrected revision, and the closed period's district table changes with it; a reopening lets every reporter in.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Problem(catalogues, req, HttpContext) is { } problem) { await Send.ResultAsync(problem); return; }
        var current = await periods.GetPeriodAsync(req.Catalogue, req.Period, ct);
        var updated = current.Closed ? current : current with { Closed = true, ClosedAt = StoredTime.Of(clock.GetUtcNow()) };
        if (!current.Closed) await periods.SavePeriodAsync(updated, ct);
        // A stale tab's second press answers as the first did (closed when it was first closed); the log says it did nothing.
        else AuditLog.Record(HttpContext, $"未作改动（本已关闭，关闭于 {AuditText.Time(current.ClosedAt)}）");
        await Send.OkAsync(PeriodView.From(updated), ct);
    }
}
