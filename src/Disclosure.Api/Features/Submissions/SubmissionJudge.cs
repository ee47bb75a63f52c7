using System.Security.Cryptography;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>The verdict on a submission body: registry checks (reporter, catalogue) and the engine's.</summary>
public sealed record Verdict(TableResult? Table, IReadOnlyList<Violation> Violations)
{
    public bool Refused => Table is null || Table.HasErrors;
}

/// <summary>Judges a submission body the same way for a real submission and for a dry run.</summary>
public sealed class SubmissionJudge(CatalogueRegistry catalogues, IReporterStore reporters)
{
    /// <param name="body">The shape-checked body.</param>
    /// <param name="reporterVouchedFor">
    /// True when the caller's key is bound to <c>body.Reporter</c>. Such a key is issued only for a registered reporter,
    /// reporters are never removed, and the key was looked up in the store on this very request; asking the store
    /// for the reporter again could only repeat that answer.
    /// </param>
    /// <param name="ct">Cancels the registry lookup.</param>
    public async ValueTask<Verdict> JudgeAsync(SubmissionBody body, bool reporterVouchedFor, CancellationToken ct)
    {
        List<Violation>? registry = null;
        if (!reporterVouchedFor && await reporters.GetReporterAsync(body.Reporter!, ct) is null)
            (registry ??= []).Add(Problems.UnknownReporter(body.Reporter!));
        if (!catalogues.TryGet(body.Catalogue!, out var catalogue))
        {
            (registry ??= []).Add(Problems.RegistryViolation("unknown-catalogue", body.Catalogue!,
                $"There is no catalogue '{body.Catalogue}'.", $"统计表目录“{body.Catalogue}”不存在。"));
            return new Verdict(null, registry);
        }
        var values = body.Values!;
        // Lent to the engine, which keeps nothing of it; every submission would otherwise allocate it.
        var input = System.Buffers.ArrayPool<InputValue>.Shared.Rent(values.Count);
        TableResult table;
        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                var item = values[i]!;
                input[i] = new InputValue(item.Code!, item.Value, item.Unit);
            }
            table = TableValidator.Validate(catalogue, body.Period!, input.AsSpan(0, values.Count));
        }
        finally
        {
            System.Buffers.ArrayPool<InputValue>.Shared.Return(input, clearArray: true);
        }
        return registry is null ? new Verdict(table, table.Violations) : new Verdict(null, [.. registry, .. table.Violations]);
    }

    /// <summary>
    /// The judged table's non-blank values in table order, as the store keeps them, each with its catalogue cell
    /// (<see cref="JudgedValues"/>). Filled in a loop over the engine's arrays: this runs on every submission.
    /// </summary>
    public static JudgedValues ToStored(TableResult table)
    {
        var values = table.Values;
        var stored = new StoredValue[table.NonBlankCount];
        var cells = new Cell[stored.Length];
        var derived = table.Derived;
        for (int i = 0, k = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value) continue;
            var cell = table.CellAt(i);
            cells[k] = cell;
            stored[k++] = new StoredValue(cell.Code, value, derived[i]);
        }
        return new JudgedValues(stored, cells, table.Catalogue);
    }

    public static IReadOnlyList<ValueItem> ToItems(TableResult table)
    {
        var items = new List<ValueItem>(table.NonBlankCount);
        foreach (var (cell, value, _) in table.NonBlank()) items.Add(new ValueItem { Code = cell.Code, Value = value, Unit = cell.Unit });
        return items;
    }

    /// <summary>Codes of the blank sum parents the engine filled in, in table order.</summary>
    public static IReadOnlyList<string> DerivedCodes(TableResult table)
    {
        List<string>? codes = null;
        foreach (var (cell, _, derived) in table.NonBlank()) if (derived) (codes ??= []).Add(cell.Code);
        return codes ?? (IReadOnlyList<string>)Array.Empty<string>();
    }

    /// <summary>A digest of what the client asked for, so that a retry with the same Idempotency-Key can be told from a different request.</summary>
    public static string RequestHash(SubmissionBody body)
    {
        var canonical = new SubmissionBody
        {
            Reporter = body.Reporter,
            Period = body.Period,
            Catalogue = body.Catalogue,
            Values = body.Values,
            ExpectedRevision = body.ExpectedRevision,
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, Json.Options)));
    }

    public static bool TryParseIfMatch(string? header, out int revision)
    {
        revision = 0;
        if (header is null) return false;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out revision);
    }
}

/// <summary>
/// A judged table's values as they are stored, with the catalogue's cell of each, made together by
/// <see cref="SubmissionJudge.ToStored"/>: the cells are the values' own by construction. The store keeps this list as
/// it is when its values are in normal form (as the engine leaves them), so a view of the stored submission finds each
/// value's cell here instead of looking it up.
/// </summary>
public sealed class JudgedValues : IReadOnlyList<StoredValue>
{
    private readonly StoredValue[] values;

    internal JudgedValues(StoredValue[] values, Cell[] cells, Catalogue.Catalogue catalogue)
    {
        if (cells.Length != values.Length) throw new ArgumentException("One cell per value.", nameof(cells));
        this.values = values;
        Cells = cells;
        Catalogue = catalogue;
    }

    /// <summary>The catalogue's cell of each value, in the same order.</summary>
    internal Cell[] Cells { get; }

    /// <summary>The catalogue the table was judged with.</summary>
    internal Catalogue.Catalogue Catalogue { get; }

    /// <summary>The values themselves, in table order.</summary>
    internal StoredValue[] Items => values;

    public int Count => values.Length;

    public StoredValue this[int index] => values[index];

    public IEnumerator<StoredValue> GetEnumerator() => ((IEnumerable<StoredValue>)values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => values.GetEnumerator();
}
