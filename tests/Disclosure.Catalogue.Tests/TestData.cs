namespace Disclosure.Catalogue.Tests;

/// <summary>One row of Data/gov-info-disclosure-2014.tsv (the transcribed reference table).</summary>
public sealed record ReferenceRow(string Code, string Parent, string Role, string Children, string Relation,
    string Unit, string OverTime, string Name, string Seed);

/// <summary>One row of Data/gov-info-disclosure-2014.rules.tsv.</summary>
public sealed record ReferenceRule(string Id, string Severity, string Expression, string Blank, string Why);

public static class TestData
{
    public const string CatalogueId = "gov-info-disclosure-2014";

    private static readonly Lazy<Catalogue> Shipped = new(() => CatalogueRegistry.LoadEmbedded()[CatalogueId]);

    /// <summary>The shipped 2014 catalogue, compiled once (it is immutable).</summary>
    public static Catalogue Catalogue2014 => Shipped.Value;

    public static IReadOnlyList<ReferenceRow> ReferenceRows() =>
        [.. Table("gov-info-disclosure-2014.tsv", 9).Select(f => new ReferenceRow(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]))];

    public static IReadOnlyList<ReferenceRule> ReferenceRules() =>
        [.. Table("gov-info-disclosure-2014.rules.tsv", 5).Select(f => new ReferenceRule(f[0], f[1], f[2], f[3], f[4]))];

    /// <summary>The seed's district table: every value row, blank cells as null.</summary>
    public static List<InputValue> SeedTable() =>
        [.. ReferenceRows().Where(r => r.Role == "value")
            .Select(r => new InputValue(r.Code, r.Seed.Length == 0 ? null : decimal.Parse(r.Seed, System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>The seed table with one cell changed (null = blank); the code must be a value row of the seed.</summary>
    public static List<InputValue> SeedWith(params (string Code, decimal? Value)[] changes)
    {
        var table = SeedTable();
        foreach (var (code, value) in changes)
        {
            var i = table.FindIndex(v => v.Code == code);
            if (i < 0) throw new ArgumentException($"{code} is not a value row of the seed.", nameof(changes));
            table[i] = table[i] with { Value = value };
        }
        return table;
    }

    private static IEnumerable<string[]> Table(string file, int columns)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", file);
        var header = true;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (header) { header = false; continue; }
            var fields = line.Split('\t');
            if (fields.Length < columns) fields = [.. fields, .. Enumerable.Repeat("", columns - fields.Length)];
            yield return fields;
        }
    }
}
