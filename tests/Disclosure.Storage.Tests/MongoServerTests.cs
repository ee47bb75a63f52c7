using Disclosure.Catalogue;
using Disclosure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Disclosure.Storage.Tests;

/// <summary>
/// What only a MongoDB server can show: a close racing an append in flight, and the plan the server chooses for the
/// idempotency lookup. Runs where <c>DISCLOSURE_TEST_MONGO</c> or Docker exists, like the Mongo half of the contract
/// suite; skipped with the fixture's reason otherwise.
/// </summary>
public sealed class MongoServerTests(MongoStoreFixture fixture) : IClassFixture<MongoStoreFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Noon = new(2015, 1, 20, 12, 0, 0, TimeSpan.Zero);

    private MongoStore Store
    {
        get
        {
            if (fixture.Store is not MongoStore store) { Assert.Skip(fixture.SkipReason ?? "no MongoDB store"); return null!; }
            return store;
        }
    }

    private static Submission Table(string reporter, string catalogue, decimal value) =>
        new(Guid.CreateVersion7(), reporter, catalogue, "2014", 0, Noon, [new StoredValue("1.1", value, false)], [], null);

    [Fact]
    public async Task An_Append_Paused_Between_Its_Read_And_Its_Commit_Loses_To_A_Close_And_Stores_Nothing()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, "r", ReporterKind.Town, Noon), Ct);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var paused = 0;
        store.BeforeAppendWrites = async () =>
        {
            if (Interlocked.Increment(ref paused) != 1) return; // only the first attempt waits
            reached.SetResult();
            await release.Task;
        };
        try
        {
            var append = store.AppendAsync(Table(reporter, catalogue, 5), null, null, Ct);
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
            release.SetResult();
            var result = await append.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Equal(AppendStatus.PeriodClosed, result.Status);
            Assert.Empty(await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
        }
        finally
        {
            store.BeforeAppendWrites = null;
        }
    }

    [Fact]
    public async Task The_Idempotency_Lookup_Is_An_Index_Scan_Examining_At_Most_One_Document()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, "r", ReporterKind.Town, Noon), Ct);
        for (var i = 0; i < 20; i++)
            await store.AppendAsync(Table(reporter, catalogue, i), null, new IdempotencyToken("scope", $"key-{i}", "h"), Ct);

        var client = MongoStore.CreateClient(Environment.GetEnvironmentVariable(MongoStoreFixture.Variable) ?? fixture.ConnectionString!);
        var submissions = client.GetDatabase(fixture.DatabaseName).GetCollection<SubmissionDocument>("submissions");
        var filter = MongoMappingTests.Render(MongoQueries.Idempotency(new IdempotencyToken("scope", "key-7", "h")));
        var explain = await submissions.Database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "explain", new BsonDocument { { "find", "submissions" }, { "filter", filter } } },
            { "verbosity", "executionStats" },
        }, cancellationToken: Ct);
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Contains("IXSCAN", explain["queryPlanner"]["winningPlan"].ToJson());
        Assert.Contains("idempotency", explain["queryPlanner"]["winningPlan"].ToJson());
        Assert.InRange(stats["totalDocsExamined"].ToInt32(), 0, 1);
    }
}
