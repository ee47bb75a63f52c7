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
    /// <summary>Every cell that carries a value, in table order; <c>code</c> is what a submission names.</summary>
    public required IReadOnlyList<CellInfo> Cells { get; init; }

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
