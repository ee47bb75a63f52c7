using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Disclosure.Storage.Mongo;

/// <summary>
/// What the database must hold for this build: the indexes by name and definition, and the schema version recorded in
/// the <c>meta</c> collection. Several pods may start at once, and an older one may still be running: every step is
/// idempotent, an index whose definition changed is dropped and created again by name, and the races between pods
/// (an index dropped or created by another one in between) settle to the same end.
/// </summary>
internal static class MongoSchema
{
    /// <summary>
    /// 2: the idempotency index keyed on <c>idempotency.key</c>'s presence; period documents count appends. 3: reporters' names
    /// normalised and unique (the index <see cref="ReporterNameIndex"/>). 4: a closed period's reporters' names
    /// (<see cref="NameClosedPeriodsAsync"/>).
    /// </summary>
    public const int Version = 4;

    /// <summary>No two reporters share a name (kept normalised: <see cref="Reporter.NormaliseName"/>), retired ones included.</summary>
    public const string ReporterNameIndex = "name";

    public const string MetaCollection = "meta";

    /// <summary>An index as the server lists it, reduced to what decides whether it is the one wanted.</summary>
    public sealed record IndexSpec(string Name, BsonDocument Keys, bool Unique, BsonDocument? PartialFilter)
    {
        public static IndexSpec FromListed(BsonDocument listed) => new(
            listed["name"].AsString, listed["key"].AsBsonDocument,
            listed.TryGetValue("unique", out var unique) && unique.ToBoolean(),
            listed.TryGetValue("partialFilterExpression", out var partial) ? partial.AsBsonDocument : null);

        public bool SameDefinition(IndexSpec other) =>
            Keys.Equals(other.Keys) && Unique == other.Unique && Equals(PartialFilter, other.PartialFilter);
    }

