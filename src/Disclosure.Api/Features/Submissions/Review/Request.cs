using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Submissions.Review;

// The body only: the submission's id is read from the route by the endpoint, so that a body cannot name another one.
sealed class Request
{
    /// <summary><c>accepted</c> (审核通过) or <c>returned</c> (退回: the reporter must correct the table and submit it again).</summary>
    public ReviewDecision? Decision { get; set; }

    /// <summary>
    /// Required for <c>returned</c>: the reason the reporter must act on (which figures, what is wrong). Optional for <c>accepted</c>.
    /// Up to 1 000 characters, line breaks allowed, no other control characters nor invisible format characters; kept trimmed.
    /// </summary>
    public string? Comment { get; set; }

    /// <summary>
    /// The review as the reviewer saw it when deciding: <c>pending</c> (待审核, not reviewed yet), <c>accepted</c> (已通过) or
    /// <c>returned</c> (已退回). If the current review is no longer in that state — another clerk decided meanwhile — the review is
    /// refused with 409 <c>review-conflict</c>, which says the current decision, its reason, who made it and when, and nothing is
    /// stored. Absent: no check, the review replaces whatever is current.
    /// </summary>
    public ReviewState? ExpectedDecision { get; set; }

    /// <summary>
    /// When the review the reviewer saw was made: its <c>reviewedAt</c> as read (or the <c>currentReviewedAt</c> of a 409), with its
    /// offset. It tells that review from one made since with the same decision — another clerk's return with another reason — which
    /// <c>expectedDecision</c> alone does not: if the current review is not the one made at this time, to the millisecond, the review is
    /// refused with 409 <c>review-conflict</c> and nothing is stored. Absent: no check of the time. Not with <c>expectedDecision</c>
    /// <c>pending</c>, which has no review.
    /// </summary>
    public DateTimeOffset? ExpectedReviewedAt { get; set; }

    /// <summary>The review the reviewer saw, as the store checks it; null when the request names none.</summary>
    internal ExpectedReview? Expected() => ExpectedDecision is null && ExpectedReviewedAt is null ? null : new(ExpectedDecision, ExpectedReviewedAt);

    public const int MaxComment = 1000;

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Decision).NotNull()
                .WithMessage("须填写审核结论（decision）：accepted（审核通过）或 returned（退回）。decision is required: accepted or returned.")
                .IsInEnum();
            RuleFor(r => r.ExpectedDecision).IsInEnum();
            RuleFor(r => r.ExpectedReviewedAt).Null().When(r => r.ExpectedDecision == ReviewState.Pending)
                .WithMessage("待审核（expectedDecision 为 pending）的表尚无审核，不能同时填写审核时间（expectedReviewedAt）。" +
                "expectedReviewedAt names a review made, and expectedDecision pending says there was none: send one of them.");
            RuleFor(r => r.Comment)
                .Must(c => !string.IsNullOrWhiteSpace(c)).When(r => r.Decision == ReviewDecision.Returned)
                .WithMessage("退回须填写原因（comment）：请写明填报单位要改正什么（哪些数字、错在哪里）。comment is required to return a table: the reason the reporter must act on.");
            RuleFor(r => r.Comment).ParagraphOrNull(MaxComment)
                .WithMessage("审核意见（comment）可以分行，但不能含其他控制字符或不可见的格式字符（如从右向左覆盖符 U+202E），请删去后重新填写。" +
                "comment may hold line breaks but no other control characters, nor invisible format characters (such as the right-to-left override U+202E).");
        }
    }
}
