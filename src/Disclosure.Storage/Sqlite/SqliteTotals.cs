namespace Disclosure.Storage.Sqlite;

/// <summary>
/// What the appends of one group commit change in <c>totals</c>, added up per cell so that the batch writes each
/// touched cell once instead of each append writing all of its cells. An append's changes are pending until the
/// writer knows whether the append is kept; only kept appends reach the batch's sums.
/// </summary>
/// <remarks>
/// This runs on the single writer thread for every cell of every append, so the sums are grouped by catalogue,
/// period and kind (looked up once per append) and then by code, and pending changes are a plain list.
/// </remarks>
internal sealed class SqliteTotals
{
    private readonly List<(Dictionary<string, Change> Group, string Code, Change Change)> pending = [];
    private readonly Dictionary<(string Catalogue, string Period, string Kind), Dictionary<string, Change>> batch = [];

    private readonly record struct Change(long Hundredths, int Reporters);

    /// <summary>Moves a reporter's head from <paramref name="before"/> to <paramref name="after"/> (either may be empty).</summary>
    public void Replace(string catalogue, string period, string? beforeKind, SqliteCells before, string afterKind, SqliteCells after)
    {
        // A resubmission usually repeats the table's codes in the same order and corrects a few values: only the
        // cells that changed are pending then, not every cell out and in again.
        if (beforeKind == afterKind && before.SameCodes(after))
        {
            var group = Group(catalogue, period, afterKind);
            for (var i = 0; i < after.Count; i++)
                if (after.Hundredths[i] != before.Hundredths[i])
                    pending.Add((group, after.Codes[i], new Change(after.Hundredths[i] - before.Hundredths[i], 0)));
            return;
        }
        if (beforeKind is not null && before.Count > 0)
        {
            var group = Group(catalogue, period, beforeKind);
            for (var i = 0; i < before.Count; i++) pending.Add((group, before.Codes[i], new Change(-before.Hundredths[i], -1)));
        }
        if (after.Count > 0)
        {
            var group = Group(catalogue, period, afterKind);
            for (var i = 0; i < after.Count; i++) pending.Add((group, after.Codes[i], new Change(after.Hundredths[i], 1)));
        }
    }

    private Dictionary<string, Change> Group(string catalogue, string period, string kind)
    {
        if (!batch.TryGetValue((catalogue, period, kind), out var group))
            batch[(catalogue, period, kind)] = group = new Dictionary<string, Change>(StringComparer.Ordinal);
        return group;
    }

    /// <summary>The running append is kept: its changes join the batch.</summary>
    public void Keep()
    {
        foreach (var (group, code, change) in pending)
        {
            ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(group, code, out _);
            sum = new Change(sum.Hundredths + change.Hundredths, sum.Reporters + change.Reporters);
        }
        pending.Clear();
    }

    /// <summary>The running append refused, or was rolled back to its savepoint: its changes go with it.</summary>
    public void Discard() => pending.Clear();

    /// <summary>
    /// Writes the batch's sums inside its transaction, before COMMIT. A cell whose changes cancel out (a resubmission
    /// that repeats a value) is not written at all; a cell that no reporter gives any more is deleted.
    /// </summary>
    /// <remarks>
    /// Totals that do not hold what the heads say (a row missing, a count that would fall below zero — only something
    /// outside this writer, such as an older build or a hand edit, can cause that) would fail every batch touching the
    /// cell. Instead the catalogue and period are computed afresh from the heads, which this transaction already holds.
    /// </remarks>
    public void Write(SqliteWriter writer)
    {
        HashSet<(string Catalogue, string Period)>? rebuild = null;
        foreach (var ((catalogue, period, kind), group) in batch)
        {
            if (rebuild?.Contains((catalogue, period)) == true) continue;
            try
            {
                foreach (var (code, change) in group) Write(writer, catalogue, period, kind, code, change);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or TotalsDrift)
            {
                (rebuild ??= []).Add((catalogue, period));
            }
        }
        foreach (var (catalogue, period) in rebuild ?? []) Compute(writer.Connection, catalogue, period);
        batch.Clear();
    }

    /// <summary>
    /// Computes totals afresh from the heads, inside the caller's transaction: one catalogue and period, or (both null)
    /// the whole file, as a migrated file needs.
    /// </summary>
    public static void Compute(Microsoft.Data.Sqlite.SqliteConnection connection, string? catalogue, string? period)
    {
        using (var drop = Sql.Create(connection, SqliteSchema.DropTotals, catalogue, period)) drop.ExecuteNonQuery();
        using (var compute = Sql.Create(connection, SqliteSchema.ComputeTotals, catalogue, period)) compute.ExecuteNonQuery();
    }

    private static void Write(SqliteWriter writer, string catalogue, string period, string kind, string code, Change change)
    {
        if (change is { Hundredths: 0, Reporters: 0 }) return;
        if (change.Reporters >= 0)
        {
            writer.Command(SqliteSchema.AddToTotal, catalogue, period, code, kind, change.Hundredths, change.Reporters).ExecuteNonQuery();
            return;
        }
        var reporters = writer.Command(SqliteSchema.TakeFromTotal, change.Hundredths, change.Reporters, catalogue, period, code, kind).ExecuteScalar()
            ?? throw new TotalsDrift();
        if ((long)reporters == 0) writer.Command(SqliteSchema.DropTotal, catalogue, period, code, kind).ExecuteNonQuery();
    }

    private sealed class TotalsDrift : Exception;

    /// <summary>The batch's transaction was rolled back: nothing of it reached the file, so nothing of it is kept.</summary>
    public void Reset()
    {
        pending.Clear();
        batch.Clear();
    }
}
