using CsCheck;

namespace Disclosure.Catalogue.Tests;

/// <summary>A generated table that satisfies its catalogue, with what the engine should make of it.</summary>
public sealed class ValidTable(Catalogue catalogue, string period, decimal?[] given, decimal?[] effective, bool statesYuan)
{
    public Catalogue Catalogue { get; } = catalogue;
    public string Period { get; } = period;
    /// <summary>What the reporter states, by cell index; null = blank.</summary>
    public decimal?[] Given { get; } = given;
    /// <summary>The table after derivation: blank sum parents with children given hold their sum.</summary>
    public decimal?[] Effective { get; } = effective;
    private bool StatesYuan { get; } = statesYuan;

    /// <summary>The input as a reporter would post it: blanks as null, 万元 amounts sometimes stated in 元.</summary>
    public List<InputValue> Input()
    {
        var input = new List<InputValue>(Given.Length);
        foreach (var cell in Catalogue.Cells)
        {
            var v = Given[cell.Index];
            if (v is { } x && StatesYuan && Catalogue.TryGetConversion("元", cell.Unit, out var divisor))
                input.Add(new InputValue(cell.Code, x * divisor, "元"));
            else input.Add(new InputValue(cell.Code, v));
        }
        return input;
    }

    public override string ToString() =>
        Period + " " + string.Join(" ", Catalogue.Cells.Where(c => Given[c.Index] is not null).Select(c => $"{c.Code}={Given[c.Index]}"));
}

/// <summary>
/// Generates tables that satisfy a compiled catalogue, working only from its relations (Sums, Parts,
/// Rules): random values and blanks, then sums settled bottom-up, rule comparisons repaired by raising
/// the short side, parts capped by their wholes, until the table holds still.
/// </summary>
public static class ValidTables
{
    private const int BlankBelow = 25; // a draw below this is a blank cell (about one cell in four)

    public static Gen<ValidTable> For(Catalogue catalogue)
    {
        var n = catalogue.Cells.Count;
        var p = catalogue.Document.Periods;
        var period = Gen.Select(Gen.Int[p.FromYear, p.ToYear ?? p.FromYear + 20], Gen.Int[0, 4],
            (year, q) => q == 0 ? year.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{year}Q{q}");
        return Gen.Select(Gen.Int[0, 99].Array[n], Gen.Int[0, 99].Array[n], period, Gen.Bool,
            (draws, fractions, per, yuan) => Build(catalogue, draws, fractions, per, yuan));
    }

    private static ValidTable Build(Catalogue catalogue, int[] draws, int[] fractions, string period, bool yuan)
    {
        var cells = catalogue.Cells;
        var given = new decimal?[cells.Count];
        for (var i = 0; i < given.Length; i++)
        {
            if (draws[i] < BlankBelow) continue;
            decimal v = (draws[i] - BlankBelow) * 7 % 61;
            if (cells[i].Decimals > 0) v += Math.Round(fractions[i] / 100m, Math.Min(cells[i].Decimals, 2));
            given[i] = v;
        }

        for (var round = 0; round < 50; round++)
        {
            var effective = Settle(catalogue, given);
            var changed = false;
            foreach (var rule in catalogue.Rules)
                foreach (var cmp in rule.Comparisons)
                    changed |= Repair(catalogue, rule.Source.Blank, cmp, given, ref effective);
            foreach (var part in catalogue.Parts)
            {
                if (given[part.Part] is not { } pv) continue;
                if (effective[part.Whole] is not { } whole) { given[part.Part] = null; changed = true; }
                else if (pv > whole) { given[part.Part] = pv % (whole + 1); changed = true; }
            }
            if (!changed) return new ValidTable(catalogue, period, given, Settle(catalogue, given), yuan);
        }
        throw new InvalidOperationException("The generator could not satisfy the catalogue: " + string.Join(",", given));
    }

    /// <summary>
    /// Sums bottom-up (the catalogue's order): a given parent with children given becomes their sum; a blank
    /// one is derived. Returns the effective table; <paramref name="given"/> is updated in place.
    /// </summary>
    public static decimal?[] Settle(Catalogue catalogue, decimal?[] given)
    {
        var effective = (decimal?[])given.Clone();
        foreach (var sum in catalogue.Sums)
        {
            decimal total = 0;
            var any = false;
            foreach (var c in sum.Children)
                if (effective[c] is { } v) { total += v; any = true; }
            if (!any) continue;
            if (given[sum.Parent] is not null) given[sum.Parent] = total;
            effective[sum.Parent] = total;
        }
        return effective;
    }

    /// <summary>Evaluates a comparison as the rules file defines it; null when it is not checked.</summary>
    public static bool? Holds(BlankPolicy blank, CompiledComparison cmp, decimal?[] effective)
    {
        var terms = cmp.Left.Concat(cmp.Right).ToList();
        var blanks = terms.Count(t => effective[t.Cell] is null);
        if (blanks == terms.Count || (blanks > 0 && blank == BlankPolicy.Skip)) return null;
        var (l, r) = (Side(cmp.Left, effective), Side(cmp.Right, effective));
        return cmp.Op switch
        {
            Comparison.LessOrEqual => l <= r, Comparison.GreaterOrEqual => l >= r, Comparison.Equal => l == r,
            Comparison.Less => l < r, _ => l > r,
        };
    }

    private static decimal Side(Term[] terms, decimal?[] values) => terms.Sum(t => t.Sign * (values[t.Cell] ?? 0));

    private static bool Repair(Catalogue catalogue, BlankPolicy blank, CompiledComparison cmp, decimal?[] given, ref decimal?[] effective)
    {
        if (Holds(blank, cmp, effective) is not false) return false;
        var (l, r) = (Side(cmp.Left, effective), Side(cmp.Right, effective));
        // Raise whichever side is short, by exactly the shortfall (plus one for a strict comparison).
        var (side, by) = cmp.Op switch
        {
            Comparison.LessOrEqual => (cmp.Right, l - r),
            Comparison.Less => (cmp.Right, l - r + 1),
            Comparison.GreaterOrEqual => (cmp.Left, r - l),
            Comparison.Greater => (cmp.Left, r - l + 1),
            _ => l < r ? (cmp.Left, r - l) : (cmp.Right, l - r),
        };
        var term = side.FirstOrDefault(t => t.Sign > 0);
        if (term.Sign == 0) throw new InvalidOperationException($"The generator cannot raise a side of '{cmp.Text}'.");
        Raise(catalogue, term.Cell, by, given, effective);
        effective = Settle(catalogue, given);
        return true;
    }

    /// <summary>Raises a cell's effective value: through its first non-blank sum child if it has one, else itself.</summary>
    private static void Raise(Catalogue catalogue, int cell, decimal by, decimal?[] given, decimal?[] effective)
    {
        foreach (var sum in catalogue.Sums)
        {
            if (sum.Parent != cell) continue;
            foreach (var c in sum.Children)
                if (effective[c] is not null) { Raise(catalogue, c, by, given, effective); return; }
        }
        given[cell] = (effective[cell] ?? 0) + by;
    }
}
