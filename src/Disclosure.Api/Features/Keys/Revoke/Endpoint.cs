using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Keys.Revoke;

sealed class Endpoint(IKeyStore keys, TimeProvider clock) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("v1/keys/{id}");
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "吊销 API 密钥 · Revoke an API key, at once";
            s.Responses[204] = "Revoked.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(req.Id, ct);
        if (key is null || !await keys.RevokeKeyAsync(req.Id, clock.GetUtcNow(), ct)) { await Send.ResultAsync(Problems.NotFound($"There is no active key '{req.Id}'.", HttpContext)); return; }
        AuditLog.Record(HttpContext, $"吊销{KeyView.Audited(key)}");
        await Send.NoContentAsync(ct);
    }
}
