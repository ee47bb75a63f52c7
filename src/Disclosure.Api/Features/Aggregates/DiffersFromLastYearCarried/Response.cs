using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates.DiffersFromLastYearCarried;

/// <summary>上年结转与上年结转下年度衔接: every reporter's balances carried in that are not what its own table of the period before carried forward.</summary>
sealed class Response
{
    public required string Catalogue { get; init; }
    /// <summary>The year or quarter whose balances carried in are listed.</summary>
    public required string Period { get; init; }
    /// <summary>
    /// The period compared with, whose stocks are carried in: the year before for a year or a first quarter (<c>2021</c> for
    /// <c>2022</c> and for <c>2022Q1</c>), the quarter before for a later quarter (<c>2022Q1</c> for <c>2022Q2</c>). Absent for the
    /// catalogue's first year and its first quarter, whose balances are carried in from another edition's tables, and <c>items</c> is then empty
    /// (unless a catalogue mapped to this one covers that period: see <c>catalogueBefore</c>).
    /// </summary>
    public string? PeriodBefore { get; init; }
    /// <summary>
    /// The catalogue the tables of <c>periodBefore</c> were read from, with it: this one, or before its first year one that declares this one its
    /// national catalogue (<c>edition.national</c>), read through its mapping; of several, the one that begins latest, a reporter that
    /// sent that period on another of them being read from that one.
    /// </summary>
    public string? CatalogueBefore { get; init; }
    /// <summary>Deprecated: the same as <c>periodBefore</c>, which is a quarter for a later quarter; read <c>periodBefore</c>.</summary>
    [Obsolete("A quarter for a later quarter: read PeriodBefore.")]
    public string? YearBefore => PeriodBefore;
    /// <summary>The reporters this list was restricted to (<c>?reporters=</c>), if any.</summary>
    public IReadOnlyList<string>? Reporters { get; init; }
    /// <summary>The reporter kind this list was restricted to (<c>?kind=</c>), if any.</summary>
    public ReporterKind? Kind { get; init; }
    /// <summary>
    /// The differing balances, reporters in the breakdown's order (by kind, then as registered) and each one's cells in table
    /// order. Empty when none differs, or no reporter has a table in both periods.
    /// </summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        /// <summary>Reporter id.</summary>
        public required string Reporter { get; init; }
        public required string ReporterName { get; init; }
        public required ReporterKind Kind { get; init; }
        /// <summary><c>quarters</c> when this period's figure is the year derived from the reporter's quarterly tables, else <c>submission</c>.</summary>
        public required ContributionSource Source { get; init; }
        /// <summary>The balance carried in: its cell code, the row code or <c>row:column</c> (2021's <c>3.2:natural</c>).</summary>
        public required string Code { get; init; }
        /// <summary>The catalogue's name of the cell.</summary>
        public required string Name { get; init; }
        public required string Unit { get; init; }
        /// <summary>The cell of the period before's table it carries in (the row's <c>carriedFrom</c>, same column: 2021's <c>3.4:natural</c>).</summary>
        public required string CarriedFrom { get; init; }
        /// <summary>The reporter's figure of <c>carriedFrom</c> in its table of <c>periodBefore</c>: what it carried forward.</summary>
        public required decimal ValueBefore { get; init; }
        /// <summary>Deprecated: the same as <c>valueBefore</c>, which is a quarter's figure for a later quarter; read <c>valueBefore</c>.</summary>
        [Obsolete("A quarter's figure for a later quarter: read ValueBefore.")]
        public decimal YearBefore => ValueBefore;
        /// <summary>The reporter's balance carried in, in its table of this period.</summary>
        public required decimal Value { get; init; }
    }
}
