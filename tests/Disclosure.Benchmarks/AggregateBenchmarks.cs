using BenchmarkDotNet.Attributes;
using Disclosure.Catalogue;
using Disclosure.Storage;
using Disclosure.Storage.Sqlite;

namespace Disclosure.Benchmarks;

/// <summary>
/// One district-table read on the embedded store, as the aggregate endpoint asks it, with 32 / 1 000 /
/// 10 000 reporters' tables stored (each the seed's 45 non-blank cells, one revision each). Filled through
/// the storage port in GlobalSetup, like the API fills it. Run:
/// <c>dotnet run -c Release --project tests/Disclosure.Benchmarks -- --filter '*Aggregate*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AggregateBenchmarks
{
    private const string CatalogueId = "gov-info-disclosure-2014";

    // The seed's district table (峄城区 2014): its non-blank cells.
    private static readonly (string Code, decimal Value)[] Seed =
    [
        ("1.1", 11841m), ("1.1.a", 3m), ("1.1.b", 3m), ("1.2.1", 9876m), ("1.2.2", 1369m), ("1.2.3", 17m), ("1.2.4", 579m),
        ("2.1", 26m), ("2.2.2", 17m), ("2.2.3", 27m), ("2.2.4", 20m), ("2.2.5", 61m), ("3.1", 60m), ("3.1.1", 52m),
        ("3.1.3", 5m), ("3.1.4", 1m), ("3.1.5", 2m), ("3.2", 60m), ("3.2.1", 60m), ("3.3", 60m), ("3.3.1", 10m),
        ("3.3.2", 47m), ("3.3.3", 3m), ("4", 0m), ("5", 0m), ("6", 0m), ("7", 604m), ("7.1", 212m), ("7.2", 392m),
        ("8", 65m), ("8.1", 58m), ("8.2", 7m), ("9", 19m), ("9.1", 6m), ("9.2", 13m), ("10", 580m), ("11", 0m),
        ("12.1", 11m), ("12.2", 19m), ("12.3", 80m), ("12.3.1", 32m), ("12.3.2", 48m), ("13.1", 15m), ("13.2", 19m),
        ("13.3", 206m),
    ];

    private string directory = "";
    private SqliteStore store = null!;
    private AggregateQuery query = null!;

    [Params(32, 1_000, 10_000)]
    public int Reporters { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        directory = Directory.CreateTempSubdirectory("disclosure-bench-").FullName;
        store = new SqliteStore($"Data Source={Path.Combine(directory, "bench.db")}", new SqliteSettings());
        await store.InitialiseAsync(CancellationToken.None);

        var catalogue = CatalogueRegistry.LoadEmbedded().TryGet(CatalogueId, out var c) ? c : throw new InvalidOperationException(CatalogueId);
        Period.TryParse("2014", out var year);
        query = new AggregateQuery(CatalogueId, "2014", [.. year.QuartersOfYear().Select(q => q.ToString())],
            catalogue.Cells.Where(cell => cell.OverTime == OverTime.Stock).Select(cell => cell.Code).ToHashSet(StringComparer.Ordinal));

        var values = Seed.Select(v => new StoredValue(v.Code, v.Value, false)).ToArray();
        var now = DateTimeOffset.UtcNow;
        // Many appends in flight at once, as under load, so that group commit fills the store quickly.
        await Parallel.ForEachAsync(Enumerable.Range(0, Reporters), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var id = $"bench-{i:D5}";
            var kind = i == 0 ? ReporterKind.Government : i % 2 == 0 ? ReporterKind.Department : ReporterKind.Town;
            await store.CreateReporterAsync(new Reporter(id, id, kind, now), ct);
            var result = await store.AppendAsync(new Submission(Guid.CreateVersion7(), id, CatalogueId, "2014", 0, now, values, [], null), null, null, ct);
            if (result.Status != AppendStatus.Created) throw new InvalidOperationException($"{id}: {result.Status}");
        });
    }

    [Benchmark]
    public Task<AggregateResult> AggregateAsync() => store.AggregateAsync(query, CancellationToken.None);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
