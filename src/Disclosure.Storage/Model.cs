using Disclosure.Catalogue;

namespace Disclosure.Storage;

public enum ReporterKind { Government, Department, Town }

/// <summary>
/// A registered reporter. <paramref name="RetiredFrom"/> is the first period it no longer reports (a town merged or
/// abolished, a department reorganised), as the period's text (<c>2020</c>, <c>2020Q3</c>); null while it reports. A
/// reporter is never deleted: its tables of earlier periods stay, and add up where they belong. <paramref name="Contact"/> is
/// whom the district office calls about its tables (联系人及电话), as the office wrote it; null when not known.
/// </summary>
public sealed record Reporter(string Id, string Name, ReporterKind Kind, DateTimeOffset CreatedAt, string? RetiredFrom = null, string? Contact = null)
{
    /// <summary>
    /// True when <paramref name="period"/> begins on or after the day <see cref="RetiredFrom"/> begins (see
    /// <see cref="Period.BeginsOnOrAfter"/>): retired from 2020 it reports neither 2020 nor any of its quarters; retired from
    /// 2020Q3 it still owes 2020Q1, 2020Q2 and the year 2020.
    /// </summary>
    public bool IsRetiredFor(Period period) => IsRetiredFor(RetiredFrom, period);

    /// <inheritdoc cref="IsRetiredFor(Period)"/>
    public static bool IsRetiredFor(string? retiredFrom, Period period) =>
        retiredFrom is not null && Period.TryParse(retiredFrom, out var from) && period.BeginsOnOrAfter(from);

    /// <inheritdoc cref="IsRetiredFor(Period)"/>
    public static bool IsRetiredFor(string? retiredFrom, string period) =>
        retiredFrom is not null && Period.TryParse(period, out var p) && IsRetiredFor(retiredFrom, p);

    /// <summary>
    /// A name as it is kept and compared: in Unicode normalisation form C (an accent typed as a combining mark and the
    /// precomposed letter look alike, so they are one name) without the white space around it. Two reporters never share
    /// one: the 未报 list, the 催报 notice and the exports name reporters by it.
    /// </summary>
    public static string NormaliseName(string name) => name.Normalize(System.Text.NormalizationForm.FormC).Trim();
}

/// <summary>
/// What the district office changes of a registered reporter: <paramref name="Name"/> when not null; the retirement when
/// <paramref name="SetsRetiredFrom"/>, to <paramref name="RetiredFrom"/> (null reinstates the reporter); the contact when
/// <paramref name="SetsContact"/>, to <paramref name="Contact"/> (null removes it). Id, kind and creation never change.
/// <paramref name="OpenPeriods"/>, when given, are periods that must not be closed when the change is written (checked in the
/// same transaction as the write; <see cref="UpdateStatus.PeriodClosed"/> otherwise): those whose tables a new retirement changes.
/// </summary>
public sealed record ReporterChange(string? Name = null, bool SetsRetiredFrom = false, string? RetiredFrom = null, bool SetsContact = false, string? Contact = null,
    IReadOnlyList<CataloguePeriod>? OpenPeriods = null);

/// <summary>One period of one catalogue, e.g. (<c>gov-info-disclosure-2014</c>, <c>2015Q3</c>).</summary>
public sealed record CataloguePeriod(string CatalogueId, string Period);

public enum KeyRole { Admin, Viewer, Reporter }

/// <summary>
/// An API key as stored: only the SHA-256 hash of the secret, never the secret. <c>Label</c> says who holds it or what it is
/// for (持有人或用途: 张三, 区政府网站大屏), as the office wrote it when it issued the key; null when it wrote none.
/// <c>ExpiresAt</c> is when the key stops working (有效期至), as the office set it; null for a key without an end. The store
/// keeps it; the service, which knows the time, refuses an expired key.
/// </summary>
public sealed record ApiKeyRecord(Guid Id, string Hash, KeyRole Role, string? ReporterId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Label = null,
    DateTimeOffset? ExpiresAt = null);

/// <summary>A non-blank value in the catalogue's unit. Blank cells are not stored.</summary>
public readonly record struct StoredValue(string Code, decimal Value, bool Derived);

