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
    /// <summary>The first revision arrived after the deadline.</summary>
    Late,
    /// <summary>The first revision arrived by the deadline, a later one after it.</summary>
    RevisedLate,
}

public static class ReportStatuses
{
    /// <summary>
    /// The status of one table from its latest revision; the first revision's time is asked for only when the latest
    /// came after the deadline and is not the first, so the common case costs no read.
    /// </summary>
    public static async Task<ReportStatus> OfAsync(RevisionInfo? latest, DateTimeOffset? deadline, ISubmissionStore store, CancellationToken ct)
    {
        if (latest is null || deadline is not { } d || latest.SentOrReceivedAt <= d || latest.Revision == 1) return Of(latest, latest, deadline);
        var revisions = await store.ListRevisionsAsync(latest.ReporterId, latest.CatalogueId, latest.Period, ct);
        return Of(revisions.Count > 0 ? revisions[0] : latest, latest, deadline);
    }

    /// <summary>The status from the first and the latest revision (both null when there is none).</summary>
    public static ReportStatus Of(RevisionInfo? first, RevisionInfo? latest, DateTimeOffset? deadline) =>
        latest is null ? ReportStatus.NotSubmitted
        : deadline is not { } d || latest.SentOrReceivedAt <= d ? ReportStatus.OnTime
        : first is not null && first.SentOrReceivedAt <= d ? ReportStatus.RevisedLate
        : ReportStatus.Late;

    /// <summary>A year derived from quarters is as late as its latest quarter: late before revised late before on time.</summary>
    public static ReportStatus Worst(IEnumerable<ReportStatus> statuses) =>
        statuses.Aggregate(ReportStatus.OnTime, (a, b) => Rank(b) > Rank(a) ? b : a);

    private static int Rank(ReportStatus s) => s switch { ReportStatus.Late => 3, ReportStatus.RevisedLate => 2, ReportStatus.OnTime => 1, _ => 0 };
}
