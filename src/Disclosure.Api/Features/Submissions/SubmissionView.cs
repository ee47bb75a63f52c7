using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>A stored submission: one revision of a reporter's table.</summary>
public sealed class SubmissionView
{
    public required Guid Id { get; init; }
    public required string Reporter { get; init; }
    public required string Catalogue { get; init; }
    public required string Period { get; init; }
    /// <summary>1 for the first submission of this reporter, catalogue and period; each resubmission adds one.</summary>
    public required int Revision { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The normalised table in table order, in the catalogue's units; blank cells are left out.</summary>
    public required IReadOnlyList<ValueItem> Values { get; init; }
    /// <summary>Codes of sum parents left blank that the service filled in from their children.</summary>
    public required IReadOnlyList<string> Derived { get; init; }
    /// <summary>Warning-severity rules that did not hold; the submission was accepted with them.</summary>
    public required IReadOnlyList<Violation> Warnings { get; init; }

    /// <summary>The view of <paramref name="s"/>: its values in table order with their units, codes the catalogue does not know last.</summary>
    public static SubmissionView From(Submission s, CatalogueRegistry catalogues)
    {
        catalogues.TryGet(s.CatalogueId, out var catalogue);
        Cell? CellOf(string code) => catalogue is not null && catalogue.TryGetCell(code, out var cell) ? cell : null;
        var ordered = s.Values.Select(v => (Value: v, Cell: CellOf(v.Code))).OrderBy(v => v.Cell?.Index ?? int.MaxValue).ToList();
        return new SubmissionView
        {
            Id = s.Id,
            Reporter = s.ReporterId,
            Catalogue = s.CatalogueId,
            Period = s.Period,
            Revision = s.Revision,
            ReceivedAt = s.ReceivedAt,
            Values = [.. ordered.Select(v => new ValueItem { Code = v.Value.Code, Value = v.Value.Value, Unit = v.Cell?.Unit })],
            Derived = [.. ordered.Where(v => v.Value.Derived).Select(v => v.Value.Code)],
            Warnings = s.Warnings,
        };
    }
}
