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

    /// <param name="s">The stored submission.</param>
    /// <param name="catalogues">Where its catalogue's cells are looked up.</param>
    /// <remarks>
    /// Values that are a <see cref="JudgedValues"/> of this catalogue (a table just judged and stored) carry their cells;
    /// any other list has each value's cell looked up.
    /// </remarks>
    public static SubmissionView From(Submission s, CatalogueRegistry catalogues)
    {
        var source = s.Values;
        Cell?[] cells;
        (int Index, int Position)[]? order = null;
        var everyCell = true;
        List<string>? derived = null;
        var known = catalogues.TryGet(s.CatalogueId, out var catalogue);
        if (known && source is JudgedValues judged && ReferenceEquals(judged.Catalogue, catalogue))
        {
            cells = judged.Cells;
            foreach (var value in judged.Items)
                if (value.Derived) (derived ??= []).Add(value.Code);
        }
        else
        {
            cells = new Cell?[source.Count];
            // Table order, codes the catalogue does not know last, ties as stored; the store usually has them in table order already.
            order = new (int Index, int Position)[source.Count];
            var sorted = true;
            for (var i = 0; i < source.Count; i++)
            {
                var index = int.MaxValue;
                if (known && catalogue!.TryGetCell(source[i].Code, out var cell)) { cells[i] = cell; index = cell.Index; }
                else everyCell = false;
                order[i] = (index, i);
                if (i > 0 && index < order[i - 1].Index) sorted = false;
            }
            if (sorted) order = null;
            else Array.Sort(order);
            for (var k = 0; k < source.Count; k++)
                if (source[order is null ? k : order[k].Position] is { Derived: true } v) (derived ??= []).Add(v.Code);
        }

        return new SubmissionView
        {
            Id = s.Id,
            Reporter = s.ReporterId,
            Catalogue = s.CatalogueId,
            Period = s.Period,
            Revision = s.Revision,
            ReceivedAt = s.ReceivedAt,
            Values = new TableItems(source, order is null ? null : Array.ConvertAll(order, o => o.Position), cells, known ? catalogue : null, everyCell),
            Derived = derived ?? (IReadOnlyList<string>)Array.Empty<string>(),
            Warnings = s.Warnings,
        };
    }
}

/// <summary>
/// A stored table's values as <see cref="ValueItem"/>s in table order, each made when it is read. The 201 writer reads
/// the stored values and their catalogue cells instead: the items of every submission would otherwise be made only to be
/// written once.
/// </summary>
internal sealed class TableItems(IReadOnlyList<StoredValue> source, int[]? order, Cell?[] cells, Catalogue.Catalogue? catalogue, bool everyCell)
    : IReadOnlyList<ValueItem>
{
    // A judged table's values in table order are read from their array, not through the list's interface.
    private readonly StoredValue[]? inOrder = order is null && source is JudgedValues judged ? judged.Items : null;

    public int Count => source.Count;

    /// <summary>The catalogue the cells are of, or null if it is not known (then every cell is null).</summary>
    public Catalogue.Catalogue? Catalogue => catalogue;

    /// <summary>True when every value has its cell (<see cref="Cell"/> is never null).</summary>
    public bool EveryCell => everyCell && catalogue is not null;

    public StoredValue Stored(int k) => inOrder is not null ? inOrder[k] : source[order is null ? k : order[k]];

    /// <summary>The catalogue's cell of the <paramref name="k"/>th value, or null for a code the catalogue does not have.</summary>
    public Cell? Cell(int k) => cells[order is null ? k : order[k]];

    public ValueItem this[int k] => new() { Code = Stored(k).Code, Value = Stored(k).Value, Unit = Cell(k)?.Unit };

    public IEnumerator<ValueItem> GetEnumerator()
    {
        for (var k = 0; k < Count; k++) yield return this[k];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
