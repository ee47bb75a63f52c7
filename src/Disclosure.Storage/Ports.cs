namespace Disclosure.Storage;

// The storage port: what the API needs from a store, in domain types. Two adapters implement it
// (Sqlite/ and Mongo/) and one contract suite (tests/Disclosure.Storage.Tests) holds them to it.
// Both keep every time in UTC to the millisecond (BSON dates do), so what is read back is what either returns.

public interface IStoreLifecycle
{
    /// <summary>Creates tables, collections and indexes. Awaited once at start-up; idempotent.</summary>
    Task InitialiseAsync(CancellationToken ct);

    /// <summary>True when the store answers now (used by /health/ready).</summary>
    Task<bool> PingAsync(CancellationToken ct);
}

/// <summary>What a store's start changed that the district office should hear of; read once <see cref="IStoreLifecycle.InitialiseAsync"/> has run.</summary>
public interface IStoreStartReport
{
    /// <summary>
    /// Which store this is and where, in one line for the log, never with a password: a SQLite file's full path, whether this
    /// start created it, and its schema version; MongoDB's hosts, replica set and database, and its schema version.
    /// </summary>
    string Opened { get; }

    /// <summary>
    /// The reporters renamed because a build before unique names let them share one with another (<c>名称（id）</c>), as this start
    /// renamed them; empty when it renamed none.
    /// </summary>
    IReadOnlyList<ReporterRename> RenamedReporters { get; }

    /// <summary>What the operator should mend that does not stop the store, one sentence each for a warning: a file other users may read.</summary>
    IReadOnlyList<string> Cautions { get; }
}

/// <summary>A reporter renamed by the store's start: its id, the name it had and the name it has now.</summary>
public sealed record ReporterRename(string Id, string OldName, string NewName);

/// <summary>
/// A value that is different after every commit of a table, a review, a period's settings or a reporter — by this process
/// or any other — so that a reader may reuse what it computed from an earlier read while the value is unchanged. Keys and
/// catalogues need not move it (the embedded store's does, the MongoDB store's does not): nothing computed is read from a
/// key, and a stored catalogue never changes (a changed one is a new id).
/// </summary>
public interface IStoreVersion
{
    /// <summary>The current version, read after every commit acknowledged so far; null when nothing may be reused.</summary>
    ValueTask<long?> GetVersionAsync(CancellationToken ct);
}

public interface IReporterStore
{
    /// <summary>
    /// Registers <paramref name="reporter"/> with its name normalised (<see cref="Reporter.NormaliseName"/>), unless its id is
    /// registered (<see cref="CreateStatus.Duplicate"/>, checked first, so that a retry reads as registered) or another reporter,
    /// retired or not, has that name (<see cref="CreateStatus.NameTaken"/>). Both hold under concurrent writes, as the
    /// store's unique indexes on the id and on the name keep them.
    /// </summary>
    Task<CreateResult> CreateReporterAsync(Reporter reporter, CancellationToken ct);
    Task<Reporter?> GetReporterAsync(string id, CancellationToken ct);
    /// <summary>Every reporter, ordered by id.</summary>
    Task<IReadOnlyList<Reporter>> ListReportersAsync(CancellationToken ct);
    /// <summary>
    /// Applies <paramref name="change"/> in one write — a new name, a retirement from a period or a reinstatement (a null
    /// <see cref="ReporterChange.RetiredFrom"/>), a contact — and nothing else: the kind is copied into every stored revision and into
    /// the district's totals by kind, so it never changes. Moves the store's version, since exports print names and a
    /// retirement changes who each period expects. A new name is normalised (<see cref="Reporter.NormaliseName"/>) and may not
    /// be another reporter's, retired or not (<see cref="UpdateStatus.NameTaken"/>, and nothing changes), as the store's
    /// unique index on the name keeps it under concurrent writes. None of the change's <see cref="ReporterChange.OpenPeriods"/> may
    /// be closed (<see cref="UpdateStatus.PeriodClosed"/>, naming those that are, and nothing changes), checked in the same
    /// transaction as the write, so that a close committed meanwhile either comes first and refuses it, or comes after it.
    /// The refusals are checked in that order, an unknown id (<see cref="UpdateStatus.NotFound"/>) before them all, and none writes anything.
    /// </summary>
    Task<UpdateResult> UpdateReporterAsync(string id, ReporterChange change, CancellationToken ct);
}

