using System.Text.Json.Serialization;

namespace Disclosure.Catalogue;

// The shape of a catalogue file (Catalogues/*.json). It is also what GET /v1/catalogues/{id} returns, so an
// integrator draws a form from exactly what the engine checks against, and what POST /v1/catalogues takes. A member
// the shape does not have is refused rather than dropped (CatalogueRegistry.FileOptions and the API's JSON options both
// disallow unmapped members): a misspelt "sumof" would otherwise lose a rule unnoticed.

[JsonConverter(typeof(JsonStringEnumConverter<RowRole>))]
public enum RowRole
{
    /// <summary>A title row or column: it carries no value.</summary>
    [JsonStringEnumMemberName("header")] Header,
    /// <summary>A row or column that carries numbers.</summary>
    [JsonStringEnumMemberName("value")] Value,
}

[JsonConverter(typeof(JsonStringEnumConverter<ChildrenRelation>))]
public enum ChildrenRelation
{
    /// <summary>No children.</summary>
    [JsonStringEnumMemberName("none")] None,
    /// <summary>The row equals the sum of its children.</summary>
    [JsonStringEnumMemberName("sum")] Sum,
    /// <summary>Every child is a part (其中) of the row: child ≤ row; the children need not add up.</summary>
    [JsonStringEnumMemberName("part")] Part,
    /// <summary>Each child states its own relation.</summary>
    [JsonStringEnumMemberName("mixed")] Mixed,
}

[JsonConverter(typeof(JsonStringEnumConverter<ParentRelation>))]
public enum ParentRelation
{
    /// <summary>The parent is a header (or there is none): no arithmetic.</summary>
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("sum-member")] SumMember,
    [JsonStringEnumMemberName("part")] Part,
    [JsonStringEnumMemberName("independent")] Independent,
}

[JsonConverter(typeof(JsonStringEnumConverter<OverTime>))]
public enum OverTime
{
    /// <summary>Counts events in the period: a year is the sum of its quarters.</summary>
    [JsonStringEnumMemberName("flow")] Flow,
    /// <summary>A state at the end of the period: a year takes the latest quarter that gave a value.</summary>
    [JsonStringEnumMemberName("stock")] Stock,
    /// <summary>
    /// A balance at the start of the period (such as 二、上年结转): a year takes the earliest quarter that gave a
    /// value, neither the sum of the quarters like a flow nor the latest like a stock.
    /// </summary>
    [JsonStringEnumMemberName("opening")] Opening,
}

[JsonConverter(typeof(JsonStringEnumConverter<Granularity>))]
public enum Granularity
{
    [JsonStringEnumMemberName("year")] Year,
    [JsonStringEnumMemberName("quarter")] Quarter,
}

[JsonConverter(typeof(JsonStringEnumConverter<BlankPolicy>))]
public enum BlankPolicy
{
    /// <summary>The rule is checked only when every operand has a value.</summary>
    [JsonStringEnumMemberName("skip")] Skip,
    /// <summary>The rule is checked when any operand has a value; blank operands count as 0.</summary>
    [JsonStringEnumMemberName("zero")] Zero,
}

[JsonConverter(typeof(JsonStringEnumConverter<RuleScope>))]
public enum RuleScope
{
    /// <summary>The expression names cells by their full codes.</summary>
    [JsonStringEnumMemberName("cells")] Cells,
    /// <summary>The expression names rows of <c>table</c>; it is checked once in every value column.</summary>
    [JsonStringEnumMemberName("each-column")] EachColumn,
}

