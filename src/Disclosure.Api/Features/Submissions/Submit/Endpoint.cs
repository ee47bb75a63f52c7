using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Submit;

sealed class Endpoint(SubmissionJudge judge, ISubmissionStore store, IReporterStore reporters, CatalogueRegistry catalogues, TimeProvider clock)
    : Endpoint<SubmitRequest, SubmissionView>
{
    public override void Configure()
    {
        Post("v1/submissions");
        // A filled-in Excel template too: Features/Templates/WorkbookBodies reads it into this JSON body before binding.
        Description(b => b.Accepts<SubmitRequest>("application/json", Templates.SubmissionWorkbook.MediaType));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "报送统计表 · Submit a reporter's table for a period";
            s.Description = "The whole table for one reporter, period and catalogue; it replaces the previous one as revision n+1. " +
                "Answered 201 only once the write is durable. A reporter key may submit only for its own reporter; the admin key for any.";
            s.Responses[201] = "Stored as the next revision.";
            s.Responses[409] = "The period is closed, or expectedRevision / If-Match is not the current revision.";
            s.Responses[422] = "Refused: unknown reporter, catalogue or code, a broken rule, or a reporter retired for the period (`reporter-retired`, " +
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
        var idempotencyKey = IdempotencyKey();
        int? ifMatchRevision = null;
        var ifMatch = HttpContext.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (SubmissionJudge.TryParseIfMatch(ifMatch, out var parsed)) ifMatchRevision = parsed;
            else HeaderError("If-Match", "The If-Match header must be a revision number such as \"3\".");
        }
        ThrowIfAnyErrors();

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
        var expected = req.ExpectedRevision ?? ifMatchRevision;
        var idempotency = idempotencyKey is null
            ? null
            : new IdempotencyToken(User.KeyId().ToString(), idempotencyKey, SubmissionJudge.RequestHash(req, expected));
        var now = clock.GetUtcNow();
        var submission = new Submission(Guid.CreateVersion7(now), req.Reporter!, req.Catalogue!, table.Period!.Value.ToString(), 0, now,
            SubmissionJudge.ToStored(table), [.. table.Warnings], User.KeyId());

        var result = await store.AppendAsync(submission, expected, idempotency, ct);
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
                    $"Idempotency-Key '{idempotencyKey}' was used before with a different request; nothing was stored.",
                    [Problems.RegistryViolation("idempotency-key-reused", idempotencyKey!,
                        "The Idempotency-Key was used before with a different body: use a new key for a new request.",
                        "该 Idempotency-Key 已用于另一个不同的请求，新请求请使用新的键。")], HttpContext));
                break;
            case AppendStatus.RevisionConflict:
                await Send.ResultAsync(Problems.Conflict("revision-conflict",
                    $"The current revision of '{req.Reporter}', {req.Catalogue}, {req.Period} is {result.CurrentRevision}, not {expected}; nothing was stored.",
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
                await Send.ResultAsync(Problems.Conflict("period-closed",
                    $"Period {req.Period} of catalogue {req.Catalogue} is closed; nothing was stored. The district office can reopen it.",
                    HttpContext, p => p.Extensions["period"] = req.Period));
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

    private void HeaderError(string header, string message) => ValidationFailures.Add(new FluentValidation.Results.ValidationFailure(header, message));

    /// <summary>The <c>Idempotency-Key</c> header, or null when absent; sent empty, twice or with other than 1 to 200 visible ASCII characters is a 400.</summary>
    private string? IdempotencyKey()
    {
        if (!HttpContext.Request.Headers.TryGetValue(SubmitRequest.IdempotencyHeader, out var values)) return null;
        if (values.Count != 1)
            HeaderError(SubmitRequest.IdempotencyHeader, "The Idempotency-Key header must be sent once.");
        else if (values[0] is not { Length: >= 1 and <= 200 } key || key.Any(ch => ch is < '!' or > '~'))
            HeaderError(SubmitRequest.IdempotencyHeader, "The Idempotency-Key header must be 1 to 200 visible ASCII characters.");
        else
            return key;
        return null;
    }
}
