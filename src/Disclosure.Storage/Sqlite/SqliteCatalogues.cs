namespace Disclosure.Storage.Sqlite;

// The catalogue store of the embedded adapter, apart from the submission path it shares nothing with.
public sealed partial class SqliteStore
{
    public Task<CatalogueSaveStatus> SaveCatalogueAsync(StoredCatalogue catalogue, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            var inserted = w.Command(
                "INSERT INTO catalogues (id, document, saved_at) VALUES ($id, $document, $at) ON CONFLICT (id) DO NOTHING",
                catalogue.Id, catalogue.Document, catalogue.SavedAt.ToUnixTimeMilliseconds()).ExecuteNonQuery();
            if (inserted == 1) return (CatalogueSaveStatus.Created, true);
            var stored = (string)w.Command("SELECT document FROM catalogues WHERE id = $id", catalogue.Id).ExecuteScalar()!;
            return (string.Equals(stored, catalogue.Document, StringComparison.Ordinal) ? CatalogueSaveStatus.Unchanged : CatalogueSaveStatus.Conflict, false);
        }, ct);

    public async Task<StoredCatalogue?> GetCatalogueAsync(string id, CancellationToken ct) =>
        (await QueryAsync("SELECT id, document, saved_at FROM catalogues WHERE id = $id", [id], ReadCatalogue, ct).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<StoredCatalogue>> ListCataloguesAsync(CancellationToken ct) =>
        QueryAsync("SELECT id, document, saved_at FROM catalogues ORDER BY id", [], ReadCatalogue, ct);

    private static StoredCatalogue ReadCatalogue(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), Time(r.GetInt64(2)));
}
