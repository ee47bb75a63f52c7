using MongoDB.Bson;
using MongoDB.Driver;

namespace Disclosure.Storage.Mongo;

/// <summary>
/// The filters and pipelines the store runs, built apart from it so that tests render them without a
/// server. Client strings only ever enter through typed filter builders, as values: a reporter id of
/// <c>{"$ne": null}</c> or <c>"$kind"</c> stays a string compared for equality. The hand-written stages after
/// <c>$match</c> name constant fields only.
/// </summary>
internal static class MongoQueries
{
    private static FilterDefinitionBuilder<SubmissionDocument> F => Builders<SubmissionDocument>.Filter;

    /// <summary>
    /// A period's settings written over the stored ones (<see cref="PeriodDocument"/> as <c>SavePeriodAsync</c> completes it): its
    /// names with a closed period, removed with an open one; its count of changes and its settings' version moved on; the time it
    /// was first closed kept, or set by its first close.
    /// </summary>
    public static UpdateDefinition<PeriodDocument> SavePeriod(PeriodDocument document)
    {
        var update = (document.Closed && document.ClosedAt is { } closedAt ? Builders<PeriodDocument>.Update.Min(p => p.FirstClosedAt, closedAt) : Builders<PeriodDocument>.Update.Combine())
            .Set(p => p.Closed, document.Closed).Set(p => p.ClosedAt, document.ClosedAt).Set(p => p.Deadline, document.Deadline)
            .Set(p => p.ExpectedReporters, document.ExpectedReporters).Inc(p => p.Changes, 1).Inc(p => p.SettingsVersion, 1);
        return document.ReporterNames is { } names ? update.Set(p => p.ReporterNames, names) : update.Unset(p => p.ReporterNames);
    }

    /// <summary>
    /// The period's document, and with <paramref name="expectedVersion"/> only while its settings are of that version: 0 also where the
    /// field is absent (a document an append made, or one written before the field came in). Upserted, a filter that finds the
    /// document of another version inserts one of the same id, which the id's index refuses: nothing is written.
    /// </summary>
    public static FilterDefinition<PeriodDocument> PeriodAt(PeriodKey id, int? expectedVersion)
    {
        var f = Builders<PeriodDocument>.Filter;
        return expectedVersion switch
        {
            null => f.Eq(p => p.Id, id),
            0 => f.Eq(p => p.Id, id) & (f.Eq(p => p.SettingsVersion, 0) | f.Exists(p => p.SettingsVersion, false)),
            { } version => f.Eq(p => p.Id, id) & f.Eq(p => p.SettingsVersion, version),
        };
    }

    /// <summary>The latest of <see cref="Revisions"/>.</summary>
    public static FilterDefinition<SubmissionDocument> Head(string reporterId, string catalogueId, string period) =>
        Revisions(reporterId, catalogueId, period) & F.Eq(s => s.Latest, true);

    /// <summary>
    /// The submissions of these ids, each once, in one <c>$in</c> on the id index. Not cut in parts: a district's thousands of
    /// ids are some tens of kilobytes of a command that may hold 16 MB.
    /// </summary>
    public static FilterDefinition<SubmissionDocument> ByIds(IEnumerable<Guid> ids) => F.In(s => s.Id, ids.Distinct());

    public static FilterDefinition<SubmissionDocument> Idempotency(IdempotencyToken token) =>
        F.Eq(s => s.Idempotency!.Scope, token.Scope) & F.Eq(s => s.Idempotency!.Key, token.Key);

    public static FilterDefinition<SubmissionDocument> Revisions(string reporterId, string catalogueId, string period) =>
        F.Eq(s => s.ReporterId, reporterId) & F.Eq(s => s.CatalogueId, catalogueId) & F.Eq(s => s.Period, period);

    /// <summary>The heads of a catalogue for some periods, narrowed by the query's reporter and kind filters.</summary>
    public static FilterDefinition<SubmissionDocument> Latest(string catalogueId, IEnumerable<string> periods, AggregateQuery? scope = null)
    {
        var filter = F.Eq(s => s.CatalogueId, catalogueId) & F.In(s => s.Period, periods) & F.Eq(s => s.Latest, true);
        if (scope?.Reporters is { } reporters) filter &= F.In(s => s.ReporterId, reporters);
        if (scope?.Kind is { } kind) filter &= F.Eq(s => s.Kind, StoredForm.Name(kind));
        return filter;
    }

    /// <summary>Reporters' own submissions for the period: each value summed by code and kind, counting reporters.</summary>
    public static PipelineDefinition<SubmissionDocument, BsonDocument> OwnTotals(AggregateQuery query) =>
        new EmptyPipelineDefinition<SubmissionDocument>()
            .Match(Latest(query.CatalogueId, [query.Period], query))
            .AppendStage<SubmissionDocument, SubmissionDocument, BsonDocument>(new BsonDocument("$unwind", "$values"))
            .AppendStage<SubmissionDocument, BsonDocument, BsonDocument>(new BsonDocument("$group", new BsonDocument
            {
                { "_id", new BsonDocument { { "code", "$values.code" }, { "kind", "$kind" } } },
                { "sum", new BsonDocument("$sum", "$values.value") },
                { "reporters", new BsonDocument("$sum", 1) },
            }));

