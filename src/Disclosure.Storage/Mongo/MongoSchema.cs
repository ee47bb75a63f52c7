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
    /// <summary>2: the idempotency index keyed on <c>idempotency.key</c>'s presence; period documents count appends.</summary>
    public const int Version = 2;

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

    /// <summary>IndexNotFound (27), IndexOptionsConflict (85), IndexKeySpecsConflict (86): another pod got there first.</summary>
    public static bool IsIndexRace(MongoCommandException e) => e.Code is 27 or 85 or 86;

    /// <summary>Brings the submission indexes to <see cref="Wanted"/> and records <see cref="Version"/> (never lowering it).</summary>
    public static async Task MigrateAsync(IMongoDatabase database, IMongoCollection<SubmissionDocument> submissions, CancellationToken ct)
    {
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
    }
}
