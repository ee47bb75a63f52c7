using System.Text.Json.Serialization;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates.Breakdown;

/// <summary>
/// 分单位明细表: the district table with every contributing reporter's figures side by side, so that a clerk sees which
/// reporter gave which figure before the total goes into the annual report. Built from the same latest revisions as the
/// district table: each line's <c>total</c> is the district table's figure, and the sum of its <c>values</c>.
/// </summary>
sealed class Response
{
    public required string Catalogue { get; init; }
    public required string Title { get; init; }
    public required string Period { get; init; }
    /// <summary>The reporters this table was restricted to (<c>?reporters=</c>), if any.</summary>
    public IReadOnlyList<string>? Reporters { get; init; }
    /// <summary>The reporter kind this table was restricted to (<c>?kind=</c>), if any.</summary>
    public ReporterKind? Kind { get; init; }
    /// <summary>
    /// One per reporter whose latest table is added up, in the order of every line's <c>values</c>: grouped by kind (the
    /// district government, then departments, then towns), and within a kind in the order the reporters were registered.
    /// Expected reporters that have submitted nothing have no column: <c>completeness.missing</c> names them (and
    /// <c>completeness.closedWithYear</c> those a quarter is closed to with its year).
    /// </summary>
    public required IReadOnlyList<Column> Columns { get; init; }
    /// <summary>The time this breakdown was read as at (<c>?asAt=</c>); absent for the breakdown now.</summary>
    public DateTimeOffset? AsAt { get; init; }
    /// <summary>
    /// The catalogue's lines in table order: each row of a table without columns; for a table with columns (2021), one line
    /// per value cell (<c>row:column</c>), row by row and left to right. Header rows are lines without figures.
    /// </summary>
    public required IReadOnlyList<Line> Lines { get; init; }
    public required Completeness Completeness { get; init; }
    /// <summary>The district table this breakdown adds up to, for the exports' margins.</summary>
    [JsonIgnore] public AggregateTable District { get; init; } = null!;

    public sealed class Column
    {
        /// <summary>Reporter id.</summary>
        public required string Reporter { get; init; }
        /// <summary>The reporter's name, as the exports print it.</summary>
        public required string Name { get; init; }
        public required ReporterKind Kind { get; init; }
        /// <summary><c>submission</c>, or <c>quarters</c> when the year is derived from the reporter's quarterly tables.</summary>
        public required ContributionSource Source { get; init; }
        /// <summary>
        /// Present when the reporter was merged or discontinued during this year (the period it is retired from, <c>2020Q3</c>): its
        /// stock cells are blank, as the district table leaves them out, since its successor's year-end figures hold them.
        /// </summary>
        public string? RetiredFrom { get; init; }
    }

    public sealed class Line
    {
        public required string Table { get; init; }
        /// <summary>The cell code: the row code, or <c>row:column</c> in a table with columns; a header row's code.</summary>
        public required string Code { get; init; }
        /// <summary>In a table with columns: the row of the cell.</summary>
        public string? Row { get; init; }
        /// <summary>In a table with columns: the column of the cell.</summary>
        public string? Column { get; init; }
        /// <summary>The row's name; in a table with columns the catalogue's name of the cell, row · column.</summary>
        public required string Name { get; init; }
        public required RowRole Role { get; init; }
        public string? Unit { get; init; }
        /// <summary>
        /// One figure per entry of <c>columns</c>, in that order: null where that reporter left the cell blank (blank is not
        /// zero). Absent on a header line.
        /// </summary>
        public IReadOnlyList<decimal?>? Values { get; init; }
        /// <summary>The sum of <c>values</c>, which is the district table's figure: null when no reporter gave the cell.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Total { get; init; }
    }

    public static Response Of(Catalogue.Catalogue catalogue, AggregateTable district, IReadOnlyList<AggregateService.ReporterFigures> reporters)
    {
        var total = district.Rows.SelectMany(r => r.Cells is { } cells ? cells.Select(c => (c.Code, c.Total)) : [(r.Code, r.Total)])
            .ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal);
        Line Value(TableDocument table, Cell cell, string name) => new()
        {
            Table = table.Id, Code = cell.Code, Row = cell.ColumnCode is null ? null : cell.RowCode, Column = cell.ColumnCode,
            Name = name, Role = RowRole.Value, Unit = cell.Unit,
            Values = [.. reporters.Select(r => r.Values[cell.Index])],
            Total = total.GetValueOrDefault(cell.Code),
        };

        var lines = new List<Line>();
        foreach (var table in catalogue.Document.Tables)
            foreach (var row in table.Rows)
            {
                if (row.Role == RowRole.Header)
                    lines.Add(new Line { Table = table.Id, Code = row.Code, Name = row.Name, Role = RowRole.Header });
                else if (table.Columns.Count == 0 && catalogue.TryGetCell(row.Code, out var cell))
                    lines.Add(Value(table, cell, row.Name));
                else
                    foreach (var column in table.Columns)
                        if (catalogue.TryGetCell(Disclosure.Catalogue.Catalogue.CellCode(row.Code, column.Code), out var c))
                            lines.Add(Value(table, c, c.Name));
            }

        return new Response
        {
            Catalogue = district.Catalogue, Title = district.Title, Period = district.Period, Reporters = district.Reporters, Kind = district.Kind,
            Columns = [.. reporters.Select(r => new Column
            {
                Reporter = r.Reporter.Id, Name = r.Reporter.Name, Kind = r.Contribution.Kind, Source = r.Source,
                RetiredFrom = r.StocksLeftOut ? r.Reporter.RetiredFrom : null,
            })],
            Lines = lines,
            AsAt = district.AsAt,
            Completeness = district.Completeness,
            District = district,
        };
    }
}
