using BenchmarkDotNet.Attributes;
using Disclosure.Catalogue;

namespace Disclosure.Benchmarks;

/// <summary>One full 2014 table (all 73 value cells, blanks as null) through the engine, valid and with faults.</summary>
[MemoryDiagnoser]
public class ValidateBenchmarks
{
    private Catalogue.Catalogue catalogue = null!;
    private InputValue[] valid = null!;
    private InputValue[] faulty = null!;

    [GlobalSetup]
    public void Setup()
    {
        catalogue = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-2014"];
        valid = [.. SeedTable.Values];
        if (valid.Length != 73) throw new InvalidOperationException($"expected 73 values, got {valid.Length}");
        if (TableValidator.Validate(catalogue, "2014", valid).Violations.Count != 0) throw new InvalidOperationException("the seed table must be valid");

        faulty = [.. valid];
        Replace(faulty, "3.1.1", 53);   // sum
        Replace(faulty, "1.1.a", 20000); // part
        Replace(faulty, "12.2", 18);     // C3
        Replace(faulty, "2.2.3", 2.5m);  // integer
        if (TableValidator.Validate(catalogue, "2014", faulty).Violations.Count != 4) throw new InvalidOperationException("the faulty table must have 4 violations");
    }

    private static void Replace(InputValue[] values, string code, decimal value)
    {
        var i = Array.FindIndex(values, v => v.Code == code);
        values[i] = values[i] with { Value = value };
    }

    [Benchmark(Baseline = true)]
    public TableResult ValidSeedTable() => TableValidator.Validate(catalogue, "2014", valid);

    [Benchmark]
    public TableResult TableWithFourViolations() => TableValidator.Validate(catalogue, "2014", faulty);
}

/// <summary>The seed's district table (峄城区 2014), every value row in table order; blank cells are null.</summary>
internal static class SeedTable
{
    public static readonly InputValue[] Values =
    [
        new("1.1", 11841), new("1.1.a", 3), new("1.1.b", 3), new("1.2.1", 9876), new("1.2.2", 1369), new("1.2.3", 17), new("1.2.4", 579),
        new("2.1", 26), new("2.2.1", null), new("2.2.1.a", null), new("2.2.2", 17), new("2.2.2.a", null), new("2.2.3", 27), new("2.2.4", 20), new("2.2.5", 61),
        new("3.1", 60), new("3.1.1", 52), new("3.1.2", null), new("3.1.3", 5), new("3.1.4", 1), new("3.1.5", 2),
        new("3.2", 60), new("3.2.1", 60), new("3.2.2", null),
        new("3.3", 60), new("3.3.1", 10), new("3.3.2", 47), new("3.3.3", 3), new("3.3.4", null),
        new("3.3.4.a", null), new("3.3.4.b", null), new("3.3.4.c", null), new("3.3.4.d", null), new("3.3.4.e", null), new("3.3.4.f", null),
        new("3.3.5", null), new("3.3.6", null), new("3.3.7", null), new("3.3.8", null),
        new("4", 0), new("4.1", null), new("4.2", null), new("4.3", null),
        new("5", 0), new("5.1", null), new("5.2", null), new("5.3", null),
        new("6", 0), new("6.1", null), new("6.2", null), new("6.3", null),
        new("7", 604), new("7.1", 212), new("7.2", 392),
        new("8", 65), new("8.1", 58), new("8.2", 7),
        new("9", 19), new("9.1", 6), new("9.2", 13),
        new("10", 580), new("10.1", null), new("10.2", null),
        new("11", 0),
        new("12.1", 11), new("12.2", 19), new("12.3", 80), new("12.3.1", 32), new("12.3.2", 48), new("12.4", null),
        new("13.1", 15), new("13.2", 19), new("13.3", 206),
    ];
}