public sealed record CatalogueDocument
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string TitleEn { get; init; }
    public string? Source { get; init; }
    public required PeriodPolicyDocument Periods { get; init; }
    public required IReadOnlyList<UnitDocument> Units { get; init; }
    public required IReadOnlyList<TableDocument> Tables { get; init; }
    /// <summary>Cross-row rules, <c>[]</c> for a catalogue that has none; a document that leaves them out is refused.</summary>
    // Required in JSON as the tables and units are: rules left out by mistake would otherwise be stored as a catalogue
    // that checks nothing across rows, and a stored catalogue never changes.
    [JsonRequired]
    public IReadOnlyList<RuleDocument> Rules { get; init; } = [];
    /// <summary>
    /// For a provincial edition: the national catalogue it corresponds to, cell by cell, so that its tables can also be
    /// read in the national layout. Absent for a national catalogue.
    /// </summary>
    public EditionDocument? Edition { get; init; }
    /// <summary>
    /// Optional when the document is loaded: the cells GET /v1/catalogues/{id} lists, so that a catalogue read there can be
    /// loaded again as it came (under a new id, say, for next year's edition). They are worked out from the tables, never
    /// taken from here: if given, they must be exactly the cells the rows × columns imply, member for member and in the same
    /// order, or the load is refused naming the first that differs. They are not kept with the document.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CellDocument>? Cells { get; init; }

    /// <summary>This document without <see cref="Cells"/>, which the tables imply: what is compiled and stored.</summary>
    // A copy with one member changed, so that a member added later is kept without being named here.
    public CatalogueDocument WithoutCells() => Cells is null ? this : this with { Cells = null };
}

/// <summary>A cell that carries a value, as the tables imply it: where it is and what it is counted in.</summary>
public sealed record CellDocument
{
    /// <summary>What a submission names: the row's code, or <c>row:column</c> for a table with columns.</summary>
    public required string Code { get; init; }
    /// <summary>The id of the table the cell is in.</summary>
    public required string Table { get; init; }
    /// <summary>The code of the cell's row.</summary>
    public required string Row { get; init; }
    /// <summary>The code of the cell's column; absent for a table with one value column.</summary>
    public string? Column { get; init; }
    /// <summary>The cell's name as printed: the row's name, and the column's for a table with columns.</summary>
    public required string Name { get; init; }
    /// <summary>The unit the cell is counted in.</summary>
    public required string Unit { get; init; }
    /// <summary>Decimal places a value of the cell may have (0 = whole counts).</summary>
    public required int Decimals { get; init; }
    /// <summary>How a year is made of the cell's quarters.</summary>
    public required OverTime OverTime { get; init; }

    public static CellDocument From(Cell cell) => new()
    {
        Code = cell.Code,
        Table = cell.TableId,
        Row = cell.RowCode,
        Column = cell.ColumnCode,
        Name = cell.Name,
        Unit = cell.Unit,
        Decimals = cell.Decimals,
        OverTime = cell.OverTime,
    };
}

/// <summary>How an edition's cells correspond to the cells of a national catalogue.</summary>
public sealed class EditionDocument
{
    /// <summary>The national catalogue's id, e.g. <c>gov-info-disclosure-2014</c>.</summary>
    public required string National { get; init; }
    /// <summary>
    /// One entry per cell of the edition that has a counterpart, or is declared to have none; a cell of the edition not
    /// listed has no counterpart either.
    /// </summary>
    public required IReadOnlyList<CellMappingDocument> Cells { get; init; }
}

public sealed class CellMappingDocument
{
    /// <summary>A value cell of the edition.</summary>
    public required string Code { get; init; }
    /// <summary>
    /// The national cells it equals the sum of: one (one-to-one), several (the edition prints one row where the national
    /// table has several, e.g. 信函、传真申请数 = 传真申请数 + 信函申请数), or none (no counterpart).
    /// </summary>
    public IReadOnlyList<string> National { get; init; } = [];
}

public sealed class PeriodPolicyDocument
{
    public required int FromYear { get; init; }
    public int? ToYear { get; init; }
    public required IReadOnlyList<Granularity> Granularities { get; init; }
}

