using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>A stored submission: one revision of a reporter's table.</summary>
// Not sealed: a read (GET /v1/submissions/{id}) adds who submitted the revision, which a submit's 201 does not carry.
public class SubmissionView
{
    public SubmissionView() { }

    /// <summary>A copy of <paramref name="view"/>, for a view that adds to it.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    protected SubmissionView(SubmissionView view)
    {
        (Id, Reporter, Catalogue, Period, Revision, ReceivedAt, SentAt, Note) = (view.Id, view.Reporter, view.Catalogue, view.Period, view.Revision, view.ReceivedAt, view.SentAt, view.Note);
        (Values, Derived, Warnings) = (view.Values, view.Derived, view.Warnings);
    }

    public required Guid Id { get; init; }
    public required string Reporter { get; init; }
    public required string Catalogue { get; init; }
    public required string Period { get; init; }
    /// <summary>1 for the first submission of this reporter, catalogue and period; each resubmission adds one.</summary>
    public required int Revision { get; init; }
    /// <summary>When the service received and stored this revision.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>
    /// When the reporter sent this table (the time on its e-mail or letter), as the district office stated it when it entered
    /// the table on the reporter's behalf (<c>sentAt</c> of <c>POST /v1/submissions</c>); the deadline is judged on it instead
    /// of <c>receivedAt</c>. Absent when the service received the table from the reporter itself.
    /// </summary>
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>The reporter's 填报说明 with this revision, as stored (trimmed); absent when it wrote none.</summary>
    public string? Note { get; init; }
    /// <summary>The normalised table in table order, in the catalogue's units; blank cells are left out.</summary>
    public required IReadOnlyList<ValueItem> Values { get; init; }
    /// <summary>Codes of sum parents left blank that the service filled in from their children.</summary>
    public required IReadOnlyList<string> Derived { get; init; }
    /// <summary>
    /// Warning-severity rules that did not hold; the submission was accepted with them. In the 201 to an uploaded workbook, each
    /// also names the workbook's cells (<c>cells</c>), as a refused workbook's errors do; the stored revision's name codes only.
    /// </summary>
    public required IReadOnlyList<Violation> Warnings { get; init; }

    /// <summary>This view with <paramref name="warnings"/> in place of its own (the same warnings, located in a workbook).</summary>
    public SubmissionView WithWarnings(IReadOnlyList<Violation> warnings) => new(this) { Warnings = warnings };

    /// <summary>
    /// The view of <paramref name="s"/> with each value's unit. Values come in the order the store keeps them, which is the
    /// order they were given in: table order, as the judge puts every table it accepts.
    /// </summary>
    public static SubmissionView From(Submission s, CatalogueRegistry catalogues)
    {
        catalogues.TryGet(s.CatalogueId, out var catalogue);
        string? UnitOf(string code) => catalogue is not null && catalogue.TryGetCell(code, out var cell) ? cell.Unit : null;
        return new SubmissionView
        {
            Id = s.Id,
            Reporter = s.ReporterId,
            Catalogue = s.CatalogueId,
            Period = s.Period,
            Revision = s.Revision,
            ReceivedAt = s.ReceivedAt,
            SentAt = s.SentAt,
            Note = s.Note,
            Values = [.. s.Values.Select(v => new ValueItem { Code = v.Code, Value = v.Value, Unit = UnitOf(v.Code) })],
            Derived = [.. s.Values.Where(v => v.Derived).Select(v => v.Code)],
            Warnings = s.Warnings,
        };
    }
}
