using System.Security.Claims;
using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Review;

sealed class Endpoint(ISubmissionStore store, IKeyStore keys, IReporterStore reporters, Disclosure.Catalogue.CatalogueRegistry catalogues, TimeProvider clock)
    : Endpoint<Request, ReviewView>
{
    public override void Configure()
    {
        Post("v1/submissions/{id}/review");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: a review replaces the revision's current one, so the same decision sent twice is stored as one, dated by the later.")));
        Roles(Infrastructure.Roles.Admin);
        // A path that is no id and the body's own slips are said in one 400 (the id is read by hand, below).
        DontThrowIfValidationFails();
        Summary(s =>
        {
            s.Summary = "审核报表 · Review a submitted table: accept it (审核通过) or return it to its reporter (退回)";
            s.Description = "The district office's verdict on the latest revision of a reporter's table for a period. `returned` needs `comment`, " +
                "the reason the reporter must act on; `accepted` may have one. A revision has one current review: reviewing it again replaces " +
                "the earlier one. A new revision starts unreviewed (待审核). The review is part of the revision and is read wherever the revision " +
                "is (`review` on `GET /v1/submissions/{id}`, the revision list, the reporter's periods and the district table's completeness). " +
                "A closed period takes a return too, and it unlocks only that reporter's table: its reporter (or the office on its behalf) may " +
                "submit one corrected revision, which starts unreviewed and so locks the table again, while every other table of the period " +
                "stays closed (a reopening would let every late reporter in). Until corrected, the returned table counts in the district " +
                "table with its figures as they stand. Two clerks reviewing one table: send `expectedDecision`, the review as the page showed it " +
                "(`pending`, `accepted` or `returned`), and with a review made its `reviewedAt` as `expectedReviewedAt`, and a review another " +
                "made meanwhile — a return with another reason too — is not overwritten unseen (409 `review-conflict`).";
            s.Params["id"] = "The submission (revision) to review: the latest of its reporter, catalogue and period.";
            s.Responses[200] = "The review as stored, now the revision's current review.";
            s.Responses[409] = "A later revision exists (`revision-conflict`, with `currentRevision` and `currentSubmission`: review that one); or the " +
                "current review is not the one `expectedDecision` and `expectedReviewedAt` name (`review-conflict`, with `currentDecision` and, when reviewed, `currentComment`, " +
                "`currentReviewedAt` and `currentReviewedBy`: read it, then review again). Nothing was stored.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        // Read by hand so that a path that is no id is answered as GET /v1/submissions/{id} answers it (naming the value),
        // not with FastEndpoints' "Unable to read value of route parameter!".
        var raw = Route<string>("id");
        if (!Guid.TryParse(raw, out var id))
            AddError(new FluentValidation.Results.ValidationFailure("id", Problems.BindingFailure(typeof(Guid), "id", raw)));
        ThrowIfAnyErrors();
        var comment = TextRules.TrimmedOrNull(req.Comment);
        var result = await store.ReviewAsync(id, new Storage.Review(req.Decision!.Value, comment, clock.GetUtcNow(), User.KeyId()), req.Expected(), ct);
        switch (result.Status)
        {
            case ReviewStatus.Stored:
                var reviewed = result.Revision!;
                // In the office's words: the reporter's name and the table's heading; the path names the revision by its id.
                AuditLog.Record(HttpContext,
                    $"{(req.Decision == ReviewDecision.Returned ? "退回" : "通过")} {await AuditText.ReporterAsync(reporters, reviewed.ReporterId, ct)} " +
                    $"{AuditText.Table(catalogues, reviewed.CatalogueId, reviewed.Period)} 第 {reviewed.Revision} 版" +
                    (comment is null ? "" : $"：{comment}"), reviewed.Review!.ReviewedAt);
                await Send.OkAsync(ReviewView.From(reviewed.Review, User.FindFirstValue(DisclosureClaims.Holder))!, ct);
                break;
            case ReviewStatus.NotFound:
                await Send.ResultAsync(Problems.NotFound($"没有编号为“{id}”的报送。There is no submission '{id}'.", HttpContext));
                break;
            case ReviewStatus.NotLatest:
                var (r, latest) = (result.Revision!, result.Latest!);
                await Send.ResultAsync(Problems.Conflict(ProblemTypes.RevisionConflict,
                    $"这是 {r.ReporterId} {r.Period} 的第 {r.Revision} 版，已有第 {latest.Revision} 版：只能审核最新一版，没有保存。" +
                    $"Submission '{id}' is revision {r.Revision} of '{r.ReporterId}', {r.CatalogueId}, {r.Period}; the latest is revision {latest.Revision} " +
                    $"('{latest.Id}'), and only the latest can be reviewed. Nothing was stored.",
                    HttpContext, p =>
                    {
                        p.Extensions["currentRevision"] = latest.Revision;
                        p.Extensions["currentSubmission"] = latest.Id;
                    }));
                break;
            case ReviewStatus.ReviewChanged:
                await Send.ResultAsync(await ReviewConflictAsync(result.Revision!, req.Expected()!, ct));
                break;
            default:
                throw new InvalidOperationException($"The store answered a review with {result.Status}, which this endpoint does not know.");
        }
    }

    /// <summary>
    /// The 409 for a review whose clerk saw another state than the current one: what was decided meanwhile, why, by whom and when,
    /// so that the clerk reads it before deciding again (a return silently undone would leave the town told to correct a table
    /// a closed period then refuses).
    /// </summary>
    private async Task<IResult> ReviewConflictAsync(RevisionInfo revision, ExpectedReview expected, CancellationToken ct)
    {
        var current = revision.Review;
        var by = current is null ? null : await new Submitters(keys).OfAsync(current.ReviewedByKey ?? ApiKeys.ConfiguredAdminKeyId, ct);
        static string Zh(ReviewState s) => s switch { ReviewState.Accepted => "审核通过", ReviewState.Returned => "退回", _ => "待审核" };
        static string En(ReviewState s) => s switch { ReviewState.Accepted => "accepted", ReviewState.Returned => "returned", _ => "pending (not reviewed)" };
        var state = ReviewStates.Of(current);
        // The same key in another tab, or a retry after an answer lost on the way, is not "someone else" (the configured admin key has no label).
        var self = by is not null && by.KeyId == User.KeyId();
        var table = $"{revision.ReporterId} {revision.Period} 第 {revision.Revision} 版";
        // The review this one was sent on: its state, and whether it named one review made by its time. Beside a current review
        // the one named is another (a return, say, that another clerk's return with another reason replaced): its time, shown to
        // the minute, could read as the current one's, so it is not shown.
        var decided = expected.Decision is { } d ? $"“{Zh(d)}”" : "审核";
        var decidedEn = expected.Decision is { } e ? En(e) + " review" : "review";
        var expectedZh = expected.ReviewedAt is not { } seenAt ? $"“{Zh(expected.Decision!.Value)}”"
            : current is null ? $" {AuditText.Time(seenAt)}的{decided}" : $"另一次{decided}";
        var expectedEn = expected.ReviewedAt is not { } seenAtEn ? En(expected.Decision!.Value)
            : current is null ? $"the {decidedEn} of {AuditText.TimeInEnglish(seenAtEn)}" : $"the other {decidedEn}";
        var chinese = current is null
            ? $"该表（{table}）尚未审核（待审核），而本次审核依据的是{expectedZh}，没有保存。请刷新后重新审核。"
            : $"该表（{table}）已由{(self ? "您（本密钥）" : by?.Label is { Length: > 0 } label ? $"“{label}”" : "其他人")}于 {AuditText.Time(current.ReviewedAt)}审核：{Zh(state)}" +
              $"{(current.Comment is null ? "" : $"（{(state == ReviewState.Returned ? "原因" : "意见")}：{current.Comment}）")}，" +
              $"本次审核（依据{expectedZh}）没有保存。请查看后，如仍需改变，再审核一次。";
        var english = current is null
            ? $"Revision {revision.Revision} of '{revision.ReporterId}', {revision.CatalogueId}, {revision.Period} is not reviewed yet, not {expectedEn} as this review expected; nothing was stored."
            : $"Revision {revision.Revision} of '{revision.ReporterId}', {revision.CatalogueId}, {revision.Period} was {En(state)} at {AuditText.TimeInEnglish(current.ReviewedAt)} " +
              $"by key {by!.KeyId}{(self ? " (this key)" : by.Label is { Length: > 0 } l ? $" ({l})" : "")}{(current.Comment is null ? "" : $" (\"{current.Comment}\")")}, not {expectedEn} as this review expected; " +
              "nothing was stored. Read that review, then review again if it should change.";
        return Problems.Conflict(ProblemTypes.ReviewConflict, chinese + " " + english, HttpContext, p =>
        {
            p.Extensions["currentDecision"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
            if (current is null) return;
            if (current.Comment is not null) p.Extensions["currentComment"] = current.Comment;
            p.Extensions["currentReviewedAt"] = current.ReviewedAt;
            // As reviewedBy reads elsewhere, with the clerk the key was issued to, where the office named one.
            p.Extensions["currentReviewedBy"] = by!.Label is { Length: > 0 } name
                ? new Dictionary<string, object> { ["keyId"] = by.KeyId, ["label"] = name }
                : new Dictionary<string, object> { ["keyId"] = by.KeyId };
        });
    }
}
