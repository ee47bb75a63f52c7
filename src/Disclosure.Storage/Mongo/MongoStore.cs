using MongoDB.Bson;
using MongoDB.Driver;

namespace Disclosure.Storage.Mongo;

/// <summary>
/// The production store. Every write is acknowledged by a journaled majority; an append is one
/// multi-document transaction (a replica set is required) that reads the head, checks the period, the
/// expected revision and the idempotency key, moves the <c>latest</c> flag and inserts the new revision.
/// Two appends racing for one head collide on a write conflict or a unique index; the loser retries on
/// a fresh snapshot and takes the next revision, which serialises them.
/// </summary>
public sealed partial class MongoStore : IDisclosureStore
{
    private static readonly TransactionOptions AppendTransaction = new(
        readConcern: ReadConcern.Snapshot,
        readPreference: ReadPreference.Primary,
        writeConcern: WriteConcern.WMajority.With(journal: true));

    private readonly IMongoClient client;
    private readonly MongoSettings settings;
    private readonly IMongoCollection<ReporterDocument> reporters;
    private readonly IMongoCollection<KeyDocument> keys;
    private readonly IMongoCollection<SubmissionDocument> submissions;
    private readonly IMongoCollection<PeriodDocument> periods;
    private readonly IMongoDatabase database;

    public MongoStore(IMongoClient client, string databaseName, MongoSettings settings)
    {
        MongoMapping.Register();
        this.client = client;
        this.settings = settings;
        database = client.GetDatabase(databaseName, new MongoDatabaseSettings
        {
            WriteConcern = WriteConcern.WMajority.With(journal: true),
            ReadConcern = ReadConcern.Majority,
            ReadPreference = ReadPreference.Primary,
        });
        reporters = database.GetCollection<ReporterDocument>("reporters");
        keys = database.GetCollection<KeyDocument>("keys");
        submissions = database.GetCollection<SubmissionDocument>("submissions");
        periods = database.GetCollection<PeriodDocument>("periods");
    }

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

