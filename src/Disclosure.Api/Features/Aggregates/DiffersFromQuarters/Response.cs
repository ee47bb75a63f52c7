using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates.DiffersFromQuarters;

/// <summary>年报与季报衔接: every reporter's year figures that differ from what its own four quarterly tables give.</summary>
sealed class Response
{
    public required string Catalogue { get; init; }
    /// <summary>The year.</summary>
    public required string Period { get; init; }
    /// <summary>The reporters this list was restricted to (<c>?reporters=</c>), if any.</summary>
    public IReadOnlyList<string>? Reporters { get; init; }
    /// <summary>The reporter kind this list was restricted to (<c>?kind=</c>), if any.</summary>
    public ReporterKind? Kind { get; init; }
    /// <summary>
    /// The differing figures, reporters in the breakdown's order (by kind, then as registered) and each one's cells in table
    /// order. Empty when none differs, or no reporter sent both the year and its four quarters.
    /// </summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        /// <summary>Reporter id.</summary>
        public required string Reporter { get; init; }
        public required string ReporterName { get; init; }
        public required ReporterKind Kind { get; init; }
        /// <summary>The cell code: the row code, or <c>row:column</c> in a table with columns.</summary>
        public required string Code { get; init; }
        /// <summary>The catalogue's name of the cell.</summary>
        public required string Name { get; init; }
        public required string Unit { get; init; }
        /// <summary>How the quarters give the year's figure: <c>flow</c> their sum, <c>stock</c> the fourth quarter's, <c>opening</c> the first's (the latest, or earliest, quarter that gave the cell's sum group, where the fourth, or first, left it blank).</summary>
        public required OverTime OverTime { get; init; }
        /// <summary>The figure of the reporter's table for the year (the one the district table takes).</summary>
        public required decimal Value { get; init; }
        /// <summary>The figure its four quarterly tables give for the year.</summary>
        public required decimal FromQuarters { get; init; }
    }
}