/// <summary>
/// A submission as the store keeps it: one revision of one reporter's whole table for a period. <c>SentAt</c> is when the
/// reporter sent the table (the time on its e-mail or letter), as the district office stated it when it entered the table
/// on the reporter's behalf; null when the service received it from the reporter itself. <c>Note</c> is the reporter's
/// 填报说明 with this revision (why a figure moved, what was corrected), as it wrote it; null when it wrote none.
/// </summary>
public sealed record Submission(
    Guid Id,
    string ReporterId,
    string CatalogueId,
    string Period,
    int Revision,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<StoredValue> Values,
    IReadOnlyList<Violation> Warnings,
    Guid? SubmittedByKey,
    DateTimeOffset? SentAt = null,
    Review? Review = null,
    string? Note = null)
{
    /// <summary>The time the deadline is judged on: when the reporter sent the table, else when the service received it.</summary>
    public DateTimeOffset SentOrReceivedAt => SentAt ?? ReceivedAt;

    /// <summary>
    /// Whether <paramref name="next"/> is this table over again, as an append would find it (<see cref="AppendStatus.Unchanged"/>):
    /// the same figures, derived where they were, note, and sentAt when <paramref name="next"/> gives one.
    /// </summary>
    public bool IsSameTable(Submission next) => StoredForm.SameTable(this, StoredForm.ForStore(next));

    /// <summary>Whether <paramref name="other"/> gives the same figures, whatever their order and whichever of them were derived.</summary>
    public bool HasSameFigures(Submission other) => StoredForm.SameCells(Cells(this), Cells(other));

    private static List<StoredCell> Cells(Submission s) => [.. s.Values.Select(v => new StoredCell(v.Code, v.Value))];
}

/// <summary>
/// What a submission's revision list shows; <paramref name="SubmittedByKey"/>, <paramref name="SentAt"/> and <paramref name="Note"/>
/// are the submission's, <paramref name="Review"/> the district office's current review of it (null: not reviewed, 待审核).
/// </summary>
public sealed record RevisionInfo(Guid Id, string ReporterId, string CatalogueId, string Period, int Revision, DateTimeOffset ReceivedAt, Guid? SubmittedByKey,
    DateTimeOffset? SentAt = null, Review? Review = null, string? Note = null)
{
    /// <summary>The time the deadline is judged on: when the reporter sent the table, else when the service received it.</summary>
    public DateTimeOffset SentOrReceivedAt => SentAt ?? ReceivedAt;
}

public enum ReviewDecision
{
    /// <summary>审核通过: the office accepts the table as it stands.</summary>
    Accepted,
    /// <summary>退回: the reporter must correct the table; <see cref="Review.Comment"/> says why.</summary>
    Returned,
}

/// <summary>
/// The district office's review (审核) of one revision. A revision has at most one: a later review of the same revision replaces
/// it. <paramref name="ReviewedAt"/> is UTC to the millisecond, and later than the review it replaced (it names the review to
/// <see cref="ExpectedReview"/>); <paramref name="ReviewedByKey"/> the key that reviewed.
/// </summary>
public sealed record Review(ReviewDecision Decision, string? Comment, DateTimeOffset ReviewedAt, Guid? ReviewedByKey);

/// <summary>
/// A revision's review as a reviewer saw it when deciding (待审核, 已通过, 已退回): the precondition of a review that replaces it,
/// so that two clerks reviewing one table do not silently overwrite each other.
/// </summary>
public enum ReviewState
{
    /// <summary>待审核: no review yet.</summary>
    Pending,
    /// <summary>已通过: the current review is <see cref="ReviewDecision.Accepted"/>.</summary>
    Accepted,
    /// <summary>已退回: the current review is <see cref="ReviewDecision.Returned"/>.</summary>
    Returned,
}

public static class ReviewStates
{
    /// <summary>The state <paramref name="review"/> leaves its revision in: pending when there is none.</summary>
    public static ReviewState Of(Review? review) => review?.Decision switch
    {
        null => ReviewState.Pending,
        ReviewDecision.Accepted => ReviewState.Accepted,
        ReviewDecision.Returned => ReviewState.Returned,
        _ => throw new ArgumentOutOfRangeException(nameof(review), review.Decision, "Unknown review decision."),
    };
}