    /// <summary>
    /// A year's flows from the quarters of reporters without a yearly head (<paramref name="withOwnHead"/> are left out): per
    /// code and kind, the sum of the quarters and how many reporters (not quarters) gave it. Stock and opening codes are left to
    /// <see cref="QuarterBalances"/>.
    /// </summary>
    public static PipelineDefinition<SubmissionDocument, BsonDocument> QuarterTotals(AggregateQuery query, IReadOnlyCollection<string> withOwnHead)
    {
        var pipeline = new EmptyPipelineDefinition<SubmissionDocument>()
            .Match(QuarterHeads(query, withOwnHead))
            .AppendStage<SubmissionDocument, SubmissionDocument, BsonDocument>(new BsonDocument("$unwind", "$values"));
        if (Balances(query) is { Count: > 0 } balances)
            pipeline = pipeline.AppendStage<SubmissionDocument, BsonDocument, BsonDocument>(new BsonDocument("$match",
                new BsonDocument("values.code", new BsonDocument("$nin", balances))));
        return pipeline
            .AppendStage<SubmissionDocument, BsonDocument, BsonDocument>(new BsonDocument("$group", new BsonDocument
            {
                { "_id", new BsonDocument { { "reporter", "$reporter" }, { "code", "$values.code" }, { "kind", "$kind" } } },
                { "flow", new BsonDocument("$sum", "$values.value") },
            }))
            // Then per code: a reporter's several quarters count it once, as SQLite counts it.
            .AppendStage<SubmissionDocument, BsonDocument, BsonDocument>(new BsonDocument("$group", new BsonDocument
            {
                { "_id", new BsonDocument { { "code", "$_id.code" }, { "kind", "$_id.kind" } } },
                { "flow", new BsonDocument("$sum", "$flow") },
                { "reporters", new BsonDocument("$sum", 1) },
            }));
    }

    /// <summary>
    /// The stock and opening figures of the same quarters as they are, one document per reporter, quarter and code
    /// (<c>reporter</c>, <c>kind</c>, <c>period</c>, <c>code</c>, <c>value</c>): which quarter a year takes a figure from depends on
    /// the rest of its group, so the store reads the year from them by the catalogue's rule (<see cref="StoredForm.YearFromQuarters"/>),
    /// as SQLite does. A few cells per quarter, where the flows are many.
    /// </summary>
    public static PipelineDefinition<SubmissionDocument, BsonDocument> QuarterBalances(AggregateQuery query, IReadOnlyCollection<string> withOwnHead) =>
        new EmptyPipelineDefinition<SubmissionDocument>()
            .Match(QuarterHeads(query, withOwnHead))
            .AppendStage<SubmissionDocument, SubmissionDocument, BsonDocument>(new BsonDocument("$unwind", "$values"))
            .AppendStage<SubmissionDocument, BsonDocument, BsonDocument>(new BsonDocument("$match",
                new BsonDocument("values.code", new BsonDocument("$in", Balances(query)))))
            .AppendStage<SubmissionDocument, BsonDocument, BsonDocument>(new BsonDocument("$project", new BsonDocument
            {
                { "_id", 0 }, { "reporter", 1 }, { "kind", 1 }, { "period", 1 }, { "code", "$values.code" }, { "value", "$values.value" },
            }));

    private static FilterDefinition<SubmissionDocument> QuarterHeads(AggregateQuery query, IReadOnlyCollection<string> withOwnHead)
    {
        var filter = Latest(query.CatalogueId, query.QuarterPeriods, query);
        if (withOwnHead.Count > 0) filter &= F.Nin(s => s.ReporterId, withOwnHead);
        return filter;
    }

    /// <summary>The stock and opening codes, sorted so that a pipeline renders the same each time.</summary>
    private static BsonArray Balances(AggregateQuery query) =>
        new(query.StockCodes.Concat(query.OpeningCodes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public static ProjectionDefinition<SubmissionDocument> RevisionOnly =>
        Builders<SubmissionDocument>.Projection
            .Include(s => s.Id).Include(s => s.ReporterId).Include(s => s.Kind).Include(s => s.CatalogueId)
            .Include(s => s.Period).Include(s => s.Revision).Include(s => s.ReceivedAt).Include(s => s.SentAt).Include(s => s.SubmittedByKey)
            .Include(s => s.Review).Include(s => s.Note);

    /// <summary>A head's revision and its values, without its warnings and idempotency token.</summary>
    public static ProjectionDefinition<SubmissionDocument> RevisionAndValues => RevisionOnly.Include(s => s.Values);

    public static IEnumerable<CreateIndexModel<SubmissionDocument>> SubmissionIndexes()
    {
        var keys = Builders<SubmissionDocument>.IndexKeys;
        yield return new(keys.Ascending(s => s.ReporterId).Ascending(s => s.CatalogueId).Ascending(s => s.Period).Ascending(s => s.Revision),
            new CreateIndexOptions { Name = "revision", Unique = true });
        // One head per reporter, catalogue and period; racing first revisions collide here. Catalogue and
        // period lead so that aggregates and latest-lists use it too.
        yield return new(keys.Ascending(s => s.CatalogueId).Ascending(s => s.Period).Ascending(s => s.ReporterId),
            new CreateIndexOptions<SubmissionDocument> { Name = "head", Unique = true, PartialFilterExpression = Builders<SubmissionDocument>.Filter.Eq(s => s.Latest, true) });
        yield return new(keys.Ascending(s => s.Idempotency!.Scope).Ascending(s => s.Idempotency!.Key),
            // The partial filter names the path the lookup filters on, so that the planner can choose this index for it.
            new CreateIndexOptions<SubmissionDocument> { Name = "idempotency", Unique = true, PartialFilterExpression = Builders<SubmissionDocument>.Filter.Exists(s => s.Idempotency!.Key) });
    }
}
