using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Periods.Reopen;

sealed class Request : PeriodWriteRoute
{
    public const int MaxReason = 500;

    /// <summary>
    /// 重新开放原因 · Optional: why the closed period is reopened (a late table to take in, a figure the published report must
    /// correct), up to 500 characters on one line. Kept in the audit log with the reopening: a reopened period lets every reporter
    /// rewrite a table that may have been published, and an inspector asks why, as a return (退回) states its reason.
    /// </summary>
    /// <example>坛山街道补报：原报表漏报依申请公开数</example>
    [QueryParam]
    public string? Reason { get; set; }

    internal sealed class Validator : SettingsPrecondition.Validator<Request>
    {
        public Validator()
        {
            RuleForIfMatch();
            RuleFor(r => r.Reason).OneLineOrNull(MaxReason)
                .WithMessage("重新开放原因（reason）须为一行、1 至 500 个字，不能含控制字符或不可见的格式字符（不说明可不填）。" +
                    "reason is why the period is reopened, one line of 1 to 500 characters, without control characters or invisible format characters (leave it out for none).");
        }
    }
}

sealed class Endpoint(IPeriodStore periods, CatalogueRegistry catalogues) : Endpoint<Request, PeriodView>
{
    public override void Configure()
    {
        Post("v1/periods/{catalogue}/{period}/reopen");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: a period open already answers as it stands. With If-Match, a 409 `settings-conflict` may mean that the first was stored: read the settings to see.", SettingsPrecondition.RetryZh)));
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "重新开放统计期 · Reopen a closed period";
            s.Description = "A period open already answers as it stands, without reopening it again. The answer's ETag is the settings' version; " +
                "with If-Match, settings changed since it was read (set, closed or reopened by anyone) are a 409 and nothing is stored, unless " +
                "the period is open now: a reopening sent again on the ETag its first attempt replaced (that answer lost, or a 503 after it was " +
                "made), or one another clerk made meanwhile, finds it open as asked and is answered as it stands (200, the current ETag), storing nothing.";
            s.Responses[409] = "`settings-conflict`: If-Match names settings changed since (set, closed or reopened), and the period is closed; " +
                "nothing was stored. Read them again (GET), check what changed, and reopen with the new ETag if it is still to be done.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        var write = await SettingsPrecondition.WriteAsync(periods, req.Catalogue, req.Period, req,
            s => s.Closed ? s with { Closed = false, ClosedAt = null } : null, Storage.Holding.SameClosed, ct);
        if (write.Version is not { } version) { await Send.ResultAsync(SettingsPrecondition.Conflict(period, HttpContext)); return; }
        // A stale tab's second press answers as the first did; the log says it did nothing, as a period PUT that changes nothing does.
        AuditLog.Record(HttpContext, write.Stored
            ? $"重新开放 {AuditText.Table(catalogue, req.Period)}{(TextRules.TrimmedOrNull(req.Reason) is { } reason ? $"：{reason}" : "（未说明原因）")}"
            : "未作改动（本已开放）");
        HttpContext.Response.Headers.ETag = PeriodView.ETag(version);
        await Send.OkAsync(PeriodView.From(write.Now), ct);
    }
}
