using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Submit;

sealed class Endpoint(SubmissionJudge judge, ISubmissionStore store, IPeriodStore periods, IKeyStore keys, IReporterStore reporters, CatalogueRegistry catalogues,
    TimeProvider clock)
    : Endpoint<SubmitRequest, SubmissionView>
{
    public override void Configure()
    {
        Post("v1/submissions");
        // Each revision records who submitted it and when; tables are not written to the audit log as well, but for a correction
        // a return let into a closed period, and a table sent to a published period reopened (AuditLog.RecordTable).
        Options(b => b.WithMetadata(AuditLog.NotAudited, new RetryAdvice("Send it again with the same Idempotency-Key: it is stored once, whether or not this attempt reached the store. " +
            "Without one, a retry of a stored attempt stores a second revision, unless it names the revision it replaces (`expectedRevision` or " +
            "If-Match): then a 409 `revision-conflict` shows that the first was stored.", "请用同一个 Idempotency-Key 重发，只保存一次；没有该键时，请带上 expectedRevision 或 If-Match 重发，上次若已保存则得到 409 revision-conflict。")));
        // A filled-in Excel template too: Features/Templates/WorkbookBodies reads it into this JSON body before binding.
        Description(b => b.Accepts<SubmitRequest>("application/json", Templates.SubmissionWorkbook.MediaType));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "报送统计表 · Submit a reporter's table for a period";
            s.Description = "The whole table for one reporter, period and catalogue; it replaces the previous one as revision n+1. " +
                "Answered 201 only once the write is durable. A reporter key may submit only for its own reporter; the admin key for any. " +
                "An uploaded workbook's 填报单位 cell names the reporter by its id, that id in capitals, or its registered name; text that is " +
                "one reporter's id and another's name is the reporter whose id it is (the id is what the template writes), and the 201 names it.";
            s.Responses[201] = "Stored as the next revision. In a closed period, only the correction of a table the district office returned (退回) " +
                "is stored, and recorded in the audit log. Its `warnings` are the catalogue's, and `newer-catalogue` where a catalogue that begins " +
                "later takes the period, or a quarter's year, too (a format the office loaded): the district reports the period on that one (`expected`, its id), " +
                "and, once the office closed it there, no longer takes it there.";
            s.Responses[200] = "Nothing stored: the table is the current revision over again (every figure, the sums left to the service, the note, and " +
                "sentAt when the request gives one: a table sent without it leaves the time the office recorded as it is), and the district office has " +
                "not returned it (退回); in a closed period too, since it changes nothing there. The body is that revision's table (its review is read with GET /v1/submissions/{id}), with its Content-Location " +
                "and ETag: a revision that changes nothing would only put the table back to 待审核 and, after the deadline, count it as revised late. " +
                "A returned table sent back unchanged is stored (201), as the reporter's answer that its figures stand. An Idempotency-Key sent with it " +
                "is kept: a retry with the same key and body gets this answer again, with Idempotent-Replayed: true, whatever revision is current by then.";
            s.Responses[403] = "无权限 · The key may not submit for this reporter, or a reporter key gave sentAt (only the district office states when a table was sent).";
            s.Responses[409] = "The period is closed (period-closed, with closedAt and reopen; a table the district office returned (退回) is let in for " +
                "one correction, which locks it again, and the current table sent over again is the 200 above); expectedRevision / If-Match is not the current revision, or If-Match: * while there is none (revision-conflict); " +
                "or, with neither given, an uploaded workbook was filled in from an older revision than the current one (stale-workbook, with " +
                "workbookRevision, currentRevision and who submitted the current one and when: send it again with If-Match of the current revision to replace it); " +
                "a workbook whose sheet now names another table than it was made for (its period or reporter typed over) is made from no revision of " +
                "that table, and is stale-workbook (with workbookMadeFor) while that table has one.";
            s.Responses[422] = "Refused: unknown reporter, catalogue or code, a broken rule, a table without a single figure (`empty-table`), a period that has not begun (`period-not-begun`), or a reporter retired for the period (`reporter-retired`, " +
                "with `retiredFrom`: it reports no period that begins on or after that one); every violation is listed, and beside them what would " +
                "refuse the table once they are mended (`period-closed`, `revision-conflict`, `stale-workbook`, each otherwise a 409), as the dry run lists them; " +
                "or the Idempotency-Key was used before for another request (`idempotency-key-reused`).";
        });
    }

    public override async Task HandleAsync(SubmitRequest req, CancellationToken ct)
    {
        if (SubmissionBody.Forbidden(req, HttpContext) is { } forbidden)
        {
            await Send.ResultAsync(forbidden);
            return;
        }
        // A workbook's revision is of the table it was made for: one whose sheet now names another table is, for that one, a blank template.
        var replacing = Replacing.Of(req, HttpContext);
        var verdict = await judge.JudgeAsync(req, User.IsBoundTo(req.Reporter!), ct);
        if (verdict.Refused)
        {
            await RefuseAsync(req, [.. verdict.Violations, .. await judge.ObstaclesAsync(req, replacing, User.IsInRole(Infrastructure.Roles.Admin), ct)]);
            return;
        }
        var table = verdict.Table!;
        var now = clock.GetUtcNow();
        var (anyRevision, _, origin, madeFor, madeFrom) = replacing;
        var expected = replacing.Expected;
        var idempotency = SubmissionJudge.Idempotency(req, replacing, User.KeyId().ToString());
        // Its warnings: the engine's, and a newer catalogue taking the period (it was not refused, so there is no error among them).
        var submission = new Submission(Guid.CreateVersion7(now), req.Reporter!, req.Catalogue!, table.Period!.Value.ToString(), 0, now,
            SubmissionJudge.ToStored(table), [.. verdict.Violations], User.KeyId(), req.SentAt, Note: req.StoredNote());

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
                if (result.ThroughReturn)
                    AuditLog.RecordTable(HttpContext, await CorrectionAsync(stored, null, ct));
                // A reopening lets every reporter rewrite a table that was published: the log names each one it let in (a quarter's
                // too when its year is the one reopened, as a year may be added up from its quarters).
                else if (result.ReopenedFirstClosedAt is { } first)
                    AuditLog.RecordTable(HttpContext, await CorrectionAsync(stored, first, ct));
                HttpContext.Response.Headers.Location = $"/v1/submissions/{stored.Id}";
                HttpContext.Response.Headers.ETag = $"\"{stored.Revision}\"";
                var view = SubmissionView.From(stored, catalogues);
                // An uploaded workbook's warnings say where their cells are, as its errors do: the person checks them in Excel.
                if (HttpContext.Features.Get<Templates.WorkbookOrigin>() is { } workbook && view.Warnings.Count > 0)
                    view = view.WithWarnings(workbook.Locate(view.Warnings, catalogues.TryGet(stored.CatalogueId, out var catalogue) ? catalogue : null));
                await Send.ResponseAsync(view, StatusCodes.Status201Created, ct);
                break;
            case AppendStatus.Unchanged:
            case AppendStatus.ReplayedUnchanged:
                // Nothing to store: a revision that changes nothing would only send the table back to 待审核 and, after the
                // deadline, count it as revised late. The answer is the revision it was found to be (a retry with the same
                // Idempotency-Key: the one found then, whatever is current now).
                var head = result.Submission!;
                Telemetry.SubmissionsAccepted.Add(1, new KeyValuePair<string, object?>("outcome", "unchanged"));
                if (result.Status == AppendStatus.ReplayedUnchanged) HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                HttpContext.Response.Headers.ContentLocation = $"/v1/submissions/{head.Id}";
                HttpContext.Response.Headers.ETag = $"\"{head.Revision}\"";
                await Send.ResponseAsync(SubmissionView.From(head, catalogues), StatusCodes.Status200OK, ct);
                break;
            case AppendStatus.IdempotencyMismatch:
                await Send.ResultAsync(Problems.Unprocessable(
                    $"该 Idempotency-Key（{req.IdempotencyKey}）已用于另一个不同的请求，本表没有保存：新请求请使用新的键。Idempotency-Key '{req.IdempotencyKey}' was used before with a different request; nothing was stored.",
                    [SubmissionJudge.KeyReused(req.IdempotencyKey!)], HttpContext));
                break;
            case AppendStatus.RevisionConflict when madeFrom is { } older:
                await Send.ResultAsync(await StaleWorkbookAsync(submission, older, madeFor, origin?.MadeFromRevision, result.CurrentRevision, ct));
                break;
            case AppendStatus.RevisionConflict:
                await Send.ResultAsync(Problems.Conflict(ProblemTypes.RevisionConflict, anyRevision
                        ? $"“{req.Reporter}”{req.Period} 还没有报表，If-Match: * 只能替换已有的报表，本表没有保存：第一次报送请不带 If-Match。 " +
                          $"'{req.Reporter}' has no table for {req.Catalogue}, {req.Period} yet, and If-Match: * replaces only an existing one; nothing was stored. Send the first without If-Match."
                        : $"“{req.Reporter}”{req.Period} 的报表现在是第 {result.CurrentRevision} 次修订，不是第 {expected} 次，本表没有保存：请先取回最新的报表，核对后再提交。 " +
                          $"The current revision of '{req.Reporter}', {req.Catalogue}, {req.Period} is {result.CurrentRevision}, not {expected}; nothing was stored.",
                    HttpContext, p => p.Extensions["currentRevision"] = result.CurrentRevision));
                break;
            case AppendStatus.ReporterRetired:
                // Read again to say from when, and what else stands in the way (a closed period), as the dry run says it; a
                // reinstatement since the store looked leaves the retirement unnamed.
                var obstacles = await judge.ObstaclesAsync(req, replacing, User.IsInRole(Infrastructure.Roles.Admin), ct);
                await RefuseAsync(req, obstacles.Any(v => v.Rule == Reporters.Retirements.Rule)
                    ? obstacles
                    : [Reporters.Retirements.Violation(req.Reporter!, "?", table.Period!.Value.ToString()), .. obstacles]);
                break;
            case AppendStatus.PeriodClosed:
                // Which one: the period, or the year its quarters add up into (read again only to say it).
                var period = table.Period!.Value;
                var closing = await Periods.ClosedPeriods.ClosingAsync(periods, store, req.Catalogue!, period, req.Reporter!, ct) ?? period;
                var said = Periods.ClosedPeriods.Said(closing, period, req.Catalogue!,
                    await Periods.ClosedPeriods.SentQuartersAsync(store, req.Catalogue!, closing, period, req.Reporter!, ct));
                // An attempt to change a table the office closed (published) is the office's to know of, as the correction a return lets in is.
                AuditLog.RecordTable(HttpContext, $"拒收 {await AuditText.ReporterAsync(reporters, req.Reporter!, ct)} " +
                    $"{AuditText.Table(catalogues, req.Catalogue!, period.ToString())}：{said.Chinese}");
                await Send.ResultAsync(await Periods.ClosedPeriods.ConflictAsync(periods, req.Catalogue!, closing,
                    $"{said.Chinese}，本表没有保存", $"{said.English}; nothing was stored.", HttpContext, ct));
                break;
            default:
                throw new InvalidOperationException($"The store answered an append with {result.Status}, which this endpoint does not know.");
        }
    }

    /// <summary>
    /// The audit entry of a correction a return let into a closed period, or of a table a reopening let into a period published
    /// (first closed at <paramref name="firstClosedAt"/>), in the office's words, saying whether the district table changed with it:
    /// a correction that repeats the figures before (the town checked and found them right) leaves it as it was published.
    /// </summary>
    private async Task<string> CorrectionAsync(Submission stored, DateTimeOffset? firstClosedAt, CancellationToken ct)
    {
        var returned = (await store.ListRevisionsAsync(stored.ReporterId, stored.CatalogueId, stored.Period, ct)).FirstOrDefault(r => r.Revision == stored.Revision - 1);
        var before = returned is null ? null : await store.GetSubmissionAsync(returned.Id, ct);
        var same = before is not null && before.HasSameFigures(stored);
        // A quarter of a year added up from its quarters is in the closed year's table too (ClosedPeriods.ClosesItsQuarters).
        var year = Period.Parse(stored.Period) with { Quarter = null };
        var tables = year.ToString() != stored.Period && Periods.ClosedPeriods.ClosesItsQuarters((await periods.GetPeriodAsync(stored.CatalogueId, year.ToString(), ct)).Closed,
            (await store.ListRevisionsAsync(stored.ReporterId, stored.CatalogueId, year.ToString(), ct)).Count > 0) ? $"该统计期及{AuditText.Period(year.ToString())}" : "该统计期";
        var what = firstClosedAt is { } first ? $"重新开放期间报送已发布（首次关闭于 {AuditText.Time(first)}）统计期的报表" : "据退回更正已关闭统计期的报表";
        return $"{what}：{await AuditText.ReporterAsync(reporters, stored.ReporterId, ct)} " +
            $"{AuditText.Table(catalogues, stored.CatalogueId, stored.Period)} 第 {stored.Revision} 版" +
            (same ? $"（数字与{(firstClosedAt is null ? "退回的" : "")}第 {before!.Revision} 版相同，{tables}的汇总未变）" : before is null ? $"（补报，{tables}的汇总随之改变）" : $"（数字有改动，{tables}的汇总随之改变）");
    }

    /// <summary>
    /// The 422 listing every violation, counted by rule; a refusal of a retired reporter's table also says, as <c>retiredFrom</c>,
    /// the period its retirement begins.
    /// </summary>
    private Task RefuseAsync(SubmitRequest req, IReadOnlyList<Violation> violations)
    {
        var errors = violations.Where(v => v.Severity == Severity.Error).ToList();
        foreach (var v in errors) Telemetry.SubmissionsRefused.Add(1, new KeyValuePair<string, object?>("rule", v.Rule));
        var retired = errors.FirstOrDefault(v => v.Rule == Reporters.Retirements.Rule);
        // An uploaded workbook's violations say where its cells are, and the problem which table its sheet names: the page
        // that sent it may have another table open.
        var workbook = HttpContext.Features.Get<Templates.WorkbookOrigin>();
        if (workbook is not null)
            violations = workbook.Locate(violations, catalogues.TryGet(req.Catalogue!, out var catalogue) ? catalogue : null);
        return Send.ResultAsync(Problems.Unprocessable(
            $"{req.Reporter} {req.Period} 的报表有 {errors.Count} 处错误，没有保存（各处错误见 violations 的 messageZh）。" +
            $"The table for '{req.Reporter}', {req.Period} was refused with {errors.Count} error(s); nothing was stored.",
            violations, HttpContext, extend: p =>
            {
                if (retired is not null) p.Extensions["retiredFrom"] = retired.Expected;
                if (workbook is not null)
                    p.Extensions["workbookTable"] = new Dictionary<string, object?> { ["reporter"] = req.Reporter, ["catalogue"] = req.Catalogue, ["period"] = req.Period };
            }));
    }

    /// <summary>
    /// The 409 for a workbook filled in from an older revision than the current one: which revision it was made from, the
    /// current one, and when and by whom (role) that was submitted, so that the person can tell whether to overwrite it. A
    /// workbook made for another table (<paramref name="madeFor"/>, its <paramref name="recorded"/> revision) says so and
    /// which template to download instead; for this table it was made from no revision.
    /// </summary>
    private async Task<IResult> StaleWorkbookAsync(Submission submission, int madeFrom, Templates.WorkbookTable? madeFor, int? recorded, int current, CancellationToken ct)
    {
        var revisions = await store.ListRevisionsAsync(submission.ReporterId, submission.CatalogueId, submission.Period, ct);
        var head = revisions.LastOrDefault(r => r.Revision == current) ?? revisions.LastOrDefault();
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
        var at = head is null ? null : Infrastructure.ChinaTime.Of(head.ReceivedAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var submitted = $"submitted {(at is null ? "" : $"at {at} ")}by {who}";
        var chinese = $"这个工作簿是据{(madeFrom == 0 ? "空白模板" : $"第 {madeFrom} 次修订")}填写的，该表现在已是第 {revision} 次修订{(at is null ? "" : $"（{at[..16].Replace('T', ' ')} 收到）")}，本表没有保存：" +
            (madeFor is null ? "请重新下载模板，核对后再上传；确要覆盖，请带 If-Match 重新提交。 " : $"工作簿原是为 {madeFor} 制作的，现在表上写的是 {table}：请下载 {table} 的模板填写。 ");
        return Problems.Conflict(ProblemTypes.StaleWorkbook, chinese + (madeFor is null
                ? $"The workbook was filled in from {made} of {table}, but the current revision is {revision}, {submitted}; nothing was stored. " +
                  $"To replace revision {revision} with this workbook, send it again with If-Match: \"{revision}\"."
                : $"The workbook was made for {madeFor} ({(recorded is > 0 ? $"from its revision {recorded}" : "a blank template")}) and its sheet now names {table}, " +
                  $"whose current revision is {revision}, {submitted}; nothing was stored. Download the template of {table} " +
                  $"(GET /v1/templates/{table.Catalogue}/{table.Period}?reporter={table.Reporter}) and fill that in, or, to replace revision {revision} with this " +
                  $"workbook, send it again with If-Match: \"{revision}\"."),
            HttpContext, p =>
            {
                p.Extensions["workbookRevision"] = madeFrom;
                // The table the sheet names, which would be overwritten: the page that sent it may have another table open.
                p.Extensions["workbookTable"] = new Dictionary<string, object> { ["reporter"] = table.Reporter, ["catalogue"] = table.Catalogue, ["period"] = table.Period };
                if (madeFor is not null)
                    p.Extensions["workbookMadeFor"] = new Dictionary<string, object>
                    {
                        ["reporter"] = madeFor.Reporter, ["catalogue"] = madeFor.Catalogue, ["period"] = madeFor.Period, ["revision"] = recorded ?? 0,
                    };
                p.Extensions["currentRevision"] = revision;
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
