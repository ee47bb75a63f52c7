namespace Disclosure.Catalogue;

/// <summary>The arithmetic of aggregation, pure: adding reporters up, and a year from its quarters.</summary>
public static class Rollup
{
    /// <summary>
    /// A year from quarterly tables (any order, any subset): flow cells are the sum of the quarters that gave a value; stock
    /// cells are taken from the latest quarter that gave a value to any cell of their group (<see cref="Catalogue.OverTimeGroups"/>:
    /// a stock row with its parent and children), so that the year's sums hold as that quarter's did; opening cells (a balance
    /// carried in, such as 上年结转) likewise from the earliest. A cell that quarter left blank is blank in the year, as is
    /// a cell no quarter gave.
    /// </summary>
    public static decimal?[] YearFromQuarters(Catalogue catalogue, IEnumerable<(int Quarter, decimal?[] Values)> quarters) =>
        TracedYearFromQuarters(catalogue, quarters).Values;

    /// <summary>
    /// <see cref="YearFromQuarters(Catalogue, IEnumerable{ValueTuple{int, decimal?[]}})"/> with, for each cell by index, the
    /// quarter (1 to 4) its stock or opening figure was taken from; 0 for a flow and for a blank.
    /// </summary>
    public static TracedYear TracedYearFromQuarters(Catalogue catalogue, IEnumerable<(int Quarter, decimal?[] Values)> quarters)
    {
        var cells = catalogue.Cells;
        var groups = catalogue.OverTimeGroups;
        var figures = YearFromQuarterCells(quarters.Select(q =>
        {
            catalogue.CheckLength(q.Values, nameof(quarters));
            return (q.Quarter, q.Values.Select((v, i) => (Cell: i, Value: v)).Where(c => c.Value is not null).Select(c => (c.Cell, c.Value!.Value)));
        }), i => cells[i].OverTime, i => groups[i]);
        var year = new decimal?[cells.Count];
        var takenFrom = new int[cells.Count];
        // Written as the stores write a sum: 2, not 2.0 from 1.0 + 1.0.
        foreach (var (i, figure) in figures) (year[i], takenFrom[i]) = (TableValidator.Normalise(figure.Value), figure.Quarter);
        return new TracedYear(year, takenFrom);
    }

    /// <summary>
    /// The rule of <see cref="YearFromQuarters(Catalogue, IEnumerable{ValueTuple{int, decimal?[]}})"/> over cells named any way
    /// (by index here, by code in the stores, which know a catalogue only as the codes it sends them), so that every year from
    /// quarters is read by the one rule. <paramref name="quarters"/> give their non-blank cells; <paramref name="groupOf"/> names
    /// a stock or opening cell's group by one of its cells. The values are summed as given, not normalised.
    /// </summary>
    public static IReadOnlyDictionary<TCell, QuarterFigure> YearFromQuarterCells<TCell>(
        IEnumerable<(int Quarter, IEnumerable<(TCell Cell, decimal Value)> Values)> quarters,
        Func<TCell, OverTime> overTime, Func<TCell, TCell> groupOf) where TCell : notnull
    {
        var seen = new bool[5];
        var given = new List<(int Quarter, List<(TCell Cell, decimal Value)> Values)>(4);
        foreach (var (quarter, values) in quarters)
        {
            // A quarter given twice would count its flows twice.
            if (quarter is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(quarters), quarter, "A quarter is 1 to 4.");
            if (seen[quarter]) throw new ArgumentException($"Quarter {quarter} is given more than once.", nameof(quarters));
            seen[quarter] = true;
            given.Add((quarter, [.. values]));
        }
        // Quarter by quarter from the first, so that a stock group's last quarter and an opening group's first are found in one pass.
        given.Sort((a, b) => a.Quarter.CompareTo(b.Quarter));
        var takenFrom = new Dictionary<TCell, int>();
        foreach (var (quarter, values) in given)
            foreach (var (cell, _) in values)
                switch (overTime(cell))
                {
                    case OverTime.Stock: takenFrom[groupOf(cell)] = quarter; break;
                    case OverTime.Opening: takenFrom.TryAdd(groupOf(cell), quarter); break;
                }
        var year = new Dictionary<TCell, QuarterFigure>();
        foreach (var (quarter, values) in given)
            foreach (var (cell, value) in values)
            {
                if (overTime(cell) == OverTime.Flow) year[cell] = new(year.GetValueOrDefault(cell).Value + value, 0);
                else if (takenFrom[groupOf(cell)] == quarter) year[cell] = new(value, quarter);
            }
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

/// <summary>A year from quarters by cell index: its values (null = blank), and the quarter each stock or opening figure was taken from (0 for a flow or a blank).</summary>
public sealed record TracedYear(decimal?[] Values, int[] TakenFrom);

/// <summary>One figure of a year from quarters: its value, and the quarter a stock or opening figure was taken from (0 for a flow, which is every quarter's).</summary>
public readonly record struct QuarterFigure(decimal Value, int Quarter);
