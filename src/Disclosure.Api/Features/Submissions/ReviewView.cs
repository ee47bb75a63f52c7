using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>
/// The district office's current review (审核) of a revision: <c>accepted</c> (已通过) or <c>returned</c> (已退回, with the reason
/// the reporter must act on). Absent where a revision has not been reviewed (待审核); a new revision always starts so.
/// </summary>
public sealed class ReviewView
{
    /// <summary><c>accepted</c>: 审核通过; <c>returned</c>: 退回, the reporter must correct the table and submit it again.</summary>
    public required ReviewDecision Decision { get; init; }

    /// <summary>The office's remark; for <c>returned</c>, always given: the reason the reporter must act on.</summary>
    public string? Comment { get; init; }

    public required DateTimeOffset ReviewedAt { get; init; }

    /// <summary>
    /// The API key that reviewed, as <c>GET /v1/keys</c> lists it (an admin key); <c>00000000-0000-0000-0000-000000000000</c> is the
    /// admin key the service is configured with (<c>Auth:AdminKey</c>).
    /// </summary>
    public required Guid ReviewedBy { get; init; }

    /// <summary>
    /// Who holds that key (its label, the clerk's name), as a <c>review-conflict</c>'s <c>currentReviewedBy</c> names it; absent
    /// where the office gave the key none (the configured admin key has none).
    /// </summary>
    public string? ReviewedByLabel { get; init; }

    /// <summary>The review as the API shows it, by the key whose label is <paramref name="label"/>; null when there is none.</summary>
    public static ReviewView? From(Disclosure.Storage.Review? review, string? label) => review is null ? null : new()
    {
        Decision = review.Decision, Comment = review.Comment, ReviewedAt = review.ReviewedAt, ReviewedBy = review.ReviewedByKey ?? Guid.Empty,
        ReviewedByLabel = label,
    };
}