/// <summary>
/// The review a reviewer saw when deciding, the precondition of the review that replaces it: its state (<paramref name="Decision"/>)
/// and, for a review made, when it was made (<paramref name="ReviewedAt"/>, as stored: UTC to the millisecond), which tells one
/// return from another return made since with another reason. Either may be null, which checks nothing of it.
/// </summary>
public sealed record ExpectedReview(ReviewState? Decision, DateTimeOffset? ReviewedAt = null)
{
    /// <summary>
    /// Whether <paramref name="current"/> is the review expected. Times are compared as instants (whatever their offset) to the
    /// millisecond a review's time is stored and shown at: a finer one names the review of its millisecond, any other another review.
    /// </summary>
    public bool IsMetBy(Review? current) =>
        (Decision is not { } state || ReviewStates.Of(current) == state)
        && (ReviewedAt is not { } at || (current is not null && current.ReviewedAt == StoredTime.Of(at)));
}

public enum ReviewStatus
{
    /// <summary>Stored durably as the revision's current review.</summary>
    Stored,
    /// <summary>There is no submission with this id; nothing stored.</summary>
    NotFound,
    /// <summary>A later revision of the same reporter, catalogue and period exists (<see cref="ReviewResult.Latest"/>); nothing stored.</summary>
    NotLatest,
    /// <summary>
    /// The revision's current review is not the one the review expected (another reviewer decided meanwhile):
    /// <see cref="ReviewResult.Revision"/> carries the current review; nothing stored.
    /// </summary>
    ReviewChanged,
}

/// <summary>
/// What a review came to: the revision reviewed (with the stored review when <see cref="ReviewStatus.Stored"/>, the current
/// one when <see cref="ReviewStatus.ReviewChanged"/>), and the
/// latest revision of its reporter, catalogue and period (null when not found).
/// </summary>
public sealed record ReviewResult(ReviewStatus Status, RevisionInfo? Revision, RevisionInfo? Latest);

/// <summary>A client's retry token: <paramref name="Scope"/> is who sent it (the key id), <paramref name="RequestHash"/> what it sent.</summary>
public sealed record IdempotencyToken(string Scope, string Key, string RequestHash);

/// <summary>
/// A submission stored with an idempotency key, and whether the token asked about is the same request (its
/// <see cref="IdempotencyToken.RequestHash"/>): an append with the token is then <see cref="AppendStatus.Replayed"/> with this
/// submission, else <see cref="AppendStatus.IdempotencyMismatch"/>.
/// </summary>
/// <paramref name="Unchanged"/>: the key's request stored nothing, its table being this revision over again; a retry is then
/// <see cref="AppendStatus.ReplayedUnchanged"/>.
public sealed record IdempotentSubmission(Submission Submission, bool SameRequest, bool Unchanged = false);

public enum AppendStatus
{
    /// <summary>Stored durably as the next revision.</summary>
    Created,
    /// <summary>The same idempotency key and body were seen before: <see cref="AppendResult.Submission"/> is the first one.</summary>
    Replayed,
    /// <summary>The idempotency key was used before with a different body; nothing stored.</summary>
    IdempotencyMismatch,
    /// <summary>The expected revision is not the current one; nothing stored.</summary>
    RevisionConflict,
    /// <summary>
    /// The period is closed for this catalogue, or it is a quarter of a closed year and the reporter has no table of the
    /// year (its year is added up from its quarters), and the office has not returned the reporter's latest revision of it
    /// (退回), which would let its correction in, and the table is not the current revision over again (<see cref="Unchanged"/>,
    /// which a closed period answers too, since it changes nothing); nothing stored.
    /// </summary>
    PeriodClosed,
    /// <summary>The reporter is retired for this period (<see cref="Reporter.IsRetiredFor(Period)"/>); nothing stored.</summary>
    ReporterRetired,
    /// <summary>
    /// The table is the current revision over again — every figure, which of them were derived, the note and, when given,
    /// <c>SentAt</c> — and that revision was not returned (退回), whether the period is open or closed; no revision stored, <see cref="AppendResult.Submission"/> is the
    /// current revision. An idempotency key sent with it is kept with that revision (<see cref="ReplayedUnchanged"/>).
    /// </summary>
    Unchanged,
    /// <summary>
    /// The same idempotency key and body were answered <see cref="Unchanged"/> before: <see cref="AppendResult.Submission"/> is
    /// the revision they were found to be then, whatever is current now; nothing stored.
    /// </summary>
    ReplayedUnchanged,
}

