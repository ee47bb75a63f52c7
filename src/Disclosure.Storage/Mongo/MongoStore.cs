using MongoDB.Bson;
using MongoDB.Driver;

namespace Disclosure.Storage.Mongo;

/// <summary>
/// The production store. Every write is acknowledged by a journaled majority; an append is one
/// multi-document transaction (a replica set is required) that reads the head, checks the idempotency key, the
/// reporter's retirement, the period and the expected revision, counts itself on the period's and the reporter's
/// documents, moves the <c>latest</c> flag
/// and inserts the new revision. Appends to one period, answers that a table is unchanged, reviews and a close of it all
/// write the period's document, so two of them overlapping conflict and the driver runs the loser again on a fresh
/// snapshot: a loser append takes the next revision, or finds the period closed. Every append under an Idempotency-Key
/// claims it in one document (<c>unchangedKeys</c>), so that one key has one outcome.
/// </summary>
public sealed partial class MongoStore : IDisclosureStore, IStoreStartReport
{
    private static readonly TransactionOptions AppendTransaction = new(
        readConcern: ReadConcern.Snapshot,
        readPreference: ReadPreference.Primary,
        writeConcern: WriteConcern.WMajority.With(journal: true));

    private readonly MongoSettings settings;
    private readonly IMongoCollection<ReporterDocument> reporters;
    private readonly IMongoCollection<KeyDocument> keys;
    private readonly IMongoCollection<SubmissionDocument> submissions;
    private readonly IMongoCollection<PeriodDocument> periods;
    private readonly IMongoCollection<UnchangedKeyDocument> unchangedKeys;
    private readonly IMongoDatabase database;

    public MongoStore(IMongoClient client, string databaseName, MongoSettings settings)
    {
        MongoMapping.Register();
        this.settings = settings;
        database = client.GetDatabase(databaseName, new MongoDatabaseSettings
        {
            // Bounded as an append is: a write outside a transaction (a reporter, a key, a period's settings, the audit) whose
            // majority does not answer in time fails with 503 instead of waiting until the client gives up.
            WriteConcern = WriteConcern.WMajority.With(journal: true, wTimeout: TimeSpan.FromSeconds(Math.Max(1, settings.AppendTimeoutSeconds))),
            ReadConcern = ReadConcern.Majority,
            ReadPreference = ReadPreference.Primary,
        });
        reporters = database.GetCollection<ReporterDocument>("reporters");
        keys = database.GetCollection<KeyDocument>("keys");
        submissions = database.GetCollection<SubmissionDocument>("submissions");
        periods = database.GetCollection<PeriodDocument>("periods");
        unchangedKeys = database.GetCollection<UnchangedKeyDocument>(UnchangedKeysCollection);
        this.client = client;
    }

    private readonly IMongoClient client;

    /// <summary>The one client of the process (it pools connections), with durable defaults whatever the connection string says.</summary>
    public static IMongoClient CreateClient(string connectionString)
    {
        MongoMapping.Register();
        var clientSettings = MongoClientSettings.FromConnectionString(connectionString);
        clientSettings.WriteConcern = WriteConcern.WMajority.With(journal: true);
        clientSettings.ReadConcern = ReadConcern.Majority;
        clientSettings.RetryWrites = true;
        return new MongoClient(clientSettings);
    }

    /// <summary>The database the connection string names, else <see cref="MongoSettings.Database"/>.</summary>
    public static string DatabaseName(string connectionString, MongoSettings settings) =>
        MongoUrl.Create(connectionString).DatabaseName is { Length: > 0 } name ? name : settings.Database;

    private const string UnchangedKeysCollection = "unchangedKeys";

    private static readonly string[] Collections = ["reporters", "keys", "submissions", "periods", UnchangedKeysCollection, MongoSchema.MetaCollection];

