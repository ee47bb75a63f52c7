using System.Text.Json.Serialization;
using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Aggregates.AsNational;

/// <summary>A provincial edition's district table read in the layout of the national catalogue it maps to.</summary>
sealed class Response
{
    /// <summary>The national catalogue whose layout this is.</summary>
    public required string Catalogue { get; init; }
    public required string Title { get; init; }
    /// <summary>The edition the figures come from.</summary>
    public required string Edition { get; init; }
    public required string Period { get; init; }
    /// <summary>The time this table was read as at (<c>?asAt=</c>); absent for the table now.</summary>
    public DateTimeOffset? AsAt { get; init; }
    /// <summary>Every value cell of the national catalogue, in table order; blank where the edition has no counterpart.</summary>
    public required IReadOnlyList<Cell> Cells { get; init; }
    /// <summary>National cells the edition gives only inside a sum of several (e.g. 传真 and 信函 printed as one row): their split is unknown.</summary>
    public required IReadOnlyList<string> Unreadable { get; init; }
    /// <summary>
    /// The edition period's completeness, as <c>GET /v1/aggregates/{catalogue}/{period}</c> of the edition gives it (its period
    /// settings: expected reporters, deadline, closed): the figures the national table is added up from, and the footer its
    /// printouts carry.
    /// </summary>
    public required Completeness Completeness { get; init; }
    /// <summary>The engine's verdict on the national table, leaving out every check that involves a cell the edition does not give.</summary>
    public required IReadOnlyList<Violation> Violations { get; init; }

    /// <summary>The JSON of the table <see cref="AggregateService.BuildAsNationalAsync"/> built, with where each cell came from.</summary>
    public static Response Of(AggregateTable table, NationalReading reading, Catalogue.Catalogue national, Catalogue.Catalogue edition)
    {
        var figures = new Dictionary<string, AggregateFigures>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
            if (row.Cells is { } cells) foreach (var cell in cells) figures[cell.Code] = cell;
            else if (row.Role != RowRole.Header) figures[row.Code] = row;
        return new Response
        {
            Catalogue = national.Id,
            Title = national.Document.Title,
            Edition = edition.Id,
            Period = table.Period,
            AsAt = table.AsAt,
            Cells = [.. national.Cells.Select(c => new Cell
            {
                Code = c.Code, Name = c.Name, Unit = c.Unit,
                Total = reading.Result.Values[c.Index],
                Government = figures[c.Code].Government, Department = figures[c.Code].Department, Town = figures[c.Code].Town,
                Derived = reading.Result.Derived[c.Index],
                From = reading.Sources[c.Index],
            })],
            Unreadable = reading.Unreadable,
            Completeness = table.Completeness,
            Violations = reading.Result.Violations,
        };
    }

    public sealed class Cell
    {
        public required string Code { get; init; }
        public required string Name { get; init; }
        public required string Unit { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Total { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Government { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Department { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Town { get; init; }
        /// <summary>True where the total is derived from parts (a blank parent over known parts), not mapped.</summary>
        public required bool Derived { get; init; }
        /// <summary>The edition cells summed into this one; empty where none maps to it alone.</summary>
        public required IReadOnlyList<string> From { get; init; }
    }
}