public interface IKeyStore
{
    Task CreateKeyAsync(ApiKeyRecord key, CancellationToken ct);
    /// <summary>The active key with this hash; null when there is none or it was revoked, so a revoked key can never authenticate.</summary>
    Task<ApiKeyRecord?> FindKeyByHashAsync(string hash, CancellationToken ct);
    /// <summary>
    /// The key with this hash that was issued and then revoked; null when there is none. Asked only of a key
    /// <see cref="FindKeyByHashAsync"/> did not find, so that its refusal names the key (and its holder is told it was revoked
    /// rather than to wait, from an address over the failed-key limit).
    /// </summary>
    Task<ApiKeyRecord?> FindRevokedKeyAsync(string hash, CancellationToken ct);
    /// <summary>Every key, revoked ones included (with <see cref="ApiKeyRecord.RevokedAt"/> set), oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct);
    /// <summary>The key with this id, revoked or not; null when there is none.</summary>
    Task<ApiKeyRecord?> GetKeyAsync(Guid id, CancellationToken ct);
    /// <summary>False when there is no such key (or it was revoked already).</summary>
    Task<bool> RevokeKeyAsync(Guid id, DateTimeOffset at, CancellationToken ct);
}

public interface ISubmissionStore
{
    /// <summary>
    /// Appends <paramref name="submission"/> as revision current+1 of its reporter, catalogue and period —
    /// its <c>Revision</c> is ignored and assigned here — and returns only once the write is durable.
    /// Concurrent appends to one reporter and period are serialised: revisions run 1, 2, 3… without gap
    /// or duplicate. The reporter's retirement, the period's closed flag (for a quarter, its year's too while the reporter has
    /// no table of the year: its year is added up from its quarters, and a closed year's table must not change), the expected revision and the idempotency
    /// token are checked in the same transaction as the write. A table that is the current revision over again is answered
    /// <see cref="AppendStatus.Unchanged"/> on what holds when that answer commits: a review, a close or another append committed
    /// meanwhile comes before it (a table just returned is then stored) or after it, and one key has one outcome whichever each came to. A closed period still takes the table when the reporter's latest
    /// revision of it has the review <see cref="ReviewDecision.Returned"/> (退回): the office unlocks that one table for its
    /// correction, which starts unreviewed and so locks it again. The idempotency token is checked first (a retry of a stored
    /// submission replays it even after the period closed or the reporter retired), then the retirement, then whether the table is
    /// the current revision over again (<see cref="AppendStatus.Unchanged"/>, in a closed period too: it changes nothing there), and
    /// only then the closed period. The returned submission is what was stored: values
    /// normalised (no trailing zeros), <c>ReceivedAt</c> in UTC to the millisecond. Values must have at most six decimals and the reporter must exist — the catalogue engine
    /// and the registry check both before, so a breach throws rather than returning an outcome.
    /// Cancelled through <paramref name="ct"/>, an append either stops, throws <see cref="OperationCanceledException"/> and has stored
    /// nothing (its idempotency key unused), or completes and answers as if it had not been cancelled; one whose commit's outcome
    /// cannot be learnt (MongoDB) throws <see cref="StoreFaultException"/> saying it may be stored. So "cancelled" means "not stored".
    /// </summary>
    Task<AppendResult> AppendAsync(Submission submission, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct);

    /// <summary>
    /// What <see cref="AppendAsync"/> checks first, read without writing: the submission stored under <paramref name="idempotency"/>'s
    /// scope and key, and whether it was stored for the same request; null when the key was not used. The dry run's: an append
    /// with this token replays that submission (or refuses another request under its key) before it checks anything else.
    /// </summary>
    Task<IdempotentSubmission?> FindIdempotentAsync(IdempotencyToken idempotency, CancellationToken ct);

    Task<Submission?> GetSubmissionAsync(Guid id, CancellationToken ct);

    /// <summary>
    /// The stored tables of <paramref name="ids"/> in one read (a district's hundreds of columns), by id: an id given twice is
    /// read once, and one of no stored table is absent.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, Submission>> GetSubmissionsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>
    /// Stores <paramref name="review"/> as the current review of submission <paramref name="submissionId"/>, replacing an
    /// earlier one, and returns only once it is durable; moves the store's version. In one transaction with the write it
    /// checks that the submission is the latest revision of its reporter, catalogue and period
    /// (<see cref="ReviewStatus.NotLatest"/>). A closed period takes either decision: <see cref="ReviewDecision.Returned"/>
    /// lets that reporter's correction of this table in (<see cref="AppendAsync"/>), and no other table. <c>ReviewedAt</c> is
    /// kept in UTC to the millisecond, and at least a millisecond after the review replaced (the result carries it as stored).
    /// With <paramref name="expected"/>, the review the reviewer saw (its state, and when it was made), it checks in the same transaction that the current review is still that one (<see cref="ReviewStatus.ReviewChanged"/>,
    /// with the current review, and nothing stored, when another reviewer decided meanwhile); null checks nothing.
    /// </summary>
    Task<ReviewResult> ReviewAsync(Guid submissionId, Review review, ExpectedReview? expected, CancellationToken ct);

