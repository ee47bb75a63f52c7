namespace Disclosure.Catalogue;

/// <summary>An edition's table read in the layout of its national catalogue.</summary>
/// <param name="Result">The national table: mapped values in the national unit, parents derived where their parts are known, and the engine's verdict.</param>
/// <param name="Sources">By national cell index: the edition cells whose values it holds (empty where none maps to it one-to-one).</param>
/// <param name="Unreadable">National cells the edition only gives as part of a sum of several (their split is not known): always blank here.</param>
public sealed record NationalReading(TableResult Result, IReadOnlyList<string>[] Sources, IReadOnlyList<string> Unreadable);

/// <summary>Provincial editions: reading an edition's cells in the layout of the national catalogue it declares.</summary>
public static class Editions
{
    /// <summary>
    /// Words naming <paramref name="source"/> where a table is compared with figures of an earlier period read from it through its
    /// mapping (last year on a format the office loaded, against the 2021 edition); none for the table's own catalogue (null).
    /// </summary>
    public static (string English, string Chinese) ReadThrough(Catalogue? source) => source is null ? ("", "")
        : ($" (sent on '{source.Id}', read through its mapping)", $"（按《{source.Document.Title}》报送，经对照）");

    /// <summary>
    /// The national table an edition's values stand for: a national cell is the sum of the edition cells mapped to it
    /// alone (one-to-one, or several edition rows to one national row), converted to the national unit exactly. Every other
    /// national cell stays blank and the engine treats it as unknown, so no parent is derived over it and no check involving
    /// it is reported; those the edition gives only inside a sum of several are listed as unreadable.
    /// </summary>
    public static NationalReading ToNational(Catalogue edition, Catalogue national, decimal?[] values)
    {
        var mapping = edition.Document.Edition
            ?? throw new ArgumentException($"Catalogue '{edition.Id}' declares no national catalogue.", nameof(edition));
        if (!string.Equals(mapping.National, national.Id, StringComparison.Ordinal))
            throw new ArgumentException($"Catalogue '{edition.Id}' maps to '{mapping.National}', not '{national.Id}'.", nameof(national));
        edition.CheckLength(values, nameof(values));

        var n = national.Cells.Count;
        var mapped = new decimal?[n];
        var sources = new List<string>?[n];
        var unknown = new SortedSet<int>();
        foreach (var m in mapping.Cells)
        {
            if (!edition.TryGetCell(m.Code, out var from)) throw new CatalogueException($"{edition.Id}: the edition maps '{m.Code}', which is not a cell.");
            if (m.National.Count == 1)
            {
                if (!national.TryGetCell(m.National[0], out var to)) throw new CatalogueException($"{edition.Id}: '{m.Code}' maps to '{m.National[0]}', which is not a cell of '{national.Id}'.");
                (sources[to.Index] ??= []).Add(m.Code);
                if (values[from.Index] is { } v) mapped[to.Index] = (mapped[to.Index] ?? 0) + Convert(national, from, to, v);
            }
            else
                foreach (var code in m.National)
                    if (national.TryGetIndex(code, out var i)) unknown.Add(i);
        }
        // A national cell no edition cell maps to alone is not known to be blank, let alone zero: the engine treats it as
        // unknown, or a national rule would read the edition's silence as 0 (C2 would find 1.2.1 below 1.1 because 政府公报
        // has no national row).
        var unmapped = Enumerable.Range(0, n).Where(i => sources[i] is null);
        var result = TableValidator.Check(national, mapped, unmapped);
        return new NationalReading(result,
            [.. sources.Select(s => (IReadOnlyList<string>)(s ?? []))],
            [.. unknown.Select(i => national.Cells[i].Code)]);
    }

    private static decimal Convert(Catalogue national, Cell from, Cell to, decimal value)
    {
        if (string.Equals(from.Unit, to.Unit, StringComparison.Ordinal)) return value;
        return national.TryGetConversion(from.Unit, to.Unit, out var divisor)
            ? TableValidator.Normalise(value / divisor)
            : throw new CatalogueException($"{national.Id}: {to.Code} is counted in {to.Unit}, which {from.Unit} does not convert to.");
    }
}
