using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Keys.Revoke;

sealed class Endpoint(IKeyStore keys, IReporterStore reporters, TimeProvider clock) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("v1/keys/{id}");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: a key revoked already answers 204 and keeps the time it was first revoked.")));
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "吊销 API 密钥 · Revoke an API key, at once";
            s.Description = "A key revoked already answers 204 too and is left as it is, its `revokedAt` the first revocation's: DELETE is " +
                "idempotent, so a retry of a revocation whose answer was lost succeeds. A revoked key is still listed (`GET /v1/keys`), with its `revokedAt`.";
            s.Responses[204] = "Revoked, now or before.";
            s.Responses[404] = "No key has this id (`GET /v1/keys` lists every key, revoked ones included).";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(req.Id, ct);
        if (key is null) { await Send.ResultAsync(Problems.NotFound($"没有编号为“{req.Id}”的密钥。There is no key '{req.Id}'.", HttpContext)); return; }
        // The store revokes only a key not revoked yet, so a second revocation (or one racing another) keeps the first's time.
        var revoked = key.RevokedAt is null && await keys.RevokeKeyAsync(req.Id, clock.GetUtcNow(), ct);
        var audited = KeyView.Audited(key, key.ReporterId is { } id ? await AuditText.ReporterAsync(reporters, id, ct) : null);
        AuditLog.Record(HttpContext, revoked ? $"吊销{audited}" : $"未作改动（{audited}，本已吊销）");
        await Send.NoContentAsync(ct);
    }
}