    /// <summary>All revisions of one reporter's table for a catalogue and period, oldest first.</summary>
    Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string reporterId, string catalogueId, string period, CancellationToken ct);

    /// <summary>The latest revision of every reporter for these periods of a catalogue.</summary>
    Task<IReadOnlyList<RevisionInfo>> ListLatestAsync(string catalogueId, IReadOnlyList<string> periods, CancellationToken ct);

    /// <summary>Adds up the latest revisions where the data is (SQL on SQLite, an aggregation pipeline on MongoDB).</summary>
    Task<AggregateResult> AggregateAsync(AggregateQuery query, CancellationToken ct);

    /// <summary>
    /// What <see cref="AggregateAsync"/> adds up for the same query, kept apart by reporter and read in one snapshot: each
    /// contribution, ordered by reporter id, with the non-blank values it contributes (a year derived from quarters as
    /// <see cref="AggregateAsync"/> derives it). The district's side-by-side table of every reporter (分单位明细表).
    /// </summary>
    Task<IReadOnlyList<ContributedTable>> ListContributedTablesAsync(AggregateQuery query, CancellationToken ct);
}

public interface IPeriodStore
{
    /// <summary>The period's settings, or <see cref="PeriodSettings.Open"/> defaults when none were set.</summary>
    Task<PeriodSettings> GetPeriodAsync(string catalogueId, string period, CancellationToken ct);
    /// <summary>
    /// Stores <paramref name="settings"/>. A closed period keeps the reporters' names it was closed with
    /// (<see cref="PeriodSettings.ReporterNames"/>): given, they are stored as given (settings read and saved again while it stays
    /// closed); not given, the store records every registered reporter's name as it is now, in the same write on SQLite (a
    /// rename committed meanwhile comes before the close or after it), read just before it on MongoDB. An open period keeps none,
    /// so a period reopened and closed again records the names of its second closing.
    /// Returns the version stored (<see cref="PeriodSettings.Version"/>, one more than the one replaced; that of
    /// <paramref name="settings"/> is not read). With <paramref name="expectedVersion"/>, the settings are stored only while that is
    /// the version stored (0: none were), checked in the same write as the one that stores them; otherwise nothing is stored and
    /// the answer is null — unless the settings stored already hold these (<see cref="PeriodSettings.Holds(PeriodSettings)"/>): then nothing is
    /// stored either, and the answer is the version stored, so that a save sent again on the version its first attempt replaced
    /// (whose answer was lost, a 503 after the write) is told it holds rather than that someone else changed the settings. On
    /// MongoDB that version is one a majority has, read after the refusal in its causally consistent session.
    /// <paramref name="holding"/> says what holding is: the settings whole, or, for a save that is a close or reopening alone, the
    /// period closed (or open) already, whoever closed it and when (a close retried, or made by another clerk at the same moment),
    /// which the settings whole, comparing the time of the close, would not be.
    /// The answer says which it was (<see cref="PeriodSave.Held"/>): the version written, or the settings that held.
    /// </summary>
    Task<PeriodSave?> SavePeriodAsync(PeriodSettings settings, int? expectedVersion, Holding holding, CancellationToken ct);
}

/// <summary>
/// Catalogues an office loaded (the built-in ones are compiled into the service and never stored). A stored catalogue
/// is immutable: every instance may keep what it read for good, and a table judged against it is never judged
/// against something else under the same id. A change is a new id.
/// </summary>
public interface ICatalogueStore
{
    /// <summary>
    /// Stores the document under its id once: <see cref="CatalogueSaveStatus.Created"/>, or
    /// <see cref="CatalogueSaveStatus.Unchanged"/> when the id holds this very document already, or
    /// <see cref="CatalogueSaveStatus.Conflict"/> when it holds another (which is kept).
    /// </summary>
    Task<CatalogueSaveStatus> SaveCatalogueAsync(StoredCatalogue catalogue, CancellationToken ct);

    Task<StoredCatalogue?> GetCatalogueAsync(string id, CancellationToken ct);

    /// <summary>Every stored catalogue, ordered by id.</summary>
    Task<IReadOnlyList<StoredCatalogue>> ListCataloguesAsync(CancellationToken ct);
}

/// <summary>
/// 操作日志 kept with the data it speaks of: backed up with it, and read by the district office. Entries are never changed
/// or removed by the service (the rules ask for six months and more; an office that must prune does it in the store).
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores the entry and returns only once it is durable. Need not move the store's version: nothing computed is read from the log.</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct);

    /// <summary>The entries <paramref name="query"/> asks for, newest (greatest id) first; times in UTC to the millisecond.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct);
}

/// <summary>
/// Every port at once: each adapter is one object implementing all of them, registered once and exposed
/// under each port by <see cref="StorageServiceCollectionExtensions.AddDisclosureStorage"/>.
/// </summary>
public interface IDisclosureStore : IStoreLifecycle, IStoreVersion, IStoreHealth, IReporterStore, IKeyStore, ISubmissionStore, IPeriodStore, ICatalogueStore, IAuditStore;
