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

    /// <summary>The catalogue and its cell of each of <see cref="Values"/> (null where the catalogue has no such code), when known.</summary>
    internal (Catalogue.Catalogue Catalogue, Cell?[] Cells)? ValueCells { get; init; }

    public static SubmissionView From(Submission s, CatalogueRegistry catalogues)
    {
        var source = s.Values;
        var cells = new Cell?[source.Count];
        // Table order, codes the catalogue does not know last, ties as stored; the store usually has them in table order already.
        var order = new (int Index, int Position)[source.Count];
        var sorted = true;
        if (catalogues.TryGet(s.CatalogueId, out var catalogue))
        {
            for (var i = 0; i < source.Count; i++)
            {
                var index = int.MaxValue;
                if (catalogue.TryGetCell(source[i].Code, out var cell)) { cells[i] = cell; index = cell.Index; }
                order[i] = (index, i);
                if (i > 0 && index < order[i - 1].Index) sorted = false;
            }
        }
        else
        {
            for (var i = 0; i < source.Count; i++) order[i] = (int.MaxValue, i);
        }
        if (!sorted) Array.Sort(order);

        var values = new ValueItem[source.Count];
        var valueCells = sorted ? cells : new Cell?[source.Count];
        List<string>? derived = null;
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k].Position;
            var v = source[i];
            values[k] = new ValueItem { Code = v.Code, Value = v.Value, Unit = cells[i]?.Unit };
            valueCells[k] = cells[i];
            if (v.Derived) (derived ??= []).Add(v.Code);
        }
        return new SubmissionView
        {
            Id = s.Id,
            Reporter = s.ReporterId,
            Catalogue = s.CatalogueId,
            Period = s.Period,
            Revision = s.Revision,
            ReceivedAt = s.ReceivedAt,
            Values = values,
            Derived = derived ?? (IReadOnlyList<string>)Array.Empty<string>(),
            Warnings = s.Warnings,
            ValueCells = catalogue is null ? null : (catalogue, valueCells),
        };
    }
}
