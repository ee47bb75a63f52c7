using BenchmarkDotNet.Attributes;
using Disclosure.Storage;
using Disclosure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Disclosure.Benchmarks;

/// <summary>
/// The MongoDB aggregate's pipelines for a district of 60 and of 6 000 reporters (a year and its quarters, with and
/// without a filter of reporters), rendered as the driver sends them: what the client pays per read, and the size of
/// what the server is asked to match. The server's side (documents examined, stages) is written up in
/// perf/README.md, "MongoDB aggregate". Run:
/// <c>dotnet run -c Release --project tests/Disclosure.Benchmarks -- --filter '*MongoPipeline*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MongoPipelineBenchmarks
{
    [Params(60, 6000)]
    public int Reporters { get; set; }

    private AggregateQuery whole = null!;
    private AggregateQuery filtered = null!;
    private string[] withOwnHead = [];
    private RenderArgs<SubmissionDocument> args;

    [GlobalSetup]
    public void Setup()
    {
        MongoMapping.Register();
        var ids = Enumerable.Range(0, Reporters).Select(i => $"reporter-{i:D5}").ToArray();
        IReadOnlyList<string> quarters = ["2014Q1", "2014Q2", "2014Q3", "2014Q4"];
        whole = new AggregateQuery("gov-info-disclosure-2014", "2014", quarters, new HashSet<string>(["13.1"]));
        filtered = whole with { Reporters = ids };
        withOwnHead = ids[..(Reporters / 2)];
        args = new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry);
    }

    [Benchmark(Baseline = true)]
    public int WholeDistrict() => Size(MongoQueries.OwnTotals(whole)) + Size(MongoQueries.QuarterTotals(whole, withOwnHead)) + Size(MongoQueries.QuarterBalances(whole, withOwnHead));

    [Benchmark]
    public int FilteredByEveryReporter() => Size(MongoQueries.OwnTotals(filtered)) + Size(MongoQueries.QuarterTotals(filtered, withOwnHead)) + Size(MongoQueries.QuarterBalances(filtered, withOwnHead));

    private int Size(PipelineDefinition<SubmissionDocument, BsonDocument> pipeline) =>
        pipeline.Render(args).Documents.Sum(d => d.ToBson().Length);
}
