using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Catalogues.Get;

sealed class Response
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string TitleEn { get; init; }
    public string? Source { get; init; }
    public required PeriodPolicyDocument Periods { get; init; }
    public required IReadOnlyList<UnitDocument> Units { get; init; }
    /// <summary>The tables in printed order: rows (and columns, for tables that have them) exactly as printed.</summary>
    public required IReadOnlyList<TableDocument> Tables { get; init; }
    /// <summary>Cross-row rules with their severity: an error refuses a submission, a warning is returned and stored with it.</summary>
    public required IReadOnlyList<RuleDocument> Rules { get; init; }
    /// <summary>For a provincial edition: the national catalogue it maps to, cell by cell.</summary>
    public EditionDocument? Edition { get; init; }
    /// <summary>Every cell that carries a value, in table order; <c>code</c> is what a submission names.</summary>
    public required IReadOnlyList<CellInfo> Cells { get; init; }

    public static Response From(Catalogue.Catalogue c)
    {
        var d = c.Document;
        return new()
        {
            Id = d.Id,
            Title = d.Title,
            TitleEn = d.TitleEn,
            Source = d.Source,
            Periods = d.Periods,
            Units = d.Units,
            Tables = d.Tables,
            Rules = d.Rules,
            Edition = d.Edition,
            Cells = [.. c.Cells.Select(cell => new CellInfo
            {
                Code = cell.Code,
                Table = cell.TableId,
                Row = cell.RowCode,
                Column = cell.ColumnCode,
                Name = cell.Name,
                Unit = cell.Unit,
                Decimals = cell.Decimals,
                OverTime = cell.OverTime,
            })],
        };
    }

    public sealed class CellInfo
    {
        public required string Code { get; init; }
        public required string Table { get; init; }
        public required string Row { get; init; }
        public string? Column { get; init; }
        public required string Name { get; init; }
        public required string Unit { get; init; }
        public required int Decimals { get; init; }
        public required OverTime OverTime { get; init; }
    }
}