    /// <summary>The submission indexes this build wants, rendered as the server will list them.</summary>
    public static IReadOnlyList<IndexSpec> Wanted() =>
    [
        .. MongoQueries.SubmissionIndexes().Select(model =>
        {
            var args = new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry);
            var partial = (model.Options as CreateIndexOptions<SubmissionDocument>)?.PartialFilterExpression?.Render(args);
            return new IndexSpec(model.Options.Name, model.Keys.Render(args), model.Options.Unique == true, partial);
        }),
    ];

    /// <summary>The names of existing indexes to drop before the wanted ones are created: those whose definition changed.</summary>
    public static IReadOnlyList<string> ToDrop(IEnumerable<IndexSpec> existing, IEnumerable<IndexSpec> wanted)
    {
        var byName = wanted.ToDictionary(w => w.Name, StringComparer.Ordinal);
        return [.. existing.Where(e => byName.TryGetValue(e.Name, out var w) && !w.SameDefinition(e)).Select(e => e.Name)];
    }

    /// <summary>
    /// Normalises reporters' names and tells apart those a build before this one let two reporters share (<see cref="UniqueNames"/>),
    /// then creates the unique index on the name. Every pod starting computes the same renames, so they settle to the same end;
    /// a pod of the build before that registers a shared name in between fails the index, and the pass runs again.
    /// </summary>
    /// <returns>The reporters this pass renamed (another pod's renames are not among them).</returns>
    public static async Task<IReadOnlyList<ReporterRename>> UniqueReporterNamesAsync(IMongoCollection<ReporterDocument> reporters, CancellationToken ct)
    {
        var renamed = new List<ReporterRename>();
        var index = new CreateIndexModel<ReporterDocument>(Builders<ReporterDocument>.IndexKeys.Ascending(r => r.Name),
            new CreateIndexOptions { Name = ReporterNameIndex, Unique = true });
        for (var attempt = 1; ; attempt++)
        {
            var all = await reporters.Find(Builders<ReporterDocument>.Filter.Empty).ToListAsync(ct).ConfigureAwait(false);
            foreach (var rename in UniqueNames.Renamed([.. all.Select(r => r.ToDomain())]))
            {
                // Counted as a rename, so that the store's version moves and exports print the new name. Matched on the name read
                // too, so that a rename another pod made in between is not reported as this one's.
                var result = await reporters.UpdateOneAsync(
                    Builders<ReporterDocument>.Filter.Eq(r => r.Id, rename.Id) & Builders<ReporterDocument>.Filter.Eq(r => r.Name, rename.OldName),
                    Builders<ReporterDocument>.Update.Set(r => r.Name, rename.NewName).Inc(r => r.Changes, 1), cancellationToken: ct).ConfigureAwait(false);
                if (result.ModifiedCount == 1) renamed.Add(rename);
            }
            try
            {
                await reporters.Indexes.CreateOneAsync(index, cancellationToken: ct).ConfigureAwait(false);
                return renamed;
            }
            catch (MongoCommandException e) when (e.Code == 11000 && attempt < 3) { /* a shared name registered meanwhile: tell them apart again */ }
            catch (MongoCommandException e) when (IsIndexRace(e)) { return renamed; /* another pod created it */ }
        }
    }

    /// <summary>IndexNotFound (27), IndexOptionsConflict (85), IndexKeySpecsConflict (86): another pod got there first.</summary>
    public static bool IsIndexRace(MongoCommandException e) => e.Code is 27 or 85 or 86;

    /// <summary>The periods closed without the names they were closed with (<see cref="NameClosedPeriodsAsync"/>).</summary>
    public static FilterDefinition<PeriodDocument> ClosedWithoutNames =>
        Builders<PeriodDocument>.Filter.Eq(p => p.Closed, true) & Builders<PeriodDocument>.Filter.Exists(p => p.ReporterNames, false);

    /// <summary>
    /// Periods closed by a build before version 4 recorded no names: they keep those the reporters have now, the nearest to the
    /// names they were closed with that is known, so that a rename from then on leaves them as they are. Every pod starting
    /// writes the same names, and a period named already is left alone.
    /// </summary>
    public static async Task NameClosedPeriodsAsync(IMongoCollection<ReporterDocument> reporters, IMongoCollection<PeriodDocument> periods, CancellationToken ct)
    {
        if (await periods.Find(ClosedWithoutNames).AnyAsync(ct).ConfigureAwait(false) is false) return;
        var names = ReporterNameDocument.Of(await reporters.Find(Builders<ReporterDocument>.Filter.Empty).ToListAsync(ct).ConfigureAwait(false));
        await periods.UpdateManyAsync(ClosedWithoutNames, Builders<PeriodDocument>.Update.Set(p => p.ReporterNames, names).Inc(p => p.Changes, 1),
            cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Why this build may not open a database whose <c>meta</c> schema document is <paramref name="schema"/> (null: none yet), or
    /// null when it may. A newer build's database is refused, as SQLite refuses a newer file: migrating it, this build would drop
    /// the newer build's indexes of a changed definition for its own (<see cref="ToDrop"/>), and each build starting during a
    /// rollback or a mixed rolling deploy would drop the other's again, leaving the unique ones unenforced while they are rebuilt.
    /// </summary>
    public static string? NewerSchemaRefusal(BsonDocument? schema, string database) =>
        schema?.GetValue("version", 0).ToInt32() is > Version and var stored
            ? $"The MongoDB database '{database}' has schema version {stored}; this build reads up to {Version}. Run the newer build, or restore a backup taken before it."
            : null;

    /// <summary>
    /// Brings the submission indexes to <see cref="Wanted"/>, makes reporters' names unique (<see cref="UniqueReporterNamesAsync"/>),
    /// names the periods closed before names were recorded (<see cref="NameClosedPeriodsAsync"/>) and records <see cref="Version"/>
    /// (never lowering it); refuses, before any of it, a database of a newer build (<see cref="NewerSchemaRefusal"/>).
    /// </summary>
    /// <returns>The reporters renamed (<see cref="UniqueReporterNamesAsync"/>).</returns>
    public static async Task<IReadOnlyList<ReporterRename>> MigrateAsync(IMongoDatabase database, IMongoCollection<SubmissionDocument> submissions,
        IMongoCollection<ReporterDocument> reporters, IMongoCollection<PeriodDocument> periods, CancellationToken ct)
    {
        var schema = await database.GetCollection<BsonDocument>(MetaCollection).Find(new BsonDocument("_id", "schema")).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (NewerSchemaRefusal(schema, database.DatabaseNamespace.DatabaseName) is { } refusal) throw new StoreStartException(refusal);
        var renamed = await UniqueReporterNamesAsync(reporters, ct).ConfigureAwait(false);
        await NameClosedPeriodsAsync(reporters, periods, ct).ConfigureAwait(false);
        // A period closed by an earlier build: the close it is closed by is the first known (PeriodSettings.FirstClosedAt).
        await periods.UpdateManyAsync(Builders<PeriodDocument>.Filter.Eq(p => p.Closed, true) & Builders<PeriodDocument>.Filter.Exists(p => p.FirstClosedAt, false),
            new PipelineUpdateDefinition<PeriodDocument>(new BsonDocument[] { new("$set", new BsonDocument("firstClosedAt", "$closedAt")) }), cancellationToken: ct).ConfigureAwait(false);
        var listed = await (await submissions.Indexes.ListAsync(ct).ConfigureAwait(false)).ToListAsync(ct).ConfigureAwait(false);
        foreach (var name in ToDrop(listed.Select(IndexSpec.FromListed), Wanted()))
        {
            try { await submissions.Indexes.DropOneAsync(name, ct).ConfigureAwait(false); }
            catch (MongoCommandException e) when (IsIndexRace(e)) { /* dropped by another pod */ }
        }
        try { await submissions.Indexes.CreateManyAsync(MongoQueries.SubmissionIndexes(), ct).ConfigureAwait(false); }
        catch (MongoCommandException e) when (IsIndexRace(e)) { /* an older pod recreated its definition; the next start of this build moves it again */ }
        await database.GetCollection<BsonDocument>(MetaCollection).UpdateOneAsync(
            new BsonDocument("_id", "schema"), new BsonDocument("$max", new BsonDocument("version", Version)),
            new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        return renamed;
    }
}
