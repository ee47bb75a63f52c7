using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates.FarFromLastYear;

/// <summary>与上年比较: every reporter's figures far from its own of the same period a year before, to be checked before review.</summary>
sealed class Response
{
    public required string Catalogue { get; init; }
    public required string Period { get; init; }
    /// <summary>
    /// The period compared with: the same period a year before (<c>2013</c> for <c>2014</c>, <c>2013Q3</c> for <c>2014Q3</c>). Absent
    /// when the catalogue has no such period (the period is its first year) and no catalogue mapped to it covers it, and <c>items</c> is then empty.
    /// </summary>
    public string? YearBefore { get; init; }
    /// <summary>
    /// The catalogue the tables of <c>yearBefore</c> were read from, with it: this one, or before its first year one that declares this one its
    /// national catalogue (<c>edition.national</c>), read through its mapping; of several, the one that begins latest, a reporter that
    /// sent that period on another of them being read from that one.
    /// </summary>
    public string? CatalogueBefore { get; init; }
    /// <summary>The reporters this list was restricted to (<c>?reporters=</c>), if any.</summary>
    public IReadOnlyList<string>? Reporters { get; init; }
    /// <summary>The reporter kind this list was restricted to (<c>?kind=</c>), if any.</summary>
    public ReporterKind? Kind { get; init; }
    /// <summary>
    /// The figures far from the year before, reporters in the breakdown's order (by kind, then as registered) and each one's
    /// cells in table order. Empty when none is, or no reporter has a table in both periods.
    /// </summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        /// <summary>Reporter id.</summary>
        public required string Reporter { get; init; }
        public required string ReporterName { get; init; }
        public required ReporterKind Kind { get; init; }
        /// <summary><c>quarters</c> when this year's figure is the year derived from the reporter's quarterly tables, else <c>submission</c>.</summary>
        public required ContributionSource Source { get; init; }
        /// <summary>The cell code: the row code, or <c>row:column</c> in a table with columns.</summary>
        public required string Code { get; init; }
        /// <summary>The catalogue's name of the cell.</summary>
        public required string Name { get; init; }
        public required string Unit { get; init; }
        /// <summary>The reporter's figure of the same period a year before.</summary>
        public required decimal YearBefore { get; init; }
        /// <summary>The reporter's figure of this period.</summary>
        public required decimal Value { get; init; }
    }
}
