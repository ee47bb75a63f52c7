using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace Disclosure.Storage.Mongo;

// The catalogue store of the MongoDB adapter: one document per catalogue, its id the _id, so the unique _id index
// decides a race between two instances saving the same id.
public sealed partial class MongoStore
{
    private IMongoCollection<StoredCatalogueDocument> Catalogues => database.GetCollection<StoredCatalogueDocument>("catalogues");

    public async Task<CatalogueSaveStatus> SaveCatalogueAsync(StoredCatalogue catalogue, CancellationToken ct)
    {
        using var session = await RefusableWriteSessionAsync(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Catalogues.InsertOneAsync(session, StoredCatalogueDocument.From(catalogue), cancellationToken: ct).ConfigureAwait(false);
                return CatalogueSaveStatus.Created;
            }
            catch (MongoWriteException e) when (IsDuplicateKey(e))
            {
                // Read in the refused insert's session: the catalogue that holds the id, once a majority has it (RefusableWriteSessionAsync).
                var stored = (await Catalogues.Find(session, Builders<StoredCatalogueDocument>.Filter.Eq(c => c.Id, catalogue.Id), AfterRefusal)
                    .FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();
                // None: the insert that held the id was lost in a failover, so the id is free again.
                if (stored is null && attempt < 3) continue;
                return stored is not null && string.Equals(stored.Document, catalogue.Document, StringComparison.Ordinal)
                    ? CatalogueSaveStatus.Unchanged : CatalogueSaveStatus.Conflict;
            }
        }
    }

    public async Task<StoredCatalogue?> GetCatalogueAsync(string id, CancellationToken ct) =>
        (await Catalogues.Find(Builders<StoredCatalogueDocument>.Filter.Eq(c => c.Id, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false))?.ToDomain();

    public async Task<IReadOnlyList<StoredCatalogue>> ListCataloguesAsync(CancellationToken ct) =>
        [.. (await Catalogues.Find(Builders<StoredCatalogueDocument>.Filter.Empty).SortBy(c => c.Id).ToListAsync(ct).ConfigureAwait(false)).Select(c => c.ToDomain())];
}

/// <summary>A stored catalogue: its JSON kept as the accepted text, so both adapters return it byte for byte.</summary>
internal sealed class StoredCatalogueDocument
{
    [BsonId] public string Id { get; set; } = "";
    [BsonElement("document")] public string Document { get; set; } = "";
    [BsonElement("savedAt")] public DateTime SavedAt { get; set; }

    public static StoredCatalogueDocument From(StoredCatalogue c) => new() { Id = c.Id, Document = c.Document, SavedAt = c.SavedAt.UtcDateTime };

    public StoredCatalogue ToDomain() => new(Id, Document, ReporterDocument.Utc(SavedAt));
}
