using System.Globalization;

namespace Disclosure.Api.Tests;

/// <summary>The seed's district table (峄城区 2014, column yicheng2014 of the reference file): code → value, null = blank.</summary>
public static class SeedTable
{
    public static readonly IReadOnlyList<(string Code, string Role, decimal? Value)> Rows = Load();

    public static IEnumerable<KeyValuePair<string, decimal?>> Values =>
        Rows.Where(r => r.Role == "value" && r.Value is not null).Select(r => new KeyValuePair<string, decimal?>(r.Code, r.Value));

    public static decimal? Value(string code) => Rows.Single(r => r.Code == code).Value;

    private static List<(string, string, decimal?)> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "gov-info-disclosure-2014.tsv");
        var rows = new List<(string, string, decimal?)>();
        string[]? header = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var f = line.Split('\t');
            if (header is null) { header = f; continue; }
            var value = f[Array.IndexOf(header, "yicheng2014")];
            rows.Add((f[0], f[2], value.Length == 0 ? null : decimal.Parse(value, CultureInfo.InvariantCulture)));
        }
        return rows;
    }
}
