namespace Disclosure.Catalogue;

/// <summary>The arithmetic of aggregation, pure: adding reporters up, and a year from its quarters.</summary>
public static class Rollup
{
    /// <summary>
    /// A year from quarterly tables (any order, any subset): flow cells are the sum of the quarters that
    /// gave a value; stock cells take the latest quarter that gave a value. Blank where no quarter did.
    /// </summary>
    public static decimal?[] YearFromQuarters(Catalogue catalogue, IEnumerable<(int Quarter, decimal?[] Values)> quarters)
    {
        var cells = catalogue.Cells;
        var year = new decimal?[cells.Count];
        var stockQuarter = new int[cells.Count];
        var seen = new bool[5];
        foreach (var (quarter, values) in quarters)
        {
            // A quarter given twice would count its flows twice.
            if (quarter is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(quarters), quarter, "A quarter is 1 to 4.");
            if (seen[quarter]) throw new ArgumentException($"Quarter {quarter} is given more than once.", nameof(quarters));
            seen[quarter] = true;
            CheckLength(catalogue, values, nameof(quarters));
            for (var i = 0; i < year.Length; i++)
            {
                if (values[i] is not { } v) continue;
                if (cells[i].OverTime == OverTime.Flow) year[i] = (year[i] ?? 0) + v;
                else if (quarter > stockQuarter[i]) { year[i] = v; stockQuarter[i] = quarter; }
            }
        }
        return year;
    }

    /// <summary>The district table: each cell the sum over the tables that gave it a value; blank where none did.</summary>
    public static decimal?[] Sum(Catalogue catalogue, IEnumerable<decimal?[]> tables)
    {
        var total = new decimal?[catalogue.Cells.Count];
        foreach (var t in tables)
        {
            CheckLength(catalogue, t, nameof(tables));
            for (var i = 0; i < total.Length; i++)
                if (t[i] is { } v) total[i] = (total[i] ?? 0) + v;
        }
        return total;
    }

    private static void CheckLength(Catalogue catalogue, decimal?[] values, string name)
    {
        if (values.Length != catalogue.Cells.Count)
            throw new ArgumentException($"Catalogue '{catalogue.Id}' has {catalogue.Cells.Count} cells, not {values.Length}.", name);
    }
}