public sealed class UnitDocument
{
    public required string Code { get; init; }
    public required string NameEn { get; init; }
    /// <summary>Decimal places a value in this unit may have (0 = whole counts).</summary>
    public int Decimals { get; init; }
    /// <summary>Other units a value may be stated in, and how they convert to this one.</summary>
    public IReadOnlyList<UnitConversionDocument> Accepts { get; init; } = [];
    /// <summary>
    /// 与上年比较 (the warning far-from-last-year): how far apart, in this unit, a figure and the same reporter's figure a year
    /// before must be, besides five times or a fifth, to be pointed out; above 0. Left out, 50, which keeps small counts quiet
    /// (they move a lot by chance); an amount of money needs less: the shipped catalogues give 万元 a gap of 1, or 3 万元 typed
    /// as 30 would never be pointed out.
    /// </summary>
    public decimal? FarGap { get; init; }
}

public sealed class UnitConversionDocument
{
    public required string Unit { get; init; }
    /// <summary>value in this unit = value in <see cref="Unit"/> ÷ divisor.</summary>
    public required decimal Divisor { get; init; }
}

public sealed class TableDocument
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>Empty for a table with one value column; otherwise a cell's code is <c>row:column</c>.</summary>
    public IReadOnlyList<ColumnDocument> Columns { get; init; } = [];
    public required IReadOnlyList<RowDocument> Rows { get; init; }
}

public sealed class RowDocument
{
    public required string Code { get; init; }
    public string? Parent { get; init; }
    public required RowRole Role { get; init; }
    public ChildrenRelation Children { get; init; } = ChildrenRelation.None;
    public ParentRelation Relation { get; init; } = ParentRelation.None;
    public string? Unit { get; init; }
    public OverTime? OverTime { get; init; }
    public required string Name { get; init; }
    /// <summary>This row equals the sum of these sibling rows (a total printed beside its parts, such as （七）总计).</summary>
    public IReadOnlyList<string> SumOf { get; init; } = [];
    /// <summary>For a table with columns: the value columns this row has (empty = all of them).</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    /// <summary>
    /// 上年结转 与 上年结转下年度 衔接: for a row whose cells are balances carried in (<c>opening</c>), the code of the <c>stock</c> row
    /// whose figure at the end of the period before they must equal, column by column, in the same unit: 2021's 3.2 二、上年结转
    /// carries in 3.4 四、结转下年度继续办理 of the year before. A figure that differs is the dry run's warning
    /// <c>differs-from-last-year-carried</c>; nothing is refused for it. Absent: the row is checked against nothing of the period before.
    /// </summary>
    public string? CarriedFrom { get; init; }
}

public sealed class ColumnDocument
{
    public required string Code { get; init; }
    public string? Parent { get; init; }
    public required RowRole Role { get; init; }
    public required string Name { get; init; }
    /// <summary>Overrides the row's unit for the cells of this column.</summary>
    public string? Unit { get; init; }
    /// <summary>
    /// Overrides the row's flow/stock for the cells of this column: a column such as 现行有效件数 or 尚未审结
    /// is a state at the end of the period whatever row it crosses.
    /// </summary>
    public OverTime? OverTime { get; init; }
    /// <summary>In every row, this column equals the sum of these columns (a 总计 column).</summary>
    public IReadOnlyList<string> SumOf { get; init; } = [];
}

public sealed class RuleDocument
{
    public required string Id { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>Comparisons separated by <c>;</c>, each <c>terms op terms</c> with op one of <c>&lt;= &gt;= == &lt; &gt;</c> and terms codes joined by <c>+</c> or <c>-</c>.</summary>
    public required string Expression { get; init; }
    public BlankPolicy Blank { get; init; } = BlankPolicy.Skip;
    public RuleScope Scope { get; init; } = RuleScope.Cells;
    /// <summary>With scope each-column: the table whose rows the expression names.</summary>
    public string? Table { get; init; }
    public required string Why { get; init; }
    public required string WhyEn { get; init; }
}