/// <summary>
/// What an append came to. <paramref name="ThroughReturn"/>: <see cref="AppendStatus.Created"/> in a period closed to the
/// reporter's table, let in because the office had returned its latest revision (退回) — the closed period's table changed,
/// which the office's log records. <paramref name="ReopenedFirstClosedAt"/>: on <see cref="AppendStatus.Created"/>, when the period
/// was first closed (published) if the office has reopened it since, or else, for a quarter, when its year was, the year being
/// reopened — the published table a reopening let this one into, which the log records too; null otherwise. (Both false and null
/// on a MongoDB append whose commit was cut off and then found: they were not seen.)
/// </summary>
public sealed record AppendResult(AppendStatus Status, Submission? Submission, int CurrentRevision, bool ThroughReturn = false,
    DateTimeOffset? ReopenedFirstClosedAt = null);

/// <summary>Settings of one catalogue period, set by the district office.</summary>
public sealed record PeriodSettings(
    string CatalogueId,
    string Period,
    bool Closed,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? Deadline,
    IReadOnlyList<string>? ExpectedReporters)
{
    public static PeriodSettings Open(string catalogueId, string period) => new(catalogueId, period, false, null, null, null);

    /// <summary>
    /// Of a closed period, every registered reporter's name by its id as it was when the period was closed: a closed period is
    /// what went into a published report, and prints the names it was published with, whatever a reporter is called since.
    /// The store records them (<see cref="IPeriodStore.SavePeriodAsync"/>); null while the period is open.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ReporterNames { get; init; }

    /// <summary>
    /// When the period was first closed, which published its table: the store records it at the first close and keeps it through
    /// reopenings and later closes (whatever a save gives); null while it was never closed. A reopened period is one that has it
    /// and is open.
    /// </summary>
    public DateTimeOffset? FirstClosedAt { get; init; }

    /// <summary>
    /// The version of the settings as stored: it moves on every save of them (<see cref="IPeriodStore.SavePeriodAsync"/>: a deadline or
    /// list set, a close, a reopening) and on nothing else, not on a table submitted for the period; 0 while none were stored. Two
    /// reads with the same version read the same settings, which is what a write conditional on it (the period's ETag) relies on.
    /// </summary>
    public int Version { get; init; }

    /// <summary>
    /// Whether <paramref name="wanted"/>, a save of these settings, would store nothing new over them: the same closed flag and time,
    /// deadline (each to the millisecond, as stored) and list of expected reporters (none and an empty list told apart), and, where
    /// a save of a closed period gives them, the same reporters' names (an open period keeps none, whatever a save gives). The versions are not compared: this is how a save retried on the version its
    /// lost answer replaced is known to hold (<see cref="IPeriodStore.SavePeriodAsync"/>).
    /// </summary>
    public bool Holds(PeriodSettings wanted) =>
        Closed == wanted.Closed && Millis(ClosedAt) == Millis(wanted.ClosedAt) && Millis(Deadline) == Millis(wanted.Deadline)
        && (ExpectedReporters is null) == (wanted.ExpectedReporters is null)
        && (ExpectedReporters ?? []).SequenceEqual(wanted.ExpectedReporters ?? [], StringComparer.Ordinal)
        && (!wanted.Closed || wanted.ReporterNames is null || (ReporterNames is { } names && names.Count == wanted.ReporterNames.Count
            && wanted.ReporterNames.All(n => names.TryGetValue(n.Key, out var name) && string.Equals(name, n.Value, StringComparison.Ordinal))));

    /// <summary>Whether these stored settings hold <paramref name="wanted"/> as <paramref name="holding"/> says holding is.</summary>
    public bool Holds(PeriodSettings wanted, Holding holding) => holding == Holding.SameClosed ? Closed == wanted.Closed : Holds(wanted);

    private static long? Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    /// <summary>
    /// <paramref name="registered"/> with each one's name as this period prints it: as it was when the period was closed
    /// (<see cref="ReporterNames"/>), or its name now where the period is open or the reporter was registered since.
    /// </summary>
    public IReadOnlyList<Reporter> NamesOf(IReadOnlyList<Reporter> registered) => Closed && ReporterNames is { } names
        ? [.. registered.Select(r => names.TryGetValue(r.Id, out var name) ? r with { Name = name } : r)]
        : registered;
}