    public async Task InitialiseAsync(CancellationToken ct)
    {
        await submissions.Indexes.CreateManyAsync(MongoQueries.SubmissionIndexes(), ct).ConfigureAwait(false);
        await keys.Indexes.CreateOneAsync(new CreateIndexModel<KeyDocument>(
            Builders<KeyDocument>.IndexKeys.Ascending(k => k.Hash), new CreateIndexOptions { Name = "hash", Unique = true }), cancellationToken: ct).ConfigureAwait(false);
        // Transactions cannot create collections on servers before 4.4, and creating them here keeps the
        // first append from paying for it.
        var existing = await (await database.ListCollectionNamesAsync(cancellationToken: ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
        foreach (var name in new[] { "reporters", "periods" }.Except(existing))
        {
            try { await database.CreateCollectionAsync(name, cancellationToken: ct).ConfigureAwait(false); }
            catch (MongoCommandException e) when (e.CodeName == "NamespaceExists") { /* another instance created it first */ }
        }
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            return false;
        }
    }

    // ---- reporters -------------------------------------------------------------------------------

    public async Task<CreateStatus> CreateReporterAsync(Reporter reporter, CancellationToken ct)
    {
        try
        {
            await reporters.InsertOneAsync(ReporterDocument.From(reporter with { CreatedAt = StoredForm.ToStoredTime(reporter.CreatedAt) }), cancellationToken: ct).ConfigureAwait(false);
            return CreateStatus.Created;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return CreateStatus.Duplicate;
        }
    }

    public async Task<Reporter?> GetReporterAsync(string id, CancellationToken ct) =>
        (await reporters.Find(Builders<ReporterDocument>.Filter.Eq(r => r.Id, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyList<Reporter>> ListReportersAsync(CancellationToken ct) =>
        [.. (await reporters.Find(Builders<ReporterDocument>.Filter.Empty).SortBy(r => r.Id).ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToDomain())];

    // ---- keys ------------------------------------------------------------------------------------

    public Task CreateKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        keys.InsertOneAsync(KeyDocument.From(key), cancellationToken: ct);

    public async Task<ApiKeyRecord?> FindKeyByHashAsync(string hash, CancellationToken ct) =>
        (await keys.Find(Builders<KeyDocument>.Filter.Eq(k => k.Hash, hash) & Builders<KeyDocument>.Filter.Eq(k => k.RevokedAt, null))
            .FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) =>
        [.. (await keys.Find(Builders<KeyDocument>.Filter.Empty).SortBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct).ConfigureAwait(false)).Select(k => k.ToDomain())];

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

    public Task SavePeriodAsync(PeriodSettings settings, CancellationToken ct)
    {
        var document = PeriodDocument.From(settings);
        return periods.ReplaceOneAsync(Builders<PeriodDocument>.Filter.Eq(p => p.Id, document.Id), document, new ReplaceOptions { IsUpsert = true }, ct);
    }

    // ---- submissions -----------------------------------------------------------------------------

    public async Task<AppendResult> AppendAsync(Submission submission, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct)
    {
        var stored = submission with
        {
            ReceivedAt = StoredForm.ToStoredTime(submission.ReceivedAt),
            Values = StoredForm.Normalise(submission.Values),
        };
        // The same limit as the embedded store, so that both accept exactly the same submissions.
        foreach (var v in stored.Values) StoredForm.ToHundredths(v.Value);

        for (var attempt = 1; ; attempt++)
        {
            using var session = await client.StartSessionAsync(cancellationToken: ct).ConfigureAwait(false);
            try
            {
                return await session.WithTransactionAsync(
                    (s, token) => AppendInTransactionAsync(s, stored, expectedRevision, idempotency, token),
                    AppendTransaction, ct).ConfigureAwait(false);
            }
            catch (MongoException e) when (LostRace(e) && attempt < settings.AppendAttempts)
            {
                // Jitter spreads the losers so that they do not collide again on the next head.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 50))), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// True when another append won the head first: a write conflict, or a duplicate on the head, revision
    /// or idempotency index. A duplicate <c>_id</c> is the caller reusing a submission id, which no retry mends.
    /// </summary>
    internal static bool LostRace(MongoException e) =>
        e.HasErrorLabel("TransientTransactionError")
        || e is MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey } w && !w.WriteError.Message.Contains("_id_", StringComparison.Ordinal)
        || e is MongoCommandException { Code: 112 }
        || e is MongoCommandException { Code: 11000 } c && !c.Message.Contains("_id_", StringComparison.Ordinal);

    private async Task<AppendResult> AppendInTransactionAsync(IClientSessionHandle session, Submission s, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct)
    {
        var head = await submissions.Find(session, MongoQueries.Head(s.ReporterId, s.CatalogueId, s.Period))
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var current = head?.Revision ?? 0;

        if (idempotency is not null)
        {
            var prior = await submissions.Find(session, MongoQueries.Idempotency(idempotency)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (prior is not null)
                return prior.Idempotency!.Hash == idempotency.RequestHash
                    ? new AppendResult(AppendStatus.Replayed, prior.ToDomain(), current)
                    : new AppendResult(AppendStatus.IdempotencyMismatch, null, current);
        }

        var period = await periods.Find(session, Builders<PeriodDocument>.Filter.Eq(p => p.Id, PeriodDocument.KeyOf(s.CatalogueId, s.Period)))
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (period?.Closed == true) return new AppendResult(AppendStatus.PeriodClosed, null, current);
        if (expectedRevision is { } expected && expected != current) return new AppendResult(AppendStatus.RevisionConflict, null, current);

        var reporter = await reporters.Find(session, Builders<ReporterDocument>.Filter.Eq(r => r.Id, s.ReporterId)).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Reporter '{s.ReporterId}' is not registered; the registry check should have refused the submission.");

        // The old head loses its flag before the new one is inserted: the unique head index allows one at a time.
        if (head is not null)
            await submissions.UpdateOneAsync(session,
                Builders<SubmissionDocument>.Filter.Eq(d => d.Id, head.Id) & Builders<SubmissionDocument>.Filter.Eq(d => d.Latest, true),
                Builders<SubmissionDocument>.Update.Set(d => d.Latest, false), cancellationToken: ct).ConfigureAwait(false);

        var revision = current + 1;
        await submissions.InsertOneAsync(session, SubmissionDocument.From(s, reporter.Kind, revision, idempotency), cancellationToken: ct).ConfigureAwait(false);
        return new AppendResult(AppendStatus.Created, s with { Revision = revision }, revision);
    }

    public async Task<Submission?> GetSubmissionAsync(Guid id, CancellationToken ct) =>
        (await submissions.Find(Builders<SubmissionDocument>.Filter.Eq(s => s.Id, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string reporterId, string catalogueId, string period, CancellationToken ct) =>
        [.. (await submissions.Find(MongoQueries.Revisions(reporterId, catalogueId, period)).SortBy(s => s.Revision)
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToDomain())];

    public async Task<IReadOnlyList<RevisionInfo>> ListLatestAsync(string catalogueId, IReadOnlyList<string> periods, CancellationToken ct) =>
        [.. (await submissions.Find(MongoQueries.Latest(catalogueId, periods)).SortBy(s => s.Period).ThenBy(s => s.ReporterId)
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToDomain())];

    public async Task<AggregateResult> AggregateAsync(AggregateQuery query, CancellationToken ct)
    {
        // A snapshot session: the heads and both pipelines see the same committed state.
        using var session = await client.StartSessionAsync(new ClientSessionOptions { Snapshot = true }, ct).ConfigureAwait(false);

        var heads = await submissions.Find(session, MongoQueries.Latest(query.CatalogueId, [query.Period, .. query.QuarterPeriods], query))
            .Project<RevisionDocument>(MongoQueries.RevisionOnly).ToListAsync(ct).ConfigureAwait(false);
        var withOwnHead = heads.Where(h => h.Period == query.Period).Select(h => h.ReporterId).Distinct(StringComparer.Ordinal).ToList();

        var cells = new Dictionary<(string Code, ReporterKind Kind), (decimal Sum, int Reporters)>();
        void Add(string code, ReporterKind kind, decimal sum, int count)
        {
            var before = cells.GetValueOrDefault((code, kind));
            cells[(code, kind)] = (before.Sum + sum, before.Reporters + count);
        }

        foreach (var row in await (await submissions.AggregateAsync(session, MongoQueries.OwnTotals(query), cancellationToken: ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false))
        {
            var id = row["_id"].AsBsonDocument;
            Add(id["code"].AsString, StoredForm.ParseKind(id["kind"].AsString), row["sum"].ToDecimal(), row["reporters"].ToInt32());
        }

        if (query.QuarterPeriods.Count > 0)
        {
            var rows = await (await submissions.AggregateAsync(session, MongoQueries.QuarterTotals(query, withOwnHead), cancellationToken: ct).ConfigureAwait(false))
                .ToListAsync(ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var id = row["_id"].AsBsonDocument;
                var code = id["code"].AsString;
                Add(code, StoredForm.ParseKind(id["kind"].AsString), row[query.StockCodes.Contains(code) ? "stock" : query.OpeningCodes.Contains(code) ? "opening" : "flow"].ToDecimal(), row["reporters"].ToInt32());
            }
        }

        return new AggregateResult(
            StoredForm.Ordered(cells.Select(c => new AggregateCell(c.Key.Code, c.Key.Kind, StoredForm.Normalise(c.Value.Sum), c.Value.Reporters))),
            StoredForm.Contributions(query.Period, heads.Select(h => (StoredForm.ParseKind(h.Kind), h.ToDomain()))));
    }
}
