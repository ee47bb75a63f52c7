using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Disclosure.Catalogue;

namespace Disclosure.Benchmarks;

/// <summary>
/// What <c>POST /v1/catalogues</c> does with a document before it stores it: every check, then the compile. Three shapes
/// of the same number of rows: a chain (each row the sum of the next, as deep as a table can be), a flat list (every
/// row a part of one total, as wide as one can be), and the flat list in two columns with a rule for every row, checked
/// in each column (as many rules as rows). Run:
/// <c>dotnet run -c Release --project tests/Disclosure.Benchmarks -- --filter '*CatalogueLoad*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class CatalogueLoadBenchmarks
{
    private CatalogueDocument document = null!;

    // At most CatalogueChecker.MaxCells value cells: a larger catalogue is refused (the rules shape has two columns, so half as many rows).
    [Params(1000, 2000)]
    public int Rows { get; set; }

    [Params("chain", "flat", "rules")]
    public string Shape { get; set; } = "chain";

    [GlobalSetup]
    public void Setup()
    {
        var rows = new JsonArray();
        var rules = new JsonArray();
        var count = Shape == "rules" ? Rows / 2 : Rows;
        for (var i = 0; i < count; i++)
        {
            var chain = Shape == "chain";
            var top = i == 0;
            var row = new JsonObject
            {
                ["code"] = $"r{i}", ["role"] = "value",
                ["children"] = top ? (chain ? "sum" : "part") : chain && i < count - 1 ? "sum" : "none",
                ["relation"] = top ? "none" : chain ? "sum-member" : "part", ["unit"] = "件", ["overTime"] = "flow", ["name"] = $"第{i}行",
            };
            if (!top) row["parent"] = chain ? $"r{i - 1}" : "r0";
            rows.Add(row);
            if (Shape == "rules" && !top)
                rules.Add(new JsonObject
                {
                    ["id"] = $"rule{i}", ["scope"] = "each-column", ["table"] = "main", ["expression"] = $"r{i} <= r0",
                    ["severity"] = "warning", ["why"] = "部分不大于总数", ["whyEn"] = "a part is at most the total",
                });
        }
        var table = new JsonObject { ["id"] = "main", ["title"] = "表", ["rows"] = rows };
        if (Shape == "rules")
            table["columns"] = new JsonArray(new JsonObject { ["code"] = "a", ["role"] = "value", ["name"] = "甲" },
                new JsonObject { ["code"] = "b", ["role"] = "value", ["name"] = "乙" });
        var doc = new JsonObject
        {
            ["id"] = "benchmark", ["title"] = "压力测试表", ["titleEn"] = "Benchmark", ["source"] = "generated",
            ["periods"] = new JsonObject { ["fromYear"] = 2010, ["granularities"] = new JsonArray("year") },
            ["units"] = new JsonArray(new JsonObject { ["code"] = "件", ["nameEn"] = "cases", ["decimals"] = 0 }),
            ["tables"] = new JsonArray(table),
            ["rules"] = rules,
        };
        document = JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!;
        if (Load().Count != 0) throw new InvalidOperationException("the generated catalogue must pass its checks");
    }

    [Benchmark]
    public IReadOnlyList<Violation> Load() => CatalogueChecker.Check(document, _ => null);
}
