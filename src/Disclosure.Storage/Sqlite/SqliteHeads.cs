namespace Disclosure.Storage.Sqlite;

/// <summary>
/// What an append checks and builds on — the reporter's head (revision, kind, cells, whether the office returned it), whether
/// the period is closed or reopened after its publication, the reporter's kind and whether it is retired for the period — kept by the writer as its own transaction
/// sees it, so that an append to a known head reads nothing from the file before it writes. Only the writer changes the file
/// (the file belongs to this process), so an entry can only go stale through the writer itself: an append's entry is replaced
/// when the append is kept; a review forgets the entry of the table it reviewed; every other kind of write, and every batch
/// that fails, empties the whole cache. Entries are never changed once made.
/// </summary>
internal sealed class SqliteHeads
{
    private const int MaxEntries = 10_000;

    /// <summary>
    /// A reporter's latest revision of a table (revision 0 and no kind when it has none) and what the append checks;
    /// <paramref name="HeadReturned"/>: the office returned that revision (退回), which lets its correction into a closed period;
    /// <paramref name="ReopenedFirstClosedAt"/>: <see cref="AppendResult.ReopenedFirstClosedAt"/>.
    /// </summary>
    public sealed record Entry(int Revision, string? HeadKind, IReadOnlyList<StoredCell> Cells, bool PeriodClosed, string ReporterKind, bool ReporterRetired,
        bool HeadReturned, DateTimeOffset? ReopenedFirstClosedAt);

    private readonly Dictionary<(string Catalogue, string Period, string Reporter), Entry> entries = [];
    private ((string, string, string) Key, Entry Entry)? pending;

    public bool TryGet(string catalogue, string period, string reporter, out Entry entry) =>
        entries.TryGetValue((catalogue, period, reporter), out entry!);

    /// <summary>What an append read from the file before writing anything: true of the transaction whatever the append does.</summary>
    public void Learn(string catalogue, string period, string reporter, Entry entry) => Put((catalogue, period, reporter), entry);

    /// <summary>The running append made <paramref name="entry"/> the head; known once the append is kept.</summary>
    public void Replace(string catalogue, string period, string reporter, Entry entry) => pending = ((catalogue, period, reporter), entry);

    /// <summary>A review changed whether the head is returned: the next append reads it from the transaction again.</summary>
    public void Forget(string catalogue, string period, string reporter) => entries.Remove((catalogue, period, reporter));

    public void Keep()
    {
        if (pending is { } p) Put(p.Key, p.Entry);
        pending = null;
    }

    public void Discard() => pending = null;

    public void Clear()
    {
        entries.Clear();
        pending = null;
    }

    private void Put((string, string, string) key, Entry entry)
    {
        if (entries.Count >= MaxEntries) entries.Clear();
        entries[key] = entry;
    }
}