    public async Task InitialiseAsync(CancellationToken ct)
    {
        var hello = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: ct).ConfigureAwait(false);
        if (TopologyRefusal(hello) is { } refusal) throw new StoreStartException(refusal);
        // Transactions cannot create collections on servers before 4.4, and creating them here keeps the
        // first append from paying for it.
        var existing = await (await database.ListCollectionNamesAsync(cancellationToken: ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
        foreach (var name in Collections.Except(existing))
        {
            try { await database.CreateCollectionAsync(name, cancellationToken: ct).ConfigureAwait(false); }
            catch (MongoCommandException e) when (e.CodeName == "NamespaceExists") { /* another instance created it first */ }
        }
        RenamedReporters = [.. RenamedReporters, .. await MongoSchema.MigrateAsync(database, submissions, reporters, periods, ct).ConfigureAwait(false)];
        await keys.Indexes.CreateOneAsync(new CreateIndexModel<KeyDocument>(
            Builders<KeyDocument>.IndexKeys.Ascending(k => k.Hash), new CreateIndexOptions { Name = "hash", Unique = true }), cancellationToken: ct).ConfigureAwait(false);
        await Audit.Indexes.CreateManyAsync(AuditIndexes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Why the server <paramref name="hello"/> describes cannot hold the store, or null when it can. An append is a transaction
    /// and a district table a snapshot read, so a standalone server would start and pass readiness, then fail every append;
    /// it is refused at start instead, in one line. A replica set member names its set; a mongos says "isdbgrid". Snapshot
    /// reads need MongoDB 5.0 (wire version 13).
    /// </summary>
    internal static string? TopologyRefusal(BsonDocument hello)
    {
        var replicated = hello.Contains("setName") || hello.GetValue("msg", "").ToString() == "isdbgrid";
        var wire = hello.GetValue("maxWireVersion", 0).ToInt32();
        if (!replicated)
            return "ConnectionStrings:Mongo names a standalone MongoDB server; the store needs a replica set (a single-member one will do: " +
                "mongod --replSet rs0, then rs.initiate()) or a sharded cluster, because every append is a transaction.";
        return wire < 13
            ? $"ConnectionStrings:Mongo names a MongoDB server older than 5.0 (wire version {wire}); the store needs 5.0 or later for snapshot reads."
            : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ReporterRename> RenamedReporters { get; private set; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> Cautions => [];

    /// <inheritdoc/>
    public string Opened =>
        $"Store: MongoDB at {string.Join(",", client.Settings.Servers)}{(client.Settings.ReplicaSetName is { } set ? $" (replica set {set})" : "")}, " +
        $"database {database.DatabaseNamespace.DatabaseName}, schema version {MongoSchema.Version}";

    /// <summary>
    /// Ready when the server answers and the collections and the indexes this build relies on are there: the submission
    /// indexes, the unique index on reporters' names that refuses a second reporter of a name, and the unique index on keys' hashes.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            var collections = await (await database.ListCollectionNamesAsync(cancellationToken: ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
            if (Collections.Except(collections).Any()) return false;
            var indexes = await (await submissions.Indexes.ListAsync(ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
            var names = indexes.Select(i => i["name"].AsString).ToHashSet(StringComparer.Ordinal);
            var reporterIndexes = await (await reporters.Indexes.ListAsync(ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
            var keyIndexes = await (await keys.Indexes.ListAsync(ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
            return MongoSchema.Wanted().All(w => names.Contains(w.Name))
                && reporterIndexes.Any(i => i["name"].AsString == MongoSchema.ReporterNameIndex)
                && keyIndexes.Any(i => i["name"].AsString == "hash");
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The driver reports a failed write itself, as that write's exception: as far as writes go, always healthy.</summary>
    public StoreFaultException? Fault => null;
    public Task<bool> ProbeWriteAsync(CancellationToken ct) => Task.FromResult(true);

    /// <summary>
    /// Moves with every stored append (each counts itself on its period's document in its transaction), every change
    /// of a period's settings, every new reporter and every rename or retirement (each counts itself on its reporter's document), so the
    /// aggregate cache and ETags reuse a table only while none happened. The counts only grow and nothing is deleted, so every
    /// write makes the sum larger; one that commits between the two reads is counted or not, as a write during any read is.
    /// Summed, not kept in one counter document: every append would then write that document, so any two appends would
    /// conflict (today only those of one period or one reporter do), a reporter's or a period's single-document write would
    /// need a transaction to move it, and a pod of the build before, still running during a rolling upgrade, would not move
    /// it at all. The sums read a district's tens of period documents and hundreds of reporters, once per district-table
    /// read (<c>AggregateCache</c>), which is what they spare a rebuild of.
    /// </summary>
    public async ValueTask<long?> GetVersionAsync(CancellationToken ct)
    {
        var sums = await periods.Aggregate()
            .Group(new BsonDocument { { "_id", BsonNull.Value }, { "appends", new BsonDocument("$sum", "$appends") }, { "changes", new BsonDocument("$sum", "$changes") } })
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        // One for each reporter and one for each of its renames and retirements; a document written before renames existed has no count.
        var registry = await reporters.Aggregate()
            .Group(new BsonDocument
            {
                { "_id", BsonNull.Value },
                { "n", new BsonDocument("$sum", new BsonDocument("$add", new BsonArray { 1, new BsonDocument("$ifNull", new BsonArray { "$changes", 0 }) })) },
            })
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return (sums is null ? 0 : sums["appends"].ToInt64() + sums["changes"].ToInt64()) + (registry is null ? 0 : registry["n"].ToInt64());
    }

    // ---- reporters -------------------------------------------------------------------------------

    // The unique indexes on _id and on name decide between concurrent registrations; which one refused is read afterwards.
    public async Task<CreateResult> CreateReporterAsync(Reporter reporter, CancellationToken ct)
    {
        var document = ReporterDocument.From(reporter with { Name = Reporter.NormaliseName(reporter.Name), CreatedAt = StoredTime.Of(reporter.CreatedAt) });
        using var session = await RefusableWriteSessionAsync(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await reporters.InsertOneAsync(session, document, cancellationToken: ct).ConfigureAwait(false);
                return new CreateResult(CreateStatus.Created);
            }
            catch (MongoWriteException e) when (IsDuplicateKey(e))
            {
                if (await reporters.Find(session, Builders<ReporterDocument>.Filter.Eq(r => r.Id, document.Id), AfterRefusal).AnyAsync(ct).ConfigureAwait(false))
                    return new CreateResult(CreateStatus.Duplicate);
                // Renamed away since the insert was refused, or the insert that held the name was lost in a failover: the name is
                // free again, so the insert is tried once more.
                var holder = await NameHolderAsync(session, document.Name, document.Id, ct).ConfigureAwait(false);
                if (holder is not null || attempt == 3) return new CreateResult(CreateStatus.NameTaken, holder);
            }
        }
    }

    /// <summary>
    /// A session for a write that a unique index or a version may refuse, and for the reads that then learn why. It is causally
    /// consistent, and this store reads majority-committed data: a read after the refusal carries the refused write's
    /// operationTime (after a refusal, the primary's latest, which the driver takes from the reply before it throws) as
    /// <c>afterClusterTime</c>, so the server answers it once a majority has everything the refused write saw. A reporter named as
    /// the one registered (409) is then one a failover keeps; read locally, it could be a write the next primary never had.
    /// </summary>
    private Task<IClientSessionHandle> RefusableWriteSessionAsync(CancellationToken ct) =>
        client.StartSessionAsync(new ClientSessionOptions { CausalConsistency = true }, ct);

    /// <summary>
    /// A read after a refusal (<see cref="RefusableWriteSessionAsync"/>) waits for a majority; bounded as a write's wait for one is,
    /// so that a majority that does not answer is a 503 rather than a request that never ends.
    /// </summary>
    private FindOptions AfterRefusal => new() { MaxTime = TimeSpan.FromSeconds(Math.Max(1, settings.AppendTimeoutSeconds)) };

    private async Task<Reporter?> NameHolderAsync(IClientSessionHandle session, string name, string id, CancellationToken ct) =>
        (await reporters.Find(session, Builders<ReporterDocument>.Filter.Eq(r => r.Name, name) & Builders<ReporterDocument>.Filter.Ne(r => r.Id, id), AfterRefusal)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    /// <summary>
    /// A write refused by a unique index: an insert's write error, or findAndModify's command error (E11000). A majority that did not
    /// acknowledge in time is a <see cref="MongoWriteException"/> too, with no write error at all: not a duplicate, but the fault.
    /// </summary>
    private static bool IsDuplicateKey(MongoException e) =>
        e is MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey } or MongoCommandException { Code: 11000 };

    public async Task<Reporter?> GetReporterAsync(string id, CancellationToken ct) =>
        (await reporters.Find(Builders<ReporterDocument>.Filter.Eq(r => r.Id, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyList<Reporter>> ListReportersAsync(CancellationToken ct) =>
        [.. (await reporters.Find(Builders<ReporterDocument>.Filter.Empty).SortBy(r => r.Id).ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToDomain())];

    // A reinstatement removes the field, as a reporter that never retired has none. An append writes the reporter's document
    // in its transaction, so a retirement committed since the append read it conflicts, and the retry finds it retired.
    public async Task<UpdateResult> UpdateReporterAsync(string id, ReporterChange change, CancellationToken ct)
    {
        var name = change.Name is null ? null : Reporter.NormaliseName(change.Name);
        var update = Builders<ReporterDocument>.Update.Inc(r => r.Changes, 1);
        if (name is not null) update = update.Set(r => r.Name, name);
        if (change.SetsRetiredFrom)
            update = change.RetiredFrom is { } from ? update.Set(r => r.RetiredFrom, from) : update.Unset(r => r.RetiredFrom);
        if (change.SetsContact)
            update = change.Contact is { } contact ? update.Set(r => r.Contact, contact) : update.Unset(r => r.Contact);
        var filter = Builders<ReporterDocument>.Filter.Eq(r => r.Id, id);
        using var session = await RefusableWriteSessionAsync(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (change.OpenPeriods is not { Count: > 0 } open)
                    return Updated(await reporters.FindOneAndUpdateAsync(session, filter, update, ReturnUpdated, ct).ConfigureAwait(false));
                return await UpdateOnOpenPeriodsAsync(id, name, update, open, ct).ConfigureAwait(false);
            }
            catch (MongoException e) when (IsDuplicateKey(e) && name is not null)
            {
                // Renamed away since the update was refused: the name is free again, so the update is tried once more. (A refusal
                // in the transaction of UpdateOnOpenPeriodsAsync leaves this session without its time: the holder read is then of
                // what a majority has now, and one not there yet is read as none, so the update is tried again.)
                var holder = await NameHolderAsync(session, name, id, ct).ConfigureAwait(false);
                if (holder is not null || attempt == 3) return new UpdateResult(UpdateStatus.NameTaken, null, holder);
            }
        }
    }

    private static readonly FindOneAndUpdateOptions<ReporterDocument> ReturnUpdated = new() { ReturnDocument = ReturnDocument.After };

    private static UpdateResult Updated(ReporterDocument? updated) =>
        updated is null ? new UpdateResult(UpdateStatus.NotFound, null) : new UpdateResult(UpdateStatus.Updated, updated.ToDomain());

    /// <summary>
    /// A reporter's change on condition that <paramref name="open"/> are open, one transaction bounded as an append is: it writes
    /// the periods' documents, which every append to them writes too, so a transaction left open would make them wait.
    /// </summary>
    private Task<UpdateResult> UpdateOnOpenPeriodsAsync(string id, string? name, UpdateDefinition<ReporterDocument> update,
        IReadOnlyList<CataloguePeriod> open, CancellationToken ct) =>
        InBoundedTransactionAsync(
            (s, token) => UpdateInTransactionAsync(s, id, name, update, open, token),
            result => result.Status == UpdateStatus.Updated,
            (_, e) => throw new StoreFaultException(StoreFaultKind.Unavailable,
                $"The reporter's change could not be committed within {settings.AppendTimeoutSeconds} s (Storage:Mongo:AppendTimeoutSeconds); " +
                "it may or may not be stored: read the reporter, or send the change again.", e),
            ct);

    private async Task<UpdateResult> UpdateInTransactionAsync(IClientSessionHandle s, string id, string? name, UpdateDefinition<ReporterDocument> update,
        IReadOnlyList<CataloguePeriod> open, CancellationToken ct)
    {
        var filter = Builders<ReporterDocument>.Filter.Eq(r => r.Id, id);
        // Checked in the order SQLite checks them (unknown, then name taken, then periods closed), and before any write,
        // so that an unknown reporter or a taken name leaves the periods' documents untouched.
        if (!await reporters.Find(s, filter).AnyAsync(ct).ConfigureAwait(false)) return Updated(null);
        if (name is not null && await reporters.Find(s, Builders<ReporterDocument>.Filter.Eq(r => r.Name, name) & Builders<ReporterDocument>.Filter.Ne(r => r.Id, id))
                .FirstOrDefaultAsync(ct).ConfigureAwait(false) is { } holder)
            return new UpdateResult(UpdateStatus.NameTaken, null, holder.ToDomain());
        var keys = open.Select(p => PeriodDocument.KeyOf(p.CatalogueId, p.Period)).ToList();
        var closed = (await periods.Find(s, Builders<PeriodDocument>.Filter.In(p => p.Id, keys) & Builders<PeriodDocument>.Filter.Eq(p => p.Closed, true))
            .ToListAsync(ct).ConfigureAwait(false)).Select(p => new CataloguePeriod(p.Id.CatalogueId, p.Id.Period)).ToHashSet();
        if (closed.Count > 0) return new UpdateResult(UpdateStatus.PeriodClosed, null, Closed: [.. open.Where(closed.Contains)]);
        // Each period's document is written, as an append writes it: a close committed since this transaction read
        // the period conflicts here, and the driver runs the transaction again, which then finds it closed.
        foreach (var key in keys)
            await periods.UpdateOneAsync(s, Builders<PeriodDocument>.Filter.Eq(p => p.Id, key), Builders<PeriodDocument>.Update.Inc(p => p.Retirements, 1),
                new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        return Updated(await reporters.FindOneAndUpdateAsync(s, filter, update, ReturnUpdated, ct).ConfigureAwait(false));
    }

    // ---- keys ------------------------------------------------------------------------------------

    public Task CreateKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        keys.InsertOneAsync(KeyDocument.From(key), cancellationToken: ct);

    public async Task<ApiKeyRecord?> FindKeyByHashAsync(string hash, CancellationToken ct) =>
        (await keys.Find(Builders<KeyDocument>.Filter.Eq(k => k.Hash, hash) & Builders<KeyDocument>.Filter.Eq(k => k.RevokedAt, null))
            .FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<ApiKeyRecord?> FindRevokedKeyAsync(string hash, CancellationToken ct) =>
        (await keys.Find(Builders<KeyDocument>.Filter.Eq(k => k.Hash, hash) & Builders<KeyDocument>.Filter.Ne(k => k.RevokedAt, null))
            .FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) =>
        [.. (await keys.Find(Builders<KeyDocument>.Filter.Empty).SortBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct).ConfigureAwait(false)).Select(k => k.ToDomain())];

    public async Task<ApiKeyRecord?> GetKeyAsync(Guid id, CancellationToken ct) =>
        (await keys.Find(Builders<KeyDocument>.Filter.Eq(k => k.Id, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<bool> RevokeKeyAsync(Guid id, DateTimeOffset at, CancellationToken ct)
    {
        var result = await keys.UpdateOneAsync(
            Builders<KeyDocument>.Filter.Eq(k => k.Id, id) & Builders<KeyDocument>.Filter.Eq(k => k.RevokedAt, null),
            Builders<KeyDocument>.Update.Set(k => k.RevokedAt, at.UtcDateTime), cancellationToken: ct).ConfigureAwait(false);
        return result.ModifiedCount == 1;
    }

    // ---- periods ---------------------------------------------------------------------------------

    public async Task<PeriodSettings> GetPeriodAsync(string catalogueId, string period, CancellationToken ct) =>
        (await periods.Find(Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(catalogueId, period))).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain()
        ?? PeriodSettings.Open(catalogueId, period);

    // A $set, not a replacement, so that the period's count of appends survives; writing the document is also what
    // makes a close conflict with an append in flight. The names a close records are read just before it: a rename committed
    // between the two is not among them, the office's own rename racing its own close, which reopening and closing again mends.
    // The version is compared by the update's own filter, one document written atomically: no read before it to go stale.
    public async Task<PeriodSave?> SavePeriodAsync(PeriodSettings settings, int? expectedVersion, Holding holding, CancellationToken ct)
    {
        var document = PeriodDocument.From(settings);
        if (settings.Closed && document.ReporterNames is null)
            document.ReporterNames = ReporterNameDocument.Of(await reporters.Find(Builders<ReporterDocument>.Filter.Empty).ToListAsync(ct).ConfigureAwait(false));
        using var session = await RefusableWriteSessionAsync(ct).ConfigureAwait(false);
        try
        {
            // Not upserted on a version above 0: an upsert would take the version from the filter into a new document, where a
            // period without settings has none to match.
            var saved = await periods.FindOneAndUpdateAsync(session, MongoQueries.PeriodAt(document.Id, expectedVersion), MongoQueries.SavePeriod(document),
                new FindOneAndUpdateOptions<PeriodDocument> { IsUpsert = expectedVersion is null or 0, ReturnDocument = ReturnDocument.After }, ct).ConfigureAwait(false);
            return saved is not null ? new PeriodSave(saved.SettingsVersion) : await HeldAsync(session, settings, holding, ct).ConfigureAwait(false);
        }
        catch (MongoException e) when (expectedVersion is not null && IsDuplicateKey(e))
        {
            if (expectedVersion != 0) return await HeldAsync(session, settings, holding, ct).ConfigureAwait(false);
            // The period's first append upserted its document between this filter's miss and its insert (the server retries such
            // a race itself only for a filter of equalities, and this one has an $or): that document has no settings, still
            // version 0, so the save is tried once more on it, not inserted.
            var saved = await periods.FindOneAndUpdateAsync(session, MongoQueries.PeriodAt(document.Id, 0), MongoQueries.SavePeriod(document),
                new FindOneAndUpdateOptions<PeriodDocument> { ReturnDocument = ReturnDocument.After }, ct).ConfigureAwait(false);
            return saved is not null ? new PeriodSave(saved.SettingsVersion) : await HeldAsync(session, settings, holding, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a save refused for its version: the settings stored, with their version, when they already hold <paramref name="settings"/>
    /// (a retry of a save whose answer was lost; as <paramref name="holding"/> says), read in the refused
    /// write's session so that they are what a majority has; else null.
    /// </summary>
    private async Task<PeriodSave?> HeldAsync(IClientSessionHandle session, PeriodSettings settings, Holding holding, CancellationToken ct)
    {
        var stored = (await periods.Find(session, Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(settings.CatalogueId, settings.Period)), AfterRefusal)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();
        return stored is not null && stored.Holds(settings, holding) ? new PeriodSave(stored.Version, stored) : null;
    }

    // ---- submissions -----------------------------------------------------------------------------

    public async Task<AppendResult> AppendAsync(Submission submission, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct)
    {
        var stored = StoredForm.ForStore(submission);
        // The driver runs the transaction again itself on TransientTransactionError and UnknownTransactionCommitResult,
        // and that is every race between appends: a write committed after this transaction's snapshot to what it writes
        // (the period's or reporter's document, a key of the head, revision or idempotency index, or the key's claim) is a write conflict,
        // which carries that label, not a duplicate key; one committed before the snapshot is read above. So a duplicate
        // key here is a bug, left to surface as one (the driver's MongoWriteException would not say which index anyway:
        // its WriteError.Details is the server's errInfo, and a duplicate key sends its keyPattern beside it, not in it).
        return await InBoundedTransactionAsync(
            (s, token) => AppendInTransactionAsync(s, stored, expectedRevision, idempotency, token),
            result => result.Status == AppendStatus.Created,
            async (wrote, e) =>
            {
                if (!wrote)
                    throw new StoreFaultException(StoreFaultKind.Unavailable,
                        $"The append could not be committed within {settings.AppendTimeoutSeconds} s (Storage:Mongo:AppendTimeoutSeconds); nothing was stored.", e);
                // Not linked to the caller's token: a caller that cancelled is owed the outcome as much as one cut off by the deadline.
                using var lookup = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, settings.AppendTimeoutSeconds)));
                return await OutcomeOfCutCommitAsync(() => GetSubmissionAsync(stored.Id, lookup.Token), e).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one transaction bounded by the append's deadline (<c>Storage:Mongo:AppendTimeoutSeconds</c>):
    /// appends, reviews and reporter changes on open periods write the period's document, so a transaction left open would make
    /// every other write to it wait. Cut off before it wrote what <paramref name="wrote"/> looks for, it is aborted
    /// (<see cref="AbortedIfCutOffAsync"/>); cut off after, its commit is sent once more (<see cref="CommitAgainAsync"/>) and,
    /// committed, its result returned. Otherwise <paramref name="cutOff"/> says what the caller is told, given whether it wrote.
    /// </summary>
    private async Task<T> InBoundedTransactionAsync<T>(Func<IClientSessionHandle, CancellationToken, Task<T>> body, Func<T, bool> wrote,
        Func<bool, OperationCanceledException, Task<T>> cutOff, CancellationToken ct) where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, settings.AppendTimeoutSeconds)));
        T? written = null;
        IClientSessionHandle? session = null;
        try
        {
            session = await database.Client.StartSessionAsync(cancellationToken: deadline.Token).ConfigureAwait(false);
            return await session.WithTransactionAsync((s, token) => AbortedIfCutOffAsync(s, async () =>
                {
                    written = null; // a run again after a transient error starts over: the aborted run applied nothing
                    var result = await body(s, token).ConfigureAwait(false);
                    if (wrote(result)) written = result;
                    return result;
                }),
                AppendTransaction, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
        {
            // A caller that cancelled hears of it only when nothing was stored: a transaction it cut off after it wrote is
            // committed, and answered, as the embedded store completes a write it has begun; one whose commit stays unknown is
            // the fault that says it may be stored, so that "cancelled" always means "not stored".
            if (written is not null && await CommitAgainAsync(session!).ConfigureAwait(false)) return written;
            if (written is null && ct.IsCancellationRequested) throw;
            return await cutOff(written is not null, e).ConfigureAwait(false);
        }
        finally
        {
            session?.Dispose();
        }
    }

    /// <summary>
    /// Sends again the commit of a transaction that wrote, when the deadline or the caller cut its commit off; true when the
    /// server answers it committed. The driver (3.14's CoreSession) marks a cut-off commit committed whether or not it was sent,
    /// so neither it nor the session's disposal aborts the transaction, which the server would then keep, holding what it wrote
    /// against every append to it, until its 60 s limit; a commit may be sent again, and this one ends the transaction either way.
    /// </summary>
    private static async Task<bool> CommitAgainAsync(IClientSessionHandle session)
    {
        // Sent again rather than bounding the commit by maxCommitTime instead of the deadline: the deadline keeps bounding every wait.
        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await session.CommitTransactionAsync(again.Token).ConfigureAwait(false);
            return true;
        }
        // Aborted meanwhile (the server's answer, or the driver's state after a transient error): nothing is left open.
        catch (Exception e) when (e is MongoException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The answer to an append whose deadline cut off its commit: the server may have applied it, so the revision is looked
    /// for by its id. Found, it is the 201 the client was owed; not found (or the lookup fails too), the fault says the table
    /// may still be stored, so that the client resends with its Idempotency-Key rather than as a new table.
    /// </summary>
    internal static async Task<AppendResult> OutcomeOfCutCommitAsync(Func<Task<Submission?>> lookup, Exception cut)
    {
        Submission? found;
        try
        {
            found = await lookup().ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoException or TimeoutException or OperationCanceledException)
        {
            found = null;
        }
        return found is not null
            ? new AppendResult(AppendStatus.Created, found, found.Revision)
            : throw new StoreFaultException(StoreFaultKind.Unavailable,
                "The append's commit was cut off by Storage:Mongo:AppendTimeoutSeconds and its revision is not found yet; it may still be applied. " +
                "Resend with the same Idempotency-Key, or read the revisions before sending it again.", cut);
    }

    /// <summary>Awaited between an append's reads and its writes (an unchanged answer's too) when set; tests pause an append there. Null in production.</summary>
    internal Func<Task>? BeforeAppendWrites { get; set; }

    /// <summary>Awaited after an append's writes, before its commit, when set; tests cancel an append there. Null in production.</summary>
    internal Func<Task>? AfterAppendWrites { get; set; }

    private async Task<AppendResult> AppendInTransactionAsync(IClientSessionHandle session, Submission s, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct)
    {
        var head = await submissions.Find(session, MongoQueries.Head(s.ReporterId, s.CatalogueId, s.Period))
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var current = head?.Revision ?? 0;

        if (idempotency is not null)
        {
            if (await FindIdempotentAsync(session, idempotency, ct).ConfigureAwait(false) is { } prior)
                return prior.SameRequest
                    ? new AppendResult(prior.Unchanged ? AppendStatus.ReplayedUnchanged : AppendStatus.Replayed, prior.Submission, current)
                    : new AppendResult(AppendStatus.IdempotencyMismatch, null, current);
        }

        var reporter = await reporters.Find(session, Builders<ReporterDocument>.Filter.Eq(r => r.Id, s.ReporterId)).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Reporter '{s.ReporterId}' is not registered; the registry check should have refused the submission.");
        if (Reporter.IsRetiredFor(reporter.RetiredFrom, s.Period)) return new AppendResult(AppendStatus.ReporterRetired, null, current);

        // A table the office returned is its reporter's to correct once, closed or not: the correction starts unreviewed. The
        // review read here is the snapshot's; a review committed since conflicts below (it writes the period's document and the head).
        var (closed, reopened) = await ClosureAsync(session, s.ReporterId, s.CatalogueId, s.Period, ct).ConfigureAwait(false);
        // The current table over again stores nothing, whatever revision the request expected (a workbook uploaded a second time
        // was made from the revision before), closed period or not: it replaces nothing and changes no total, so a town pressing
        // 提交 again after the close is told its table stands, not that it was refused. A returned one is stored, as the reporter's
        // answer that its figures stand. The head's values are read only when its note and sentAt already match.
        if (head is not null && !IsReturned(head) && StoredForm.SameNote(head.Note, s.Note)
            && StoredForm.SameSentAt(head.SentAt is { } sent ? ReporterDocument.Utc(sent) : null, s.SentAt)
            && await submissions.Find(session, Builders<SubmissionDocument>.Filter.Eq(d => d.Id, head.Id)).FirstOrDefaultAsync(ct).ConfigureAwait(false) is { } whole
            && whole.ToDomain() is var stored && StoredForm.SameTable(stored, s))
        {
            // The answer writes the period's documents as an append does, though it stores nothing: a review (退回 included), a
            // close or an append of the period committed since this snapshot then conflicts with it, and its run again answers on
            // what they left (a table just returned is stored), so the 200 describes the table as it is when the answer commits.
            if (BeforeAppendWrites is { } waiting) await waiting().ConfigureAwait(false);
            await CountOnPeriodAsync(session, s, p => p.Unchanged, ct).ConfigureAwait(false);
            // The key is kept with the revision found, so that a retry is answered so again (not judged again against a revision
            // stored since) and the key is not taken for another request.
            if (idempotency is not null) await ClaimKeyAsync(session, idempotency, stored.Id, ct).ConfigureAwait(false);
            return new AppendResult(AppendStatus.Unchanged, stored, current);
        }
        if (closed && !IsReturned(head)) return new AppendResult(AppendStatus.PeriodClosed, null, current);
        if (expectedRevision is { } expected && expected != current) return new AppendResult(AppendStatus.RevisionConflict, null, current);

        if (BeforeAppendWrites is { } pause) await pause().ConfigureAwait(false);
        // Written first: a close committed since this transaction read the period, or a retirement since it read the reporter,
        // conflicts here, and the retry finds the period closed or the reporter retired.
        await CountOnPeriodAsync(session, s, p => p.Appends, ct).ConfigureAwait(false);
        await reporters.UpdateOneAsync(session, Builders<ReporterDocument>.Filter.Eq(r => r.Id, s.ReporterId),
            Builders<ReporterDocument>.Update.Inc(r => r.Appends, 1), cancellationToken: ct).ConfigureAwait(false);

        // The old head loses its flag before the new one is inserted: the unique head index allows one at a time.
        if (head is not null)
            await submissions.UpdateOneAsync(session,
                Builders<SubmissionDocument>.Filter.Eq(d => d.Id, head.Id) & Builders<SubmissionDocument>.Filter.Eq(d => d.Latest, true),
                Builders<SubmissionDocument>.Update.Set(d => d.Latest, false), cancellationToken: ct).ConfigureAwait(false);

        var revision = current + 1;
        await submissions.InsertOneAsync(session, SubmissionDocument.From(s, reporter.Kind, revision, idempotency), cancellationToken: ct).ConfigureAwait(false);
        if (idempotency is not null) await ClaimKeyAsync(session, idempotency, s.Id, ct).ConfigureAwait(false);
        if (AfterAppendWrites is { } wrote) await wrote().ConfigureAwait(false);
        return new AppendResult(AppendStatus.Created, s with { Revision = revision }, revision, closed, reopened);
    }

    /// <summary>
    /// Counts the append, or the answer that the table is unchanged, on its period's document, and a quarter's on its year's too (a
    /// year from quarters changes with it), so that a close of either, or a review of the period's tables, committed since the
    /// transaction's snapshot conflicts with it. The unchanged answers have a count of their own: <see cref="GetVersionAsync"/> sums the
    /// appends, and an answer that stored nothing must not make the district tables computed so far stale.
    /// </summary>
    private async Task CountOnPeriodAsync(IClientSessionHandle session, Submission s, System.Linq.Expressions.Expression<Func<PeriodDocument, long>> count, CancellationToken ct)
    {
        await periods.UpdateOneAsync(session, Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(s.CatalogueId, s.Period)),
            Builders<PeriodDocument>.Update.Inc(count, 1), new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        if (YearOf(s.Period) is { } year)
            await periods.UpdateOneAsync(session, Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(s.CatalogueId, year)),
                Builders<PeriodDocument>.Update.Inc(count, 1), new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the Idempotency-Key for <paramref name="revision"/> in <c>unchangedKeys</c>, under the <c>_id</c> of scope and key, whether the
    /// append stored that revision (which carries the key too) or found its table unchanged. Both outcomes write this one document, so
    /// two appends under one key conflict here whichever each came to, even of other periods: the later one's run again finds the key
    /// (a replay, or <see cref="AppendStatus.IdempotencyMismatch"/>). Keys taken by stored revisions before they were claimed here are
    /// found in the revisions; only appends running at the same moment need the claim.
    /// </summary>
    private Task ClaimKeyAsync(IClientSessionHandle session, IdempotencyToken idempotency, Guid revision, CancellationToken ct) =>
        unchangedKeys.InsertOneAsync(session, new UnchangedKeyDocument
        {
            Id = UnchangedKeyId.Of(idempotency), Hash = idempotency.RequestHash, Submission = revision,
        }, cancellationToken: ct);

    /// <summary>
    /// Runs a transaction's body, aborting the transaction itself when the deadline cuts the body off: the driver's own abort
    /// would be sent with the token that just expired, so it would not be sent at all, and the server would keep the
    /// transaction's writes (and the conflicts they cause with every append to that period or reporter) until its 60 s limit.
    /// Aborted here, the driver sees the transaction done and does not abort it again.
    /// </summary>
    private static async Task<T> AbortedIfCutOffAsync<T>(IClientSessionHandle session, Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.IsInTransaction)
        {
            using var abort = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await session.AbortTransactionAsync(abort.Token).ConfigureAwait(false); // the driver swallows an abort's failure
            throw;
        }
    }

    public Task<ReviewResult> ReviewAsync(Guid submissionId, Review review, ExpectedReview? expected, CancellationToken ct)
    {
        var stored = StoredForm.ForStore(review);
        return InBoundedTransactionAsync(
            (s, token) => ReviewInTransactionAsync(s, submissionId, stored, expected, token),
            result => result.Status == ReviewStatus.Stored,
            // The deadline may have cut off the commit itself; a review sent again replaces it with the same, so nothing is lost.
            (_, e) => throw new StoreFaultException(StoreFaultKind.Unavailable,
                $"The review could not be committed within {settings.AppendTimeoutSeconds} s (Storage:Mongo:AppendTimeoutSeconds); it may or may not be stored: send it again.", e),
            ct);
    }

    /// <summary>
    /// Whether <paramref name="period"/> is closed to <paramref name="reporter"/>'s tables: closed itself, or a quarter of a
    /// closed year of which the reporter has no table, so that its year is added up from its quarters (<see cref="ISubmissionStore.AppendAsync"/>);
    /// and when the published period a table is let into by a reopening was first closed (<see cref="AppendResult.ReopenedFirstClosedAt"/>).
    /// </summary>
    private async Task<(bool Closed, DateTimeOffset? ReopenedFirstClosedAt)> ClosureAsync(IClientSessionHandle session, string reporter, string catalogue, string period,
        CancellationToken ct)
    {
        var own = await periods.Find(session, Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(catalogue, period))).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var year = YearOf(period);
        var ofYear = year is null ? null
            : await periods.Find(session, Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(catalogue, year))).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        DateTimeOffset? reopened = own is { Closed: false, FirstClosedAt: { } first } ? ReporterDocument.Utc(first)
            : ofYear is { Closed: false, FirstClosedAt: { } ofYears } ? ReporterDocument.Utc(ofYears) : null;
        if (own?.Closed == true) return (true, reopened);
        if (ofYear?.Closed != true) return (false, reopened);
        return (await submissions.Find(session, MongoQueries.Head(reporter, catalogue, year!)).Project<RevisionDocument>(MongoQueries.RevisionOnly)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false) is null, reopened);
    }

    /// <summary>Whether the office's current review of <paramref name="head"/> returned it (退回).</summary>
    private static bool IsReturned(RevisionDocument? head) =>
        head?.Review is { } review && StoredForm.ParseDecision(review.Decision) == ReviewDecision.Returned;

    /// <summary>The year a quarter belongs to; null for a year.</summary>
    private static string? YearOf(string period) =>
        Disclosure.Catalogue.Period.TryParse(period, out var p) && !p.IsYear ? p.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// Reads the revision and its head, then writes the period's document before the review: an append, an answer that a table is unchanged, or a close committed
    /// since this transaction's snapshot conflicts there, and the driver runs the review again on a fresh one. A closed period
    /// takes a return too: it lets that one reporter's correction in (<see cref="AppendAsync"/>), not every late table as a
    /// reopening would. The current review is checked against <paramref name="expected"/> on the same snapshot: another review
    /// committed since writes the period's document too, so one of the two conflicts there and runs again, and then reads it.
    /// Its time is compared as read back, a BSON date (milliseconds, UTC), the precision the review was stored and shown at.
    /// </summary>
    private async Task<ReviewResult> ReviewInTransactionAsync(IClientSessionHandle session, Guid submissionId, Review review, ExpectedReview? expected, CancellationToken ct)
    {
        var byId = Builders<SubmissionDocument>.Filter.Eq(d => d.Id, submissionId);
        var target = await submissions.Find(session, byId).Project<RevisionDocument>(MongoQueries.RevisionOnly).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (target is null) return new ReviewResult(ReviewStatus.NotFound, null, null);
        var reviewed = target.ToDomain();
        var head = await submissions.Find(session, MongoQueries.Head(target.ReporterId, target.CatalogueId, target.Period))
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (head is not null && head.Id != target.Id) return new ReviewResult(ReviewStatus.NotLatest, reviewed, head.ToDomain());
        if (expected is not null && !expected.IsMetBy(reviewed.Review)) return new ReviewResult(ReviewStatus.ReviewChanged, reviewed, reviewed);
        var written = StoredForm.Replacing(review, reviewed.Review);

        var periodKey = Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(target.CatalogueId, target.Period));
        // Counted as a change of the period, so that the store's version (and with it every cached aggregate) moves.
        await periods.UpdateOneAsync(session, periodKey, Builders<PeriodDocument>.Update.Inc(p => p.Changes, 1),
            new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        await submissions.UpdateOneAsync(session, byId & Builders<SubmissionDocument>.Filter.Eq(d => d.Latest, true),
            Builders<SubmissionDocument>.Update.Set(d => d.Review, ReviewDocument.From(written)), cancellationToken: ct).ConfigureAwait(false);
        var now = reviewed with { Review = written };
        return new ReviewResult(ReviewStatus.Stored, now, now);
    }

    public Task<IdempotentSubmission?> FindIdempotentAsync(IdempotencyToken idempotency, CancellationToken ct) =>
        FindIdempotentAsync(null, idempotency, ct);

    /// <summary>The revision a key was answered with: one it stored, else one it was found to be over again (<c>unchangedKeys</c>, <see cref="ClaimKeyAsync"/>).</summary>
    private async Task<IdempotentSubmission?> FindIdempotentAsync(IClientSessionHandle? session, IdempotencyToken idempotency, CancellationToken ct)
    {
        var stored = await (session is null ? submissions.Find(MongoQueries.Idempotency(idempotency)) : submissions.Find(session, MongoQueries.Idempotency(idempotency)))
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (stored is not null) return new IdempotentSubmission(stored.ToDomain(), stored.Idempotency!.Hash == idempotency.RequestHash);
        var byId = Builders<UnchangedKeyDocument>.Filter.Eq(k => k.Id, UnchangedKeyId.Of(idempotency));
        var unchanged = await (session is null ? unchangedKeys.Find(byId) : unchangedKeys.Find(session, byId)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (unchanged is null) return null;
        var byRevision = Builders<SubmissionDocument>.Filter.Eq(d => d.Id, unchanged.Submission);
        var revision = await (session is null ? submissions.Find(byRevision) : submissions.Find(session, byRevision)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        // A claim of a revision that carries the key itself is a stored one: read outside a transaction, the revision's key may have
        // been committed after the first read and before this one.
        return revision is null ? null : new IdempotentSubmission(revision.ToDomain(), unchanged.Hash == idempotency.RequestHash,
            Unchanged: revision.Idempotency is not { } own || own.Scope != idempotency.Scope || own.Key != idempotency.Key);
    }

    public async Task<Submission?> GetSubmissionAsync(Guid id, CancellationToken ct) =>
        (await submissions.Find(Builders<SubmissionDocument>.Filter.Eq(s => s.Id, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyDictionary<Guid, Submission>> GetSubmissionsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? new Dictionary<Guid, Submission>()
        : (await submissions.Find(MongoQueries.ByIds(ids)).ToListAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Id, d => d.ToDomain());

    public async Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string reporterId, string catalogueId, string period, CancellationToken ct) =>
        [.. (await submissions.Find(MongoQueries.Revisions(reporterId, catalogueId, period)).SortBy(s => s.Revision)
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToDomain())];

    public async Task<IReadOnlyList<RevisionInfo>> ListLatestAsync(string catalogueId, IReadOnlyList<string> periods, CancellationToken ct)
    {
        // A snapshot session, as the aggregate reads have: a district's heads come in more than one batch, and a read that takes
        // a fresh snapshot at each batch (or yield) lists a reporter twice when its head is replaced in between (the new head's
        // entry in the head index sorts right after the old one's), which the callers' dictionaries by reporter refuse with a 500.
        using var session = await StartSnapshotAsync(ct).ConfigureAwait(false);
        return [.. (await submissions.Find(session, MongoQueries.Latest(catalogueId, periods)).SortBy(s => s.Period).ThenBy(s => s.ReporterId)
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToDomain())];
    }

    /// <summary>A session whose reads all see one committed state of the database, however many batches they take.</summary>
    private Task<IClientSessionHandle> StartSnapshotAsync(CancellationToken ct) =>
        database.Client.StartSessionAsync(new ClientSessionOptions { Snapshot = true }, ct);

    // A district of many reporters groups more than the 100 MB a stage may hold in memory; the server spills instead of failing.
    private static readonly AggregateOptions DiskUse = new() { AllowDiskUse = true };

    public async Task<AggregateResult> AggregateAsync(AggregateQuery query, CancellationToken ct)
    {
        // A snapshot session: the heads and both pipelines see the same committed state.
        using var session = await StartSnapshotAsync(ct).ConfigureAwait(false);

        var heads = await submissions.Find(session, MongoQueries.Latest(query.CatalogueId, [query.Period, .. query.QuarterPeriods], query))
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).ToListAsync(ct).ConfigureAwait(false);
        var withOwnHead = heads.Where(h => h.Period == query.Period).Select(h => h.ReporterId).Distinct(StringComparer.Ordinal).ToList();

        var sums = new AggregateSums();
        foreach (var row in await (await submissions.AggregateAsync(session, MongoQueries.OwnTotals(query), DiskUse, ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false))
        {
            var id = row["_id"].AsBsonDocument;
            sums.Add(id["code"].AsString, StoredForm.ParseKind(id["kind"].AsString), row["sum"].ToDecimal(), row["reporters"].ToInt32());
        }

        if (query.QuarterPeriods.Count > 0)
        {
            var rows = await (await submissions.AggregateAsync(session, MongoQueries.QuarterTotals(query, withOwnHead), DiskUse, ct).ConfigureAwait(false))
                .ToListAsync(ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var id = row["_id"].AsBsonDocument;
                sums.Add(id["code"].AsString, StoredForm.ParseKind(id["kind"].AsString), row["flow"].ToDecimal(), row["reporters"].ToInt32());
            }
            if (query.StockCodes.Count + query.OpeningCodes.Count > 0)
            {
                var balances = await (await submissions.AggregateAsync(session, MongoQueries.QuarterBalances(query, withOwnHead), DiskUse, ct).ConfigureAwait(false))
                    .ToListAsync(ct).ConfigureAwait(false);
                foreach (var reporter in balances.GroupBy(b => b["reporter"].AsString, StringComparer.Ordinal))
                {
                    var kind = StoredForm.ParseKind(reporter.First()["kind"].AsString);
                    var quarters = reporter.GroupBy(b => b["period"].AsString, StringComparer.Ordinal)
                        .Select(q => (q.Key, (IReadOnlyList<StoredCell>)[.. q.Select(b => new StoredCell(b["code"].AsString, b["value"].ToDecimal()))]));
                    foreach (var (code, value) in StoredForm.YearFromQuarters(quarters, query.StockCodes, query.OpeningCodes, query.Groups))
                        sums.Add(code, kind, value, 1);
                }
            }
        }

        return new AggregateResult(sums.Cells(),
            StoredForm.Contributions(query.Period, heads.Select(h => (StoredForm.ParseKind(h.Kind), h.ToDomain()))));
    }

    public async Task<IReadOnlyList<ContributedTable>> ListContributedTablesAsync(AggregateQuery query, CancellationToken ct)
    {
        // One find, in a snapshot session so that every head it returns belongs to the same committed state.
        using var session = await StartSnapshotAsync(ct).ConfigureAwait(false);
        var heads = await submissions.Find(session, MongoQueries.Latest(query.CatalogueId, [query.Period, .. query.QuarterPeriods], query))
            .Project<SubmissionDocument>(MongoQueries.RevisionAndValues).ToListAsync(ct).ConfigureAwait(false);
        return StoredForm.ContributedTables(query, [.. heads.Select(h =>
        {
            var s = h.ToDomain();
            return (StoredForm.ParseKind(h.Kind), new RevisionInfo(s.Id, s.ReporterId, s.CatalogueId, s.Period, s.Revision, s.ReceivedAt, s.SubmittedByKey, s.SentAt, s.Review, s.Note),
                (IReadOnlyList<StoredCell>)[.. s.Values.Select(v => new StoredCell(v.Code, v.Value))]);
        })]);
    }
}