/// <summary>
/// What a save of a period's settings on a version did (<see cref="IPeriodStore.SavePeriodAsync"/>): wrote <see cref="Version"/>,
/// or, refused for its version, found settings stored that already held what it was for (<see cref="Held"/>, of that version),
/// and wrote nothing.
/// </summary>
public sealed record PeriodSave(int Version, PeriodSettings? Held = null);

/// <summary>What settings already stored must be to hold a save refused for its version (<see cref="IPeriodStore.SavePeriodAsync"/>).</summary>
public enum Holding
{
    /// <summary>The settings sent, whole (<see cref="PeriodSettings.Holds(PeriodSettings)"/>): a save sent again.</summary>
    SameSettings,
    /// <summary>
    /// Closed, or open, as the settings sent are, whoever closed or reopened the period and when: a close or reopening sent again,
    /// or made by another clerk at the same moment.
    /// </summary>
    SameClosed,
}

/// <summary>
/// What to add up. For a yearly <see cref="Period"/>, <see cref="QuarterPeriods"/> lists its quarters: a
/// reporter with no submission for the year contributes the year derived from its quarterly submissions
/// (flow codes summed, codes in <see cref="StockCodes"/> from the latest quarter that gave a value to their group
/// (<see cref="Groups"/>), codes in <see cref="OpeningCodes"/> from the earliest: <see cref="Rollup.YearFromQuarterCells"/>).
/// </summary>
public sealed record AggregateQuery(
    string CatalogueId,
    string Period,
    IReadOnlyList<string> QuarterPeriods,
    IReadOnlySet<string> StockCodes,
    IReadOnlyList<string>? Reporters = null,
    ReporterKind? Kind = null)
{
    /// <summary>Balances carried in (such as 二、上年结转): a year from quarters takes the earliest quarter that gave a value.</summary>
    public IReadOnlySet<string> OpeningCodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Stock and opening codes by the code naming their group (<see cref="Catalogue.Catalogue.OverTimeGroups"/>): a year takes a
    /// group's figures from one quarter, so that its sums hold. A code not listed is a group of its own.
    /// </summary>
    public IReadOnlyDictionary<string, string> Groups { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Reporters' contributions as both stores make them from the tables they draw on.</summary>
public static class Contributions
{
    /// <summary>
    /// Each contribution of <paramref name="heads"/> — one table of each reporter for the query's period and its quarters, with its
    /// cells — with the values it contributes: its own table's, or the year its quarters give.
    /// </summary>
    public static IReadOnlyList<ContributedTable> Of(AggregateQuery query, IReadOnlyList<(ReporterKind Kind, RevisionInfo Head, IReadOnlyList<StoredCell> Cells)> heads) =>
        StoredForm.ContributedTables(query, heads);
}

/// <summary>The sum of one code over the reporters of one kind that gave it, and how many did.</summary>
public sealed record AggregateCell(string Code, ReporterKind Kind, decimal Sum, int Reporters);

/// <summary>Which submissions a reporter contributed: its yearly (or quarterly) submission, or the quarters a year was derived from.</summary>
public sealed record Contribution(string ReporterId, ReporterKind Kind, IReadOnlyList<RevisionInfo> Submissions, bool FromQuarters);

public sealed record AggregateResult(IReadOnlyList<AggregateCell> Cells, IReadOnlyList<Contribution> Contributions);

/// <summary>One reporter's share of an aggregate: whose table, from which submissions, and its non-blank values (blank cells are absent).</summary>
public sealed record ContributedTable(Contribution Contribution, IReadOnlyList<StoredCell> Cells);

public enum CreateStatus
{
    Created,
    /// <summary>A reporter with this id is registered; nothing stored.</summary>
    Duplicate,
    /// <summary>Another reporter has this name (<see cref="Reporter.NormaliseName"/>), retired or not; nothing stored.</summary>
    NameTaken,
}

/// <summary>What a registration came to: with <see cref="CreateStatus.NameTaken"/>, the reporter that has the name (null only if it was renamed meanwhile).</summary>
public sealed record CreateResult(CreateStatus Status, Reporter? NameHeldBy = null);

public enum UpdateStatus
{
    Updated,
    /// <summary>No reporter has this id; nothing stored.</summary>
    NotFound,
    /// <summary>The new name is another reporter's (<see cref="Reporter.NormaliseName"/>), retired or not; nothing stored.</summary>
    NameTaken,
    /// <summary>One or more of the change's <see cref="ReporterChange.OpenPeriods"/> is closed; nothing stored.</summary>
    PeriodClosed,
}

/// <summary>
/// What a change of a reporter came to: with <see cref="UpdateStatus.Updated"/>, the reporter as stored after it; with
/// <see cref="UpdateStatus.NameTaken"/>, the reporter that has the name (null only if it was renamed meanwhile); with
/// <see cref="UpdateStatus.PeriodClosed"/>, those of the change's <see cref="ReporterChange.OpenPeriods"/> that are closed.
/// </summary>
public sealed record UpdateResult(UpdateStatus Status, Reporter? Reporter, Reporter? NameHeldBy = null, IReadOnlyList<CataloguePeriod>? Closed = null);

/// <summary>A catalogue document as loaded (the JSON of a catalogue file), kept as the text that was accepted.</summary>
public sealed record StoredCatalogue(string Id, string Document, DateTimeOffset SavedAt);

public enum CatalogueSaveStatus { Created, Unchanged, Conflict }

/// <summary>
/// 操作日志: one request made with a key that changed something, or tried to (its answer in <paramref name="Status"/>), that
/// was refused for its key (403, or 401 for an expired key), or that signed in (<c>GET /v1/me</c>); or the refusal after which an
/// address's keys are refused unread for too many wrong ones, which has no key (<paramref name="KeyId"/> and <paramref name="Role"/>
/// null). <paramref name="Id"/> is a version 7 uuid made from <paramref name="At"/>, so the log reads
/// in the order of the ids. Who: the key's id, role, reporter (a reporter key's) and holder (its label). What:
/// <paramref name="Method"/>, <paramref name="Path"/>, <paramref name="Route"/> (the endpoint's pattern) and
/// <paramref name="Detail"/> (what the change did, where the path does not say it). From where: <paramref name="RemoteIp"/>.
/// </summary>
public sealed record AuditEntry(
    Guid Id,
    DateTimeOffset At,
    string Method,
    string Path,
    string? Route,
    int Status,
    Guid? KeyId,
    KeyRole? Role,
    string? ReporterId,
    string? Holder,
    string? RemoteIp,
    string? Detail);

/// <summary>
/// A page of the audit log, newest first: entries from <paramref name="From"/> (inclusive) to <paramref name="To"/>
/// (exclusive) when given, older than the entry <paramref name="Before"/> when given, made with the key
/// <paramref name="KeyId"/> when given, whose <see cref="AuditEntry.ReporterId"/> is <paramref name="ReporterId"/> when given,
/// and of the <paramref name="Action"/> when given; at most <paramref name="Limit"/>.
/// </summary>
public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, Guid? Before, int Limit, Guid? KeyId = null, string? ReporterId = null, AuditAction? Action = null);

/// <summary>What an audit entry did: its <see cref="AuditEntry.Method"/> and <see cref="AuditEntry.Route"/> (<c>PATCH</c>, <c>v1/reporters/{id}</c>).</summary>
public sealed record AuditAction(string Method, string Route);
