using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Disclosure.Catalogue;

namespace Disclosure.Benchmarks;

/// <summary>
/// What <c>POST /v1/catalogues</c> does with a document before it stores it: every check, then the compile. Two shapes
/// of the same number of rows: a chain (each row the sum of the next, as deep as a table can be) and a flat list (every
/// row a part of one total, as wide as one can be). Run:
/// <c>dotnet run -c Release --project tests/Disclosure.Benchmarks -- --filter '*CatalogueLoad*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class CatalogueLoadBenchmarks
{
    private CatalogueDocument document = null!;

    [Params(1000, 4000)]
    public int Rows { get; set; }

    [Params("chain", "flat")]
    public string Shape { get; set; } = "chain";

    [GlobalSetup]
    public void Setup()
    {
        var rows = new JsonArray();
        for (var i = 0; i < Rows; i++)
        {
            var chain = Shape == "chain";
            var top = i == 0;
            var row = new JsonObject
            {
                ["code"] = $"r{i}", ["role"] = "value",
                ["children"] = top ? (chain ? "sum" : "part") : chain && i < Rows - 1 ? "sum" : "none",
                ["relation"] = top ? "none" : chain ? "sum-member" : "part", ["unit"] = "件", ["overTime"] = "flow", ["name"] = $"第{i}行",
            };
            if (!top) row["parent"] = chain ? $"r{i - 1}" : "r0";
            rows.Add(row);
        }
        var doc = new JsonObject
        {
            ["id"] = "benchmark", ["title"] = "压力测试表", ["titleEn"] = "Benchmark", ["source"] = "generated",
            ["periods"] = new JsonObject { ["fromYear"] = 2010, ["granularities"] = new JsonArray("year") },
            ["units"] = new JsonArray(new JsonObject { ["code"] = "件", ["nameEn"] = "cases", ["decimals"] = 0 }),
            ["tables"] = new JsonArray(new JsonObject { ["id"] = "main", ["title"] = "表", ["rows"] = rows }),
        };
        document = JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!;
        if (Load().Count != 0) throw new InvalidOperationException("the generated catalogue must pass its checks");
    }

    [Benchmark]
    public IReadOnlyList<Violation> Load() => CatalogueChecker.Check(document, _ => null);
}
