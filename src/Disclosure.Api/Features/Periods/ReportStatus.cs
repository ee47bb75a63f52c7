using Disclosure.Storage;

namespace Disclosure.Api.Features.Periods;

/// <summary>
/// Where a reporter's table of a period stands against the period's deadline. A revision counts from when the service
/// received it, or, for one the district office entered on the reporter's behalf with <c>sentAt</c>, from when the reporter
/// sent it: a town that e-mailed its table in time is not late because the office keyed it in after the deadline.
/// </summary>
public enum ReportStatus
{
    /// <summary>No revision yet.</summary>
    NotSubmitted,
    /// <summary>Every revision by the deadline, or the period has no deadline.</summary>
    OnTime,
    /// <summary>No revision by the deadline.</summary>
    Late,
    /// <summary>A revision by the deadline and another after it: a table sent in time and corrected after the deadline.</summary>
    RevisedLate,
}

public static class ReportStatuses
{
    /// <summary>
    /// The status of one table from its latest revision. The others are read only when they could change it: each earlier
    /// revision was received before the latest and sent no later than it was received, so when the latest was received by
    /// the deadline, so were they all. A latest one after the deadline, or one the office dated back with <c>sentAt</c> (which
    /// must not hide a revision after the deadline), is judged with all of them.
    /// </summary>
    public static async Task<ReportStatus> OfAsync(RevisionInfo? latest, DateTimeOffset? deadline, ISubmissionStore store, CancellationToken ct)
    {
        if (latest is null || deadline is not { } d || latest.Revision == 1 || (latest.SentAt is null && latest.ReceivedAt <= d))
            return Of(latest is null ? [] : [latest], deadline);
        var revisions = await store.ListRevisionsAsync(latest.ReporterId, latest.CatalogueId, latest.Period, ct);
        return Of(revisions.Count > 0 ? revisions : [latest], deadline);
    }

    /// <summary>The status from every revision of a table (none: not submitted), each judged on when it was sent or received.</summary>
    public static ReportStatus Of(IReadOnlyList<RevisionInfo> revisions, DateTimeOffset? deadline) =>
        revisions.Count == 0 ? ReportStatus.NotSubmitted
        : deadline is not { } d || revisions.All(r => r.SentOrReceivedAt <= d) ? ReportStatus.OnTime
        : revisions.Any(r => r.SentOrReceivedAt <= d) ? ReportStatus.RevisedLate
        : ReportStatus.Late;

    /// <summary>
    /// 逾期: a revision of the table came after the deadline (sent after it, for one the office entered with <c>sentAt</c>), that
    /// is <see cref="ReportStatus.Late"/> or <see cref="ReportStatus.RevisedLate"/>. Not <see cref="ReportStatus.NotSubmitted"/>:
    /// a year whose quarterly tables are still to come is judged once they are all in, as its status is.
    /// </summary>
    public static bool IsLate(ReportStatus status) => status is ReportStatus.Late or ReportStatus.RevisedLate;

    /// <summary>A year derived from quarters is as late as its latest quarter: late before revised late before on time.</summary>
    public static ReportStatus Worst(IEnumerable<ReportStatus> statuses) =>
        statuses.Aggregate(ReportStatus.OnTime, (a, b) => Rank(b) > Rank(a) ? b : a);

    private static int Rank(ReportStatus s) => s switch { ReportStatus.Late => 3, ReportStatus.RevisedLate => 2, ReportStatus.OnTime => 1, _ => 0 };
}
