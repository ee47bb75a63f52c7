using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// What the appends of one group commit change in <c>totals</c>, added up per cell so that the batch writes each
/// touched cell once instead of each append writing all of its cells. An append's changes are pending until the
/// writer knows whether the append is kept; only kept appends reach the batch's sums. Amounts are exact decimals,
/// added here rather than in SQL (SQLite's arithmetic is integer or floating point).
/// </summary>
internal sealed class SqliteTotals
{
    private readonly List<(Key Key, Change Change)> pending = [];
    private readonly Dictionary<Key, Change> batch = [];

    private readonly record struct Key(string Catalogue, string Period, string Kind, string Code);

    private readonly record struct Change(decimal Amount, int Reporters);

    /// <summary>Moves a reporter's head from <paramref name="before"/> to <paramref name="after"/> (either may be empty).</summary>
    public void Replace(string catalogue, string period, string? beforeKind, IReadOnlyList<StoredCell> before, string afterKind, IReadOnlyList<StoredCell> after)
    {
        // A resubmission by a reporter of the same kind changes only the cells whose value differs; a reporter whose kind
        // changed moves all of its cells from one kind's totals to the other's.
        if (beforeKind == afterKind && before.Count == after.Count && Enumerable.Range(0, after.Count).All(i => before[i].Code == after[i].Code))
        {
            // The same cells in the same order, as a correction nearly always gives.
            for (var i = 0; i < after.Count; i++)
                if (after[i].Value != before[i].Value)
                    pending.Add((new Key(catalogue, period, afterKind, after[i].Code), new Change(after[i].Value - before[i].Value, 0)));
            return;
        }
        var old = beforeKind == afterKind ? before.ToDictionary(c => c.Code, c => c.Value, StringComparer.Ordinal) : [];
        if (beforeKind is not null && beforeKind != afterKind)
            foreach (var (code, value) in before) pending.Add((new Key(catalogue, period, beforeKind, code), new Change(-value, -1)));
        foreach (var (code, value) in after)
        {
            if (!old.Remove(code, out var was)) pending.Add((new Key(catalogue, period, afterKind, code), new Change(value, 1)));
            else if (was != value) pending.Add((new Key(catalogue, period, afterKind, code), new Change(value - was, 0)));
        }
        foreach (var (code, value) in old) pending.Add((new Key(catalogue, period, afterKind, code), new Change(-value, -1)));
    }

    /// <summary>The running append is kept: its changes join the batch.</summary>
    public void Keep()
    {
        foreach (var (key, change) in pending)
        {
            var sum = batch.GetValueOrDefault(key);
            batch[key] = new Change(sum.Amount + change.Amount, sum.Reporters + change.Reporters);
        }
        pending.Clear();
    }

    /// <summary>The running append refused, or was rolled back to its savepoint: its changes go with it.</summary>
    public void Discard() => pending.Clear();

    /// <summary>The batch's transaction was rolled back: nothing of it reached the file, so nothing of it is kept.</summary>
    public void Reset()
    {
        pending.Clear();
        batch.Clear();
    }

    /// <summary>
    /// Writes the batch's sums inside its transaction, before COMMIT. A cell whose changes cancel out (a resubmission
    /// that repeats a value) is not written at all; a cell that no reporter gives any more is deleted.
    /// </summary>
    /// <remarks>
    /// Totals that do not hold what the heads say (a row missing, a count that would fall below zero — only something
    /// outside this writer, such as a hand edit, can cause that) are computed afresh for their catalogue and period
    /// from the heads, which this transaction already holds.
    /// </remarks>
    public void Write(SqliteWriter writer)
    {
        var drifted = new HashSet<(string, string)>();
        foreach (var (key, change) in batch)
        {
            if (change is { Amount: 0, Reporters: 0 } || drifted.Contains((key.Catalogue, key.Period))) continue;
            using var read = writer.Command("SELECT amount, reporters FROM totals WHERE catalogue = $c AND period = $p AND code = $code AND kind = $kind",
                key.Catalogue, key.Period, key.Code, key.Kind).ExecuteReader();
            var (amount, reporters) = read.Read() ? (decimal.Parse(read.GetString(0), CultureInfo.InvariantCulture), read.GetInt32(1)) : (0m, 0);
            read.Close();
            amount += change.Amount;
            reporters += change.Reporters;
            if (reporters < 0 || (reporters == 0 && amount != 0)) drifted.Add((key.Catalogue, key.Period));
            else if (reporters == 0)
                writer.Command("DELETE FROM totals WHERE catalogue = $c AND period = $p AND code = $code AND kind = $kind",
                    key.Catalogue, key.Period, key.Code, key.Kind).ExecuteNonQuery();
            else
                writer.Command("""
                    INSERT INTO totals (catalogue, period, code, kind, amount, reporters) VALUES ($c, $p, $code, $kind, $amount, $reporters)
                    ON CONFLICT (catalogue, period, code, kind) DO UPDATE SET amount = excluded.amount, reporters = excluded.reporters
                    """, key.Catalogue, key.Period, key.Code, key.Kind, StoredForm.Text(amount), reporters).ExecuteNonQuery();
        }
        foreach (var (catalogue, period) in drifted) Compute(writer.Connection, catalogue, period);
        batch.Clear();
    }

    /// <summary>
    /// Computes totals afresh from the heads, inside the caller's transaction: one catalogue and period, or (both null)
    /// the whole file, as a migrated file needs.
    /// </summary>
    public static void Compute(SqliteConnection connection, string? catalogue, string? period)
    {
        var sums = new Dictionary<Key, Change>();
        using (var heads = Sql.Create(connection, """
                   SELECT h.catalogue, h.period, h.kind, s.cells FROM heads h JOIN submissions s ON s.seq = h.seq
                   WHERE ($catalogue IS NULL OR h.catalogue = $catalogue) AND ($period IS NULL OR h.period = $period)
                   """, catalogue, period))
        using (var r = heads.ExecuteReader())
            while (r.Read())
                foreach (var (code, value) in SqliteStore.ReadCells(r.GetString(3)))
                {
                    var key = new Key(r.GetString(0), r.GetString(1), r.GetString(2), code);
                    var sum = sums.GetValueOrDefault(key);
                    sums[key] = new Change(sum.Amount + value, sum.Reporters + 1);
                }
        using (var drop = Sql.Create(connection,
                   "DELETE FROM totals WHERE ($catalogue IS NULL OR catalogue = $catalogue) AND ($period IS NULL OR period = $period)", catalogue, period))
            drop.ExecuteNonQuery();
        using var insert = Sql.Create(connection,
            "INSERT INTO totals (catalogue, period, code, kind, amount, reporters) VALUES ($c, $p, $code, $kind, $amount, $reporters)");
        foreach (var (key, sum) in sums)
        {
            Sql.Bind(insert, [key.Catalogue, key.Period, key.Code, key.Kind, StoredForm.Text(sum.Amount), sum.Reporters]);
            insert.ExecuteNonQuery();
        }
    }
}
