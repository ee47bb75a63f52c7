using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Keys.Create;

sealed class Endpoint(IKeyStore keys, IReporterStore reporters, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("v1/keys");
        Roles(Infrastructure.Roles.Admin);
        Options(b => b.WithMetadata(Compression.Off, new RetryAdvice("A key is issued anew by every request, so a retry after a stored attempt issues a second one: list the keys (`GET /v1/keys`) " +
            "and revoke (`DELETE /v1/keys/{id}`) the one the failed attempt issued, whose secret no one was shown.", "每次请求都发放一把新密钥：请先查看密钥列表（GET /v1/keys），吊销上次可能已发放的那一把，再决定是否重发。"))); // the answer carries the secret: never compressed (BREACH)
        Summary(s =>
        {
            s.Summary = "签发 API 密钥 · Issue an API key";
            s.Description = "The key is returned once, here, and stored only as a SHA-256 hash.";
            s.Responses[201] = "Issued.";
            s.Responses[422] = "The reporter is not registered.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var reporter = req.Role == KeyRole.Reporter ? await reporters.GetReporterAsync(req.Reporter!, ct) : null;
        if (req.Role == KeyRole.Reporter && reporter is null)
        {
            await Send.ResultAsync(Problems.Unprocessable($"填报单位“{req.Reporter}”未登记，没有发放密钥：请先登记该单位，或核对代码。Reporter '{req.Reporter}' is not registered.",
                [Problems.UnknownReporter(req.Reporter!)], HttpContext, "The request was refused"));
            return;
        }
        var (secret, now) = (ApiKeys.NewSecret(), clock.GetUtcNow());
        var record = new ApiKeyRecord(Guid.CreateVersion7(now), ApiKeys.Hash(secret), req.Role!.Value, req.Reporter, now, null, req.Label?.Trim(),
            req.ExpiresAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()) : null);
        await keys.CreateKeyAsync(record, ct);
        AuditLog.Record(HttpContext, $"发放{KeyView.Audited(record, reporter?.Name)}");
        HttpContext.Response.Headers.Location = $"/v1/keys/{record.Id}";
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.ResponseAsync(new Response { Id = record.Id, Key = secret, Role = record.Role, Reporter = record.ReporterId, Label = record.Label, ExpiresAt = record.ExpiresAt },
            StatusCodes.Status201Created, ct);
    }
}
