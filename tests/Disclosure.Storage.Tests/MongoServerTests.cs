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
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
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
    public async Task An_Append_Paused_Between_Its_Read_And_Its_Commit_Loses_To_A_Retirement_And_Stores_Nothing()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
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
            await store.UpdateReporterAsync(reporter, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2014"), Ct);
            release.SetResult();
            var result = await append.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Equal(AppendStatus.ReporterRetired, result.Status);
            Assert.Empty(await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
        }
        finally
        {
            store.BeforeAppendWrites = null;
        }
    }

    // Its commit is then sent with a cancelled token: the driver marks the transaction committed without sending it, so the
    // store sends it again; the caller is answered with what was stored, not told "cancelled" of a stored revision.
    [Fact]
    public async Task An_Append_Whose_Caller_Cancels_As_It_Commits_Is_Committed_And_Answered_As_Stored()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        store.AfterAppendWrites = () => caller.CancelAsync();
        try
        {
            var table = Table(reporter, catalogue, 5);
            var token = new IdempotencyToken(reporter, "cancelled-after-writes", "h");

            var result = await store.AppendAsync(table, null, token, caller.Token).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal((AppendStatus.Created, 1), (result.Status, result.Submission!.Revision));
            Assert.Equal(table.Id, Assert.Single(await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Id);
            Assert.Equal(table.Id, (await store.FindIdempotentAsync(token, Ct))!.Submission.Id);
        }
        finally
        {
            store.AfterAppendWrites = null;
        }
    }

    // Aborted by the store itself (the driver's abort would go with the cancelled token, i.e. not at all), so that what it wrote
    // does not hold up the next append to the period until the server's 60 s transaction limit.
    [Fact]
    public async Task An_Append_Whose_Caller_Cancels_Before_It_Commits_Stores_Nothing_And_Holds_Up_No_Later_Append()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // Cancelled once everything is written, and noticed there, before the commit: as a read or write cut off by the token would.
        store.AfterAppendWrites = async () =>
        {
            await caller.CancelAsync();
            caller.Token.ThrowIfCancellationRequested();
        };
        var table = Table(reporter, catalogue, 5);
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AppendAsync(table, null, null, caller.Token).WaitAsync(TimeSpan.FromSeconds(30), Ct));
        }
        finally
        {
            store.AfterAppendWrites = null;
        }

        Assert.Null(await store.GetSubmissionAsync(table.Id, Ct));
        // Left open, the cancelled transaction's writes would conflict with this one's until the server ended it, 60 s on.
        var next = await store.AppendAsync(Table(reporter, catalogue, 6), null, null, Ct).WaitAsync(TimeSpan.FromSeconds(8), Ct);
        Assert.Equal((AppendStatus.Created, 1), (next.Status, next.Submission!.Revision));
    }

    /// <summary>Starts <paramref name="append"/> and returns once it has read and is about to write; it writes when the returned release is set.</summary>
    private static async Task<(Task<AppendResult> Append, TaskCompletionSource Release)> PausedBeforeWritesAsync(MongoStore store, Func<Task<AppendResult>> append)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var paused = 0;
        store.BeforeAppendWrites = async () =>
        {
            if (Interlocked.Increment(ref paused) != 1) return; // only the first attempt of the first append waits
            reached.SetResult();
            await release.Task;
        };
        var started = append();
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return (started, release);
    }

    // The race the driver's own run again settles: no duplicate key reaches the caller.
    [Fact]
    public async Task Two_First_Revisions_Whose_Snapshots_Overlap_Are_Stored_As_Revisions_One_And_Two()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        try
        {
            var (first, release) = await PausedBeforeWritesAsync(store, () => store.AppendAsync(Table(reporter, catalogue, 1), null, null, Ct));
            var second = await store.AppendAsync(Table(reporter, catalogue, 2), null, null, Ct);
            release.SetResult();
            var late = await first.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal((AppendStatus.Created, 1), (second.Status, second.Submission!.Revision));
            Assert.Equal((AppendStatus.Created, 2), (late.Status, late.Submission!.Revision));
            Assert.Equal([1, 2], (await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Select(r => r.Revision));
        }
        finally
        {
            store.BeforeAppendWrites = null;
        }
    }

    // The two appends share no document, only the idempotency index's key: a write conflict there too, then a mismatch.
    [Fact]
    public async Task An_Idempotency_Key_Stored_By_Another_Append_Since_This_Ones_Snapshot_Is_A_Mismatch_And_Stores_Nothing()
    {
        var store = Store;
        var (reporter, other, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        await store.CreateReporterAsync(new Reporter(other, other, ReporterKind.Town, Noon), Ct);
        var key = Guid.NewGuid().ToString();
        try
        {
            var (first, release) = await PausedBeforeWritesAsync(store,
                () => store.AppendAsync(Table(reporter, catalogue, 1), null, new IdempotencyToken("office", key, "h1"), Ct));
            var winner = await store.AppendAsync(Table(other, catalogue + "-b", 2), null, new IdempotencyToken("office", key, "h2"), Ct);
            release.SetResult();
            var late = await first.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(AppendStatus.Created, winner.Status);
            Assert.Equal(AppendStatus.IdempotencyMismatch, late.Status);
            Assert.Empty(await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
        }
        finally
        {
            store.BeforeAppendWrites = null;
        }
    }

    // An unchanged answer and a stored revision write different collections but claim the key in one document: a conflict there,
    // then a mismatch, even with no period in common.
    [Fact]
    public async Task An_Unchanged_Answer_Whose_Key_Another_Append_Stored_A_Revision_With_Since_Its_Snapshot_Is_A_Mismatch_And_Keeps_Nothing()
    {
        var store = Store;
        var (reporter, other, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        await store.CreateReporterAsync(new Reporter(other, other, ReporterKind.Town, Noon), Ct);
        var head = (await store.AppendAsync(Table(reporter, catalogue, 1), null, null, Ct)).Submission!;
        var key = Guid.NewGuid().ToString();
        try
        {
            var (first, release) = await PausedBeforeWritesAsync(store,
                () => store.AppendAsync(Table(reporter, catalogue, 1), null, new IdempotencyToken("office", key, "h1"), Ct));
            var winner = await store.AppendAsync(Table(other, catalogue + "-b", 2), null, new IdempotencyToken("office", key, "h2"), Ct);
            release.SetResult();
            var late = await first.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal((AppendStatus.Created, AppendStatus.IdempotencyMismatch), (winner.Status, late.Status));
            var found = await store.FindIdempotentAsync(new IdempotencyToken("office", key, "h2"), Ct);
            Assert.Equal((winner.Submission!.Id, true, false), (found!.Submission.Id, found.SameRequest, found.Unchanged));
            Assert.Equal([head.Id], (await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Select(r => r.Id));
        }
        finally
        {
            store.BeforeAppendWrites = null;
        }
    }

    // The answer reads the review and writes the period's document, which the review writes too: the return conflicts, and the
    // answer run again finds the table returned and stores it.
    [Fact]
    public async Task A_Table_Sent_Again_Unchanged_Whose_Return_Committed_Since_Its_Snapshot_Is_Stored_As_The_Next_Revision()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        var head = (await store.AppendAsync(Table(reporter, catalogue, 1), null, null, Ct)).Submission!;
        try
        {
            var (again, release) = await PausedBeforeWritesAsync(store, () => store.AppendAsync(Table(reporter, catalogue, 1), null, null, Ct));
            var returned = await store.ReviewAsync(head.Id, new Review(ReviewDecision.Returned, "请核实 1.1", Noon, null), null, Ct);
            release.SetResult();
            var late = await again.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(ReviewStatus.Stored, returned.Status);
            Assert.Equal((AppendStatus.Created, 2), (late.Status, late.Submission!.Revision));
            var revisions = await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct);
            Assert.Equal((ReviewDecision.Returned, (Review?)null), (revisions[0].Review!.Decision, revisions[1].Review));
        }
        finally
        {
            store.BeforeAppendWrites = null;
        }
    }

    // The contract suite cannot see a period document that holds no settings; this one reads the collection.
    [Fact]
    public async Task A_Change_Of_An_Unknown_Reporter_Or_To_A_Taken_Name_Writes_No_Period_Document()
    {
        var store = Store;
        var (town, holder, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(town, town, ReporterKind.Town, Noon), Ct);
        await store.CreateReporterAsync(new Reporter(holder, holder, ReporterKind.Town, Noon), Ct);
        CataloguePeriod[] open = [new(catalogue, "2015"), new(catalogue, "2016")];

        var unknown = await store.UpdateReporterAsync("r-" + Guid.NewGuid().ToString("N")[..8], new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2015", OpenPeriods: open), Ct);
        var taken = await store.UpdateReporterAsync(town, new ReporterChange(holder, true, "2015", OpenPeriods: open), Ct);

        Assert.Equal((UpdateStatus.NotFound, UpdateStatus.NameTaken), (unknown.Status, taken.Status));
        using var client = MongoStore.CreateClient(fixture.ConnectionString!);
        var periods = client.GetDatabase(fixture.DatabaseName).GetCollection<BsonDocument>("periods");
        Assert.Equal(0, await periods.CountDocumentsAsync(new BsonDocument("_id.catalogue", catalogue), cancellationToken: Ct));
    }

    [Fact]
    public async Task The_Idempotency_Lookup_Is_An_Index_Scan_Examining_At_Most_One_Document()
    {
        var store = Store;
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        for (var i = 0; i < 20; i++)
            await store.AppendAsync(Table(reporter, catalogue, i), null, new IdempotencyToken("scope", $"key-{i}", "h"), Ct);

        using var client = MongoStore.CreateClient(fixture.ConnectionString!);
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

    /// <summary>
    /// Runs <paramref name="test"/> against a database of its own on the suite's server (skipped, with the reason, where there is
    /// none), dropped afterwards: for what a store does to a database it did not create.
    /// </summary>
    private async Task InScratchDatabaseAsync(string suffix, Func<IMongoClient, IMongoDatabase, Task> test)
    {
        _ = Store;
        using var client = MongoStore.CreateClient(fixture.ConnectionString!);
        var database = client.GetDatabase(fixture.DatabaseName + suffix);
        try
        {
            await test(client, database);
        }
        finally
        {
            await client.DropDatabaseAsync(database.DatabaseNamespace.DatabaseName, Ct);
        }
    }

    [Fact]
    public Task An_Index_Of_An_Earlier_Definition_Is_Moved_To_This_Builds_And_Starting_Again_Changes_Nothing()
        => InScratchDatabaseAsync("_migration", async (client, database) =>
        {
            var submissions = database.GetCollection<BsonDocument>("submissions");
            await submissions.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
                new BsonDocument { { "idempotency.scope", 1 }, { "idempotency.key", 1 } },
                new CreateIndexOptions<BsonDocument> { Name = "idempotency", Unique = true, PartialFilterExpression = new BsonDocument("idempotency", new BsonDocument("$exists", true)) }),
                cancellationToken: Ct);
            var moved = new MongoStore(client, database.DatabaseNamespace.DatabaseName, new MongoSettings());
            await moved.InitialiseAsync(Ct);
            await moved.InitialiseAsync(Ct);
            var listed = await (await submissions.Indexes.ListAsync(Ct)).ToListAsync(Ct);
            var idempotency = listed.Single(i => i["name"] == "idempotency");
            Assert.Equal(BsonDocument.Parse("{ 'idempotency.key': { $exists: true } }"), idempotency["partialFilterExpression"].AsBsonDocument);
            var schema = await database.GetCollection<BsonDocument>(MongoSchema.MetaCollection).Find(new BsonDocument("_id", "schema")).SingleAsync(Ct);
            Assert.Equal(MongoSchema.Version, schema["version"].ToInt32());
            Assert.True(await moved.PingAsync(Ct));
        });

    [Fact]
    public Task A_Database_A_Newer_Build_Migrated_Is_Refused_At_Start_And_Its_Indexes_Are_Left_As_They_Are()
        => InScratchDatabaseAsync("_newer", async (client, database) =>
        {
            var submissions = database.GetCollection<BsonDocument>("submissions");
            var newer = new BsonDocument { { "idempotency.scope", 1 }, { "idempotency.key", 1 }, { "v", 1 } };
            await submissions.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(newer, new CreateIndexOptions { Name = "idempotency", Unique = true }), cancellationToken: Ct);
            await database.GetCollection<BsonDocument>(MongoSchema.MetaCollection).InsertOneAsync(
                new BsonDocument { { "_id", "schema" }, { "version", MongoSchema.Version + 1 } }, cancellationToken: Ct);

            var store = new MongoStore(client, database.DatabaseNamespace.DatabaseName, new MongoSettings());
            var refused = await Assert.ThrowsAsync<StoreStartException>(() => store.InitialiseAsync(Ct));

            Assert.Contains($"schema version {MongoSchema.Version + 1}", refused.Message);
            var idempotency = (await (await submissions.Indexes.ListAsync(Ct)).ToListAsync(Ct)).Single(i => i["name"] == "idempotency");
            Assert.Equal(newer, idempotency["key"].AsBsonDocument);
            Assert.Equal(MongoSchema.Version + 1, (await database.GetCollection<BsonDocument>(MongoSchema.MetaCollection).Find(new BsonDocument("_id", "schema")).SingleAsync(Ct))["version"].ToInt32());
        });

    [Fact]
    public Task The_Store_Is_Not_Ready_While_The_Unique_Index_On_Reporters_Names_Is_Missing()
        => InScratchDatabaseAsync("_ready", async (client, database) =>
        {
            var store = new MongoStore(client, database.DatabaseNamespace.DatabaseName, new MongoSettings());
            await store.InitialiseAsync(Ct);
            Assert.True(await store.PingAsync(Ct));

            await database.GetCollection<BsonDocument>("reporters").Indexes.DropOneAsync(MongoSchema.ReporterNameIndex, Ct);

            Assert.False(await store.PingAsync(Ct));
        });

    [Fact]
    public Task Reporters_Sharing_A_Name_From_An_Earlier_Build_Are_Told_Apart_At_Start_And_The_Name_Index_Keeps_Them_So()
        => InScratchDatabaseAsync("_names", async (client, database) =>
        {
            var reporters = database.GetCollection<BsonDocument>("reporters");
            BsonDocument Document(string id, string name, int day, string? retiredFrom = null)
            {
                var document = new BsonDocument { { "_id", id }, { "name", name }, { "kind", "town" }, { "createdAt", Noon.UtcDateTime.AddDays(day) } };
                if (retiredFrom is not null) document["retiredFrom"] = retiredFrom;
                return document;
            }
            await reporters.InsertManyAsync(
            [
                Document("gushao-old", "古邵镇", 0, "2020"), Document("gushao", " 古邵镇 ", 1), Document("cafe-1", "Cafe\u0301镇", 0), Document("cafe-2", "Caf\u00e9镇", 1),
            ], cancellationToken: Ct);
            var moved = new MongoStore(client, database.DatabaseNamespace.DatabaseName, new MongoSettings());
            await moved.InitialiseAsync(Ct);
            await moved.InitialiseAsync(Ct);

            // What the service logs, a warning per reporter: the second start renamed nothing more.
            Assert.Equal(new HashSet<ReporterRename>
            {
                new("gushao-old", "古邵镇", "古邵镇（gushao-old）"), new("cafe-2", "Caf\u00e9镇", "Caf\u00e9镇（cafe-2）"),
                new("gushao", " 古邵镇 ", "古邵镇"), new("cafe-1", "Cafe\u0301镇", "Caf\u00e9镇"),
            }, moved.RenamedReporters.ToHashSet());
            Assert.Equal(4, moved.RenamedReporters.Count);
            Assert.Equal(new Dictionary<string, string>
            {
                ["cafe-1"] = "Caf\u00e9镇", ["cafe-2"] = "Caf\u00e9镇（cafe-2）", ["gushao"] = "古邵镇", ["gushao-old"] = "古邵镇（gushao-old）",
            }, (await moved.ListReportersAsync(Ct)).ToDictionary(r => r.Id, r => r.Name));
            var index = (await (await reporters.Indexes.ListAsync(Ct)).ToListAsync(Ct)).Single(i => i["name"] == MongoSchema.ReporterNameIndex);
            Assert.True(index["unique"].ToBoolean());
            Assert.Equal(MongoSchema.Version, (await database.GetCollection<BsonDocument>(MongoSchema.MetaCollection).Find(new BsonDocument("_id", "schema")).SingleAsync(Ct))["version"].ToInt32());
            var refused = await moved.CreateReporterAsync(new Reporter("gushao-new", "古邵镇", ReporterKind.Town, Noon), Ct);
            Assert.Equal((CreateStatus.NameTaken, "gushao"), (refused.Status, refused.NameHeldBy?.Id));
        });

    [Fact]
    public Task Periods_Closed_By_An_Earlier_Build_Are_Named_As_Their_Reporters_Are_At_Start_And_A_Rename_Leaves_Them_So()
        => InScratchDatabaseAsync("_periodnames", async (client, database) =>
        {
            await database.GetCollection<BsonDocument>("reporters").InsertOneAsync(
                new BsonDocument { { "_id", "gushao" }, { "name", "古邵镇" }, { "kind", "town" }, { "createdAt", Noon.UtcDateTime } }, cancellationToken: Ct);
            await database.GetCollection<BsonDocument>("periods").InsertManyAsync(
            [
                new BsonDocument { { "_id", new BsonDocument { { "catalogue", "c" }, { "period", "2014" } } }, { "closed", true }, { "closedAt", Noon.UtcDateTime } },
                new BsonDocument { { "_id", new BsonDocument { { "catalogue", "c" }, { "period", "2015" } } }, { "closed", false }, { "closedAt", BsonNull.Value } },
            ], cancellationToken: Ct);
            var moved = new MongoStore(client, database.DatabaseNamespace.DatabaseName, new MongoSettings());
            await moved.InitialiseAsync(Ct);

            Assert.Equal(UpdateStatus.Updated, (await moved.UpdateReporterAsync("gushao", new ReporterChange("古邵街道"), Ct)).Status);
            await moved.InitialiseAsync(Ct);

            Assert.Equal(new Dictionary<string, string> { ["gushao"] = "古邵镇" }, (await moved.GetPeriodAsync("c", "2014", Ct)).ReporterNames);
            Assert.Null((await moved.GetPeriodAsync("c", "2015", Ct)).ReporterNames);
        });

    [Fact]
    public async Task An_Append_That_Cannot_Commit_In_Time_Fails_As_A_Store_Fault_And_Stores_Nothing()
    {
        _ = Store;
        using var client = MongoStore.CreateClient(fixture.ConnectionString!);
        var store = new MongoStore(client, fixture.DatabaseName, new MongoSettings { AppendTimeoutSeconds = 1 });
        var (reporter, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        store.BeforeAppendWrites = () => Task.Delay(TimeSpan.FromSeconds(5), Ct);
        var fault = await Assert.ThrowsAsync<StoreFaultException>(() => store.AppendAsync(Table(reporter, catalogue, 1), null, null, Ct));
        Assert.Equal(StoreFaultKind.Unavailable, fault.Kind);
        Assert.Empty(await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
    }

    [Fact]
    public async Task The_Store_Version_Moves_With_Every_Append_Period_Change_And_Review_And_Not_On_A_Read_Or_A_Refusal()
    {
        var store = Store;
        var (reporter, other, catalogue) = ("r-" + Guid.NewGuid().ToString("N")[..8], "r-" + Guid.NewGuid().ToString("N")[..8], "c-" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateReporterAsync(new Reporter(reporter, reporter, ReporterKind.Town, Noon), Ct);
        await store.CreateReporterAsync(new Reporter(other, other, ReporterKind.Town, Noon), Ct);
        var before = await store.GetVersionAsync(Ct);
        Assert.Equal(before, await store.GetVersionAsync(Ct));
        var token = new IdempotencyToken("scope", Guid.NewGuid().ToString(), "h");
        await store.AppendAsync(Table(reporter, catalogue, 1), null, token, Ct);
        var afterAppend = await store.GetVersionAsync(Ct);
        Assert.NotEqual(before, afterAppend);

        // Reads, a replay, a refused append, a refused rename and a save on a stale version write nothing.
        await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct);
        await store.ListLatestAsync(catalogue, ["2014"], Ct);
        Assert.Equal(AppendStatus.Replayed, (await store.AppendAsync(Table(reporter, catalogue, 1), null, token, Ct)).Status);
        Assert.Equal(AppendStatus.RevisionConflict, (await store.AppendAsync(Table(reporter, catalogue, 2), 0, null, Ct)).Status);
        Assert.Equal(UpdateStatus.NameTaken, (await store.UpdateReporterAsync(reporter, new ReporterChange(other), Ct)).Status);
        Assert.Null(await store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, null), 5, Ct));
        Assert.Equal(afterAppend, await store.GetVersionAsync(Ct));

        await store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, null), Ct);
        var afterPeriod = await store.GetVersionAsync(Ct);
        Assert.NotEqual(afterAppend, afterPeriod);
        var head = Assert.Single(await store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
        await store.ReviewAsync(head.Id, new Review(ReviewDecision.Accepted, null, Noon, null), null, Ct);
        Assert.NotEqual(afterPeriod, await store.GetVersionAsync(Ct));
    }
}
