namespace Disclosure.Catalogue;

/// <summary>The arithmetic of aggregation, pure: adding reporters up, and a year from its quarters.</summary>
public static class Rollup
{
    /// <summary>
    /// A year from quarterly tables (any order, any subset): flow cells are the sum of the quarters that
    /// gave a value; stock cells take the latest quarter that gave a value; opening cells (a balance carried
    /// in, such as 上年结转) take the earliest quarter that gave a value. Blank where no quarter did.
    /// </summary>
    public static decimal?[] YearFromQuarters(Catalogue catalogue, IEnumerable<(int Quarter, decimal?[] Values)> quarters)
    {
        var cells = catalogue.Cells;
        var year = new decimal?[cells.Count];
        // The quarter each stock or opening cell was taken from, so that the order the quarters come in does not matter.
        var takenFrom = new int[cells.Count];
        var seen = new bool[5];
        foreach (var (quarter, values) in quarters)
        {
            // A quarter given twice would count its flows twice.
            if (quarter is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(quarters), quarter, "A quarter is 1 to 4.");
            if (seen[quarter]) throw new ArgumentException($"Quarter {quarter} is given more than once.", nameof(quarters));
            seen[quarter] = true;
            catalogue.CheckLength(values, nameof(quarters));
            for (var i = 0; i < year.Length; i++)
            {
                if (values[i] is not { } v) continue;
                switch (cells[i].OverTime)
                {
                    case OverTime.Flow: year[i] = (year[i] ?? 0) + v; break;
                    case OverTime.Stock when quarter > takenFrom[i]:
                    case OverTime.Opening when takenFrom[i] == 0 || quarter < takenFrom[i]:
                        year[i] = v; takenFrom[i] = quarter; break;
                }
            }
        }
        // Written as the stores write a sum: 2, not 2.0 from 1.0 + 1.0.
        for (var i = 0; i < year.Length; i++)
            if (year[i] is { } v) year[i] = TableValidator.Normalise(v);
        return year;
    }

    /// <summary>The district table: each cell the sum over the tables that gave it a value; blank where none did.</summary>
    public static decimal?[] Sum(Catalogue catalogue, IEnumerable<decimal?[]> tables)
    {
        var total = new decimal?[catalogue.Cells.Count];
        foreach (var t in tables)
        {
            catalogue.CheckLength(t, nameof(tables));
            for (var i = 0; i < total.Length; i++)
                if (t[i] is { } v) total[i] = (total[i] ?? 0) + v;
        }
        return total;
    }
}
