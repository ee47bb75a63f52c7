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
    public required IReadOnlyList<CellDocument> Cells { get; init; }

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
            Cells = [.. c.Cells.Select(CellDocument.From)],
        };
    }
}
