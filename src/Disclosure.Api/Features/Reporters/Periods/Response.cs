using Disclosure.Api.Features.Periods;

namespace Disclosure.Api.Features.Reporters.Periods;

sealed class Response
{
    public required string Reporter { get; init; }
    /// <summary>Every period of every catalogue whose settings expect this reporter (an expected list naming it, or a deadline or closing with no list; never a period it is retired for) or that this reporter submitted to; by catalogue, newest period first.</summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        public required string Catalogue { get; init; }
        public required string Title { get; init; }
        public required string Period { get; init; }
        public DateTimeOffset? Deadline { get; init; }
        /// <summary>
        /// Closed to this reporter's table: closed by the district office; a quarter also while its year is closed and the reporter
        /// has no table of the year, since its year is then added up from its quarters (a submission is 409 <c>period-closed</c>
        /// naming the year). False while the office has returned the latest revision (its <c>review</c> is <c>returned</c>, 退回): the
        /// reporter may submit one correction, which closes the table to it again; unless the reporter is retired for the period.
        /// </summary>
        public required bool Closed { get; init; }
        /// <summary>
        /// The period itself is closed by the district office, whatever its review of this reporter's table: true also while a
        /// returned table (its <c>review</c> is <c>returned</c>; <c>closed</c> is false) takes its one correction, which closes
        /// the table to the reporter again. A quarter that only its closed year closes to the reporter is not closed itself: its year's item says so.
        /// </summary>
        public required bool PeriodClosed { get; init; }
        /// <summary>When the district office closed the period; absent while it is open.</summary>
        public DateTimeOffset? PeriodClosedAt { get; init; }
        /// <summary>The latest revision, 0 when nothing was submitted.</summary>
        public required int Revision { get; init; }
        /// <summary>When the latest revision arrived.</summary>
        public DateTimeOffset? ReceivedAt { get; init; }
        /// <summary>
        /// When the reporter sent the latest revision, as the district office stated it when it entered the table on the
        /// reporter's behalf; the status is judged on it instead of <c>receivedAt</c>. Absent otherwise.
        /// </summary>
        public DateTimeOffset? SentAt { get; init; }
        /// <summary>The latest revision's id, for <c>GET /v1/submissions/{id}</c>.</summary>
        public Guid? Submission { get; init; }
        /// <summary>Who submitted the latest revision: the reporter's own key, or the district office on its behalf.</summary>
        public Submissions.SubmitterView? SubmittedBy { get; init; }
        /// <summary>The district office's review of the latest revision: <c>returned</c> with the reason to act on, or <c>accepted</c>; absent while not reviewed (待审核) or nothing was submitted.</summary>
        public Submissions.ReviewView? Review { get; init; }
        /// <summary>
        /// For a year without a table of its own: the reporter's quarterly tables of that year, which its year in the district
        /// table is added up from (据季报). With every quarter it owes (<c>quartersToCome</c> absent) the year is reported, its
        /// status the worst of theirs against the year's deadline; otherwise it is not yet (季报未报齐, <c>notSubmitted</c>).
        /// Absent otherwise.
        /// </summary>
        public IReadOnlyList<string>? Quarters { get; init; }
        /// <summary>With <c>quarters</c>: those of the year's quarters the reporter owes (is not retired for, nor registered after it was closed) and has not sent; absent when none.</summary>
        public IReadOnlyList<string>? QuartersToCome { get; init; }
        public required ReportStatus Status { get; init; }
    }
}
