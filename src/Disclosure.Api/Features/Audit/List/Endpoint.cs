using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Audit.List;

sealed class Endpoint(IAuditStore audit) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/audit");
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "操作日志 · The audit log: who changed what, and which keys were refused";
            s.Description = "Every change made with a key other than a table (a table's revisions record who submitted them): reporters registered and corrected, " +
                "keys issued and revoked, periods set, closed and reopened, catalogues loaded, reviews, backups — each with its answer, whether it was " +
                "made or refused — and every request refused for its key (403). Newest first, a page at a time (`limit`, then `before` = `next`). " +
                "Kept in the store with the data, taken by every backup, never changed or removed by the service. A request without a valid key (401) " +
                "is in the service's log only.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var limit = req.Limit ?? Request.DefaultLimit;
        var entries = await audit.ListAuditAsync(new AuditQuery(req.From, req.To, req.Before, limit), ct);
        await Send.OkAsync(new Response
        {
            Items = [.. entries.Select(Response.Entry.From)],
            Next = entries.Count == limit ? entries[^1].Id : null,
        }, ct);
    }
}
