namespace Disclosure.Storage.Sqlite;

/// <summary>
/// What an append checks and builds on — the reporter's head (its revision, kind, row and cells), whether the period is
/// closed, the reporter's kind — kept by the writer as its own transaction sees them, so that an append usually reads
/// nothing from the file before it writes. Reading them took a join and the head's cells parsed from JSON: about a
/// quarter of the single writer thread's time per append.
/// </summary>
/// <remarks>
/// Only the writer changes the file (it belongs to this process: <see cref="SqliteStore"/> holds its lock), so what is
/// kept here can only go stale through the writer itself: an append's head is kept with the append and dropped with
/// it; every other kind of write (reporters, periods, keys) empties the whole cache, as does a batch whose transaction
/// fails. A miss costs the one statement every append used to run. Bounded by <see cref="MaxHeads"/>.
/// </remarks>
internal sealed class SqliteHeads(int maxHeads = SqliteHeads.MaxHeads)
{
    /// <summary>
    /// Heads kept at most by default: about half a KB each for a full 2014 table (its values; the codes are shared while a
    /// reporter's tables keep the same ones), so ~5 MB, enough for 2 000 reporters' years and quarters. Past the bound the
    /// cache starts again empty.
    /// </summary>
    public const int MaxHeads = 10_000;

    /// <summary>A reporter's latest revision for a catalogue and period; <c>Seq</c> null when it has none yet.</summary>
    public sealed class Head(long? seq, int revision, string? kind, SqliteCells cells)
    {
        public long? Seq { get; private set; } = seq;
        public int Revision { get; private set; } = revision;
        public string? Kind { get; private set; } = kind;
        public SqliteCells Cells { get; } = cells;

        /// <summary>
        /// Becomes <paramref name="next"/> in place when both have the same codes array (which a kept head passes on to the
        /// next one), so that a resubmission leaves no garbage in the collector's oldest generation; false otherwise.
        /// </summary>
        public bool TryBecome(Head next)
        {
            if (Seq is null || !ReferenceEquals(Cells.Codes, next.Cells.Codes)) return false;
            next.Cells.Hundredths.CopyTo(Cells.Hundredths, 0);
            (Seq, Revision, Kind) = (next.Seq, next.Revision, next.Kind);
            return true;
        }
    }

    public static readonly Head None = new(null, 0, null, SqliteCells.Empty);

    private readonly Dictionary<(string Catalogue, string Period, string Reporter), Head> heads = [];
    private readonly Dictionary<(string Catalogue, string Period), bool> closed = [];
    private readonly Dictionary<string, string> kinds = new(StringComparer.Ordinal);
    private ((string, string, string) Key, Head Head)? pending;

    /// <summary>Everything an append to this reporter, catalogue and period checks, if all of it is known.</summary>
    public bool TryGet(string catalogue, string period, string reporter, out Head head, out bool periodClosed, out string? kind)
    {
        periodClosed = false;
        kind = null;
        return heads.TryGetValue((catalogue, period, reporter), out head!)
            && closed.TryGetValue((catalogue, period), out periodClosed)
            && kinds.TryGetValue(reporter, out kind);
    }

    /// <summary>What an append read from the file (before writing anything): true of the transaction whatever the append then does.</summary>
    public void Learn(string catalogue, string period, string reporter, Head head, bool periodClosed, string kind)
    {
        if (heads.Count >= maxHeads) heads.Clear();
        heads[(catalogue, period, reporter)] = head;
        closed[(catalogue, period)] = periodClosed;
        kinds[reporter] = kind;
    }

    /// <summary>The running append made <paramref name="head"/> the reporter's head; known once the append is kept.</summary>
    public void Replace(string catalogue, string period, string reporter, Head head) => pending = ((catalogue, period, reporter), head);

    /// <summary>The running append is kept.</summary>
    public void Keep()
    {
        if (pending is not { } p) return;
        pending = null;
        if (heads.TryGetValue(p.Key, out var kept) && kept.TryBecome(p.Head)) return;
        if (heads.Count >= maxHeads) heads.Clear();
        heads[p.Key] = p.Head;
    }

    /// <summary>The running append refused, or was rolled back to its savepoint.</summary>
    public void Discard() => pending = null;

    /// <summary>A write other than an append ran, or the batch's transaction was rolled back: nothing kept can be trusted.</summary>
    public void Clear()
    {
        heads.Clear();
        closed.Clear();
        kinds.Clear();
        pending = null;
    }

    public int Count => heads.Count;
}
