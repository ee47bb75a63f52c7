using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Submit;

sealed class Endpoint(SubmissionJudge judge, ISubmissionStore store, IPeriodStore periods, IReporterStore reporters, IKeyStore keys, CatalogueRegistry catalogues, TimeProvider clock)
    : Endpoint<SubmitRequest, SubmissionView>
{
    public override void Configure()
    {
        Post("v1/submissions");
        // Each revision records who submitted it and when; tables are not written to the audit log as well.
        Options(b => b.WithMetadata(AuditLog.NotAudited));
        // A filled-in Excel template too: Features/Templates/WorkbookBodies reads it into this JSON body before binding.
        Description(b => b.Accepts<SubmitRequest>("application/json", Templates.SubmissionWorkbook.MediaType));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "报送统计表 · Submit a reporter's table for a period";
            s.Description = "The whole table for one reporter, period and catalogue; it replaces the previous one as revision n+1. " +
                "Answered 201 only once the write is durable. A reporter key may submit only for its own reporter; the admin key for any.";
            s.Responses[201] = "Stored as the next revision.";
            s.Responses[403] = "无权限 · The key may not submit for this reporter, or a reporter key gave sentAt (only the district office states when a table was sent).";
            s.Responses[409] = "The period is closed (period-closed); expectedRevision / If-Match is not the current revision, If-Match: * while there is none, " +
                "or If-Match is a weak tag (`W/\"3\"`), which matches no revision since If-Match compares strongly (revision-conflict); " +
                "or, with neither given, an uploaded workbook was filled in from an older revision than the current one (stale-workbook, with " +
                "workbookRevision, currentRevision and who submitted the current one and when: send it again with If-Match of the current revision to replace it); " +
                "a workbook whose sheet now names another table than it was made for (its period or reporter typed over) is made from no revision of " +
                "that table, and is stale-workbook (with workbookMadeFor) while that table has one.";
            s.Responses[422] = "Refused: unknown reporter, catalogue or code, a broken rule, a table without a single figure (`empty-table`), a period that has not begun (`period-not-begun`), or a reporter retired for the period (`reporter-retired`, " +
                "with `retiredFrom`: it reports no period that begins on or after that one); every violation is listed.";
        });
    }

    public override async Task HandleAsync(SubmitRequest req, CancellationToken ct)
    {
        if (!User.MayWriteFor(req.Reporter!))
        {
            await Send.ResultAsync(Problems.Forbidden($"This key may not submit for reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        if (req.SentAt is not null && !User.IsInRole(Infrastructure.Roles.Admin))
        {
            await Send.ResultAsync(Problems.Forbidden(SubmissionBody.SentAtIsTheOffices, HttpContext));
            return;
        }

        var verdict = await judge.JudgeAsync(req, User.IsBoundTo(req.Reporter!), ct, storeChecksRetirement: true);
        if (verdict.Refused)
        {
            foreach (var v in verdict.Violations.Where(v => v.Severity == Severity.Error))
                Telemetry.SubmissionsRefused.Add(1, new KeyValuePair<string, object?>("rule", v.Rule));
            await Send.ResultAsync(Problems.Unprocessable(
                $"The table for '{req.Reporter}', {req.Period} was refused with {verdict.Violations.Count(v => v.Severity == Severity.Error)} error(s); nothing was stored.",
                verdict.Violations, HttpContext, extend: RetiredFrom(verdict.Violations)));
            return;
        }
        var table = verdict.Table!;
        if (SubmissionJudge.IsWeakTag(req.IfMatch))
        {
            var revisions = await store.ListRevisionsAsync(req.Reporter!, req.Catalogue!, table.Period!.Value.ToString(), ct);
            var current = revisions.Count > 0 ? revisions[^1].Revision : 0;
            await Send.ResultAsync(Problems.Conflict("revision-conflict", SubmissionJudge.WeakTagRefused(req.IfMatch!, current).English + " Nothing was stored.",
                HttpContext, p => p.Extensions["currentRevision"] = current));
            return;
        }
        var now = clock.GetUtcNow();
        var anyRevision = req.ExpectedRevision is null && SubmissionBody.IsAnyRevision(req.IfMatch);
        var explicitRevision = req.ExpectedRevision ?? (SubmissionJudge.TryParseIfMatch(req.IfMatch, out var ifMatch) ? ifMatch : null);
        // A workbook says which revision its template was filled in from: with no revision named, it may replace only that one
        // (a town's old workbook must not silently undo the office's correction made since it was downloaded). That revision is
        // of the table the workbook was made for: one whose sheet now names another table is, for that one, a blank template.
        var origin = explicitRevision is null && !anyRevision ? HttpContext.Features.Get<Templates.WorkbookOrigin>() : null;
        var madeFor = origin?.OtherThan(req);
        var madeFrom = origin?.RevisionFor(req);
        var expected = explicitRevision ?? madeFrom;
        var idempotency = req.IdempotencyKey is null
            ? null
            : new IdempotencyToken(User.KeyId().ToString(), req.IdempotencyKey, SubmissionJudge.RequestHash(req, expected, req.SentAt, anyRevision));
        var submission = new Submission(Guid.CreateVersion7(now), req.Reporter!, req.Catalogue!, table.Period!.Value.ToString(), 0, now,
            SubmissionJudge.ToStored(table), [.. table.Warnings], User.KeyId(), req.SentAt, Note: req.StoredNote());

        var result = await store.AppendAsync(submission, anyRevision ? 1 : expected, idempotency, ct);
        // If-Match: * asks for a current revision, not a given one: a conflict that names one is the revision to replace.
        while (anyRevision && result.Status == AppendStatus.RevisionConflict && result.CurrentRevision > 0)
            result = await store.AppendAsync(submission, result.CurrentRevision, idempotency, ct);
        // A workbook of a revision the store does not have (a store restored from a backup since) has no later one to undo;
        // a revision of another table says nothing of this one's.
        if (result.Status == AppendStatus.RevisionConflict && madeFor is null && madeFrom is { } newer && result.CurrentRevision < newer)
            result = await store.AppendAsync(submission, null, idempotency, ct);
        switch (result.Status)
        {
            case AppendStatus.Created:
            case AppendStatus.Replayed:
                var stored = result.Submission!;
                Telemetry.SubmissionsAccepted.Add(1, new KeyValuePair<string, object?>("outcome", result.Status == AppendStatus.Created ? "created" : "replayed"));
                if (result.Status == AppendStatus.Replayed) HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                HttpContext.Response.Headers.Location = $"/v1/submissions/{stored.Id}";
                HttpContext.Response.Headers.ETag = $"\"{stored.Revision}\"";
                await Send.ResponseAsync(SubmissionView.From(stored, catalogues), StatusCodes.Status201Created, ct);
                break;
            case AppendStatus.IdempotencyMismatch:
                await Send.ResultAsync(Problems.Unprocessable(
                    $"Idempotency-Key '{req.IdempotencyKey}' was used before with a different request; nothing was stored.",
                    [Problems.RegistryViolation("idempotency-key-reused", req.IdempotencyKey!,
                        "The Idempotency-Key was used before with a different body: use a new key for a new request.",
                        "该 Idempotency-Key 已用于另一个不同的请求，新请求请使用新的键。")], HttpContext));
                break;
            case AppendStatus.RevisionConflict when madeFrom is { } older:
                await Send.ResultAsync(await StaleWorkbookAsync(submission, older, madeFor, origin?.MadeFromRevision, result.CurrentRevision, ct));
                break;
            case AppendStatus.RevisionConflict:
                await Send.ResultAsync(Problems.Conflict("revision-conflict", anyRevision
                        ? $"'{req.Reporter}' has no table for {req.Catalogue}, {req.Period} yet, and If-Match: * replaces only an existing one; nothing was stored. Send the first without If-Match."
                        : $"The current revision of '{req.Reporter}', {req.Catalogue}, {req.Period} is {result.CurrentRevision}, not {expected}; nothing was stored.",
                    HttpContext, p => p.Extensions["currentRevision"] = result.CurrentRevision));
                break;
            case AppendStatus.ReporterRetired:
                // Retired since the judge looked, or a reporter key's own table (the judge does not look it up): the same refusal.
                var retiredFrom = (await reporters.GetReporterAsync(req.Reporter!, ct))?.RetiredFrom ?? "?";
                Telemetry.SubmissionsRefused.Add(1, new KeyValuePair<string, object?>("rule", "reporter-retired"));
                await Send.ResultAsync(Problems.Unprocessable(
                    $"The table for '{req.Reporter}', {req.Period} was refused: the reporter is retired from {retiredFrom}; nothing was stored.",
                    [Reporters.Retirements.Violation(req.Reporter!, retiredFrom, table.Period!.Value.ToString())], HttpContext,
                    extend: p => p.Extensions["retiredFrom"] = retiredFrom));
                break;
            case AppendStatus.PeriodClosed:
                // Which one: the period, or the year its quarters add up into (read again only to say it).
                var period = table.Period!.Value;
                var closing = await Periods.ClosedPeriods.ClosingAsync(periods, store, req.Catalogue!, period, req.Reporter!, ct) ?? period;
                await Send.ResultAsync(Problems.Conflict("period-closed",
                    $"{Periods.ClosedPeriods.Said(closing, period, req.Catalogue!).English}; nothing was stored. The district office can reopen it.",
                    HttpContext, p => p.Extensions["period"] = closing.ToString()));
                break;
            default:
                throw new InvalidOperationException($"The store answered an append with {result.Status}, which this endpoint does not know.");
        }
    }

    /// <summary>A refusal of a retired reporter's table also says, as <c>retiredFrom</c>, the period its retirement begins.</summary>
    private static Action<Microsoft.AspNetCore.Mvc.ProblemDetails>? RetiredFrom(IReadOnlyList<Violation> violations) =>
        violations.FirstOrDefault(v => v.Rule == "reporter-retired") is { } retired
            ? p => p.Extensions["retiredFrom"] = retired.Expected
            : null;

    /// <summary>
    /// The 409 for a workbook filled in from an older revision than the current one: which revision it was made from, the
    /// current one, and when and by whom (role) that was submitted, so that the person can tell whether to overwrite it. A
    /// workbook made for another table (<paramref name="madeFor"/>, its <paramref name="recorded"/> revision) says so and
    /// which template to download instead; for this table it was made from no revision.
    /// </summary>
    private async Task<IResult> StaleWorkbookAsync(Submission submission, int madeFrom, Templates.WorkbookTable? madeFor, int? recorded, int current, CancellationToken ct)
    {
        var revisions = await store.ListRevisionsAsync(submission.ReporterId, submission.CatalogueId, submission.Period, ct);
        var head = revisions.LastOrDefault(r => r.Revision == current) ?? (revisions.Count > 0 ? revisions[^1] : null);
        var by = head is null ? null : await new Submitters(keys).OfAsync(head.SubmittedByKey, ct);
        var who = by?.Role switch
        {
            KeyRole.Admin => "the district office (admin)",
            KeyRole.Reporter => "the reporter's own key (reporter)",
            KeyRole.Viewer => "a viewer key",
            _ => "a key this service does not hold",
        };
        var made = madeFrom == 0 ? "a blank template (no revision)" : $"revision {madeFrom}";
        var table = new Templates.WorkbookTable(submission.ReporterId, submission.CatalogueId, submission.Period);
        var revision = head?.Revision ?? current;
        var submitted = $"submitted {(head is null ? "" : $"at {head.ReceivedAt:O} ")}by {who}";
        return Problems.Conflict("stale-workbook", madeFor is null
                ? $"The workbook was filled in from {made} of {table}, but the current revision is {revision}, {submitted}; nothing was stored. " +
                  $"To replace revision {revision} with this workbook, send it again with If-Match: \"{revision}\"."
                : $"The workbook was made for {madeFor} ({(recorded is > 0 ? $"from its revision {recorded}" : "a blank template")}) and its sheet now names {table}, " +
                  $"whose current revision is {revision}, {submitted}; nothing was stored. Download the template of {table} " +
                  $"(GET /v1/templates/{table.Catalogue}/{table.Period}?reporter={table.Reporter}) and fill that in, or, to replace revision {revision} with this " +
                  $"workbook, send it again with If-Match: \"{revision}\".",
            HttpContext, p =>
            {
                p.Extensions["workbookRevision"] = madeFrom;
                if (madeFor is not null)
                    p.Extensions["workbookMadeFor"] = new Dictionary<string, object>
                    {
                        ["reporter"] = madeFor.Reporter, ["catalogue"] = madeFor.Catalogue, ["period"] = madeFor.Period, ["revision"] = recorded ?? 0,
                    };
                p.Extensions["currentRevision"] = head?.Revision ?? current;
                if (head is not null) p.Extensions["currentReceivedAt"] = head.ReceivedAt;
                if (head?.SentAt is { } sent) p.Extensions["currentSentAt"] = sent;
                // As submittedBy reads elsewhere; written here by hand, since problem details are not written with the service's enum names.
                if (by is not null)
                    p.Extensions["currentSubmittedBy"] = by.Role is { } role
                        ? new Dictionary<string, object> { ["keyId"] = by.KeyId, ["role"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(role.ToString()) }
                        : new Dictionary<string, object> { ["keyId"] = by.KeyId };
            });
    }
}
