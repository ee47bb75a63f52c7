using Disclosure.Catalogue;
using Disclosure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Disclosure.Storage.Tests;

/// <summary>The MongoDB adapter's stored shapes and queries, checked without a server.</summary>
public sealed class MongoMappingTests
{
    static MongoMappingTests() => MongoMapping.Register();

    private static readonly DateTimeOffset At = new(2015, 1, 20, 12, 0, 0, 123, TimeSpan.Zero);

    private static T RoundTrip<T>(T document, out BsonDocument bson)
    {
        bson = document.ToBsonDocument();
        return BsonSerializer.Deserialize<T>(document.ToBson());
    }

    [Fact]
    public void Submission_Document_Round_Trips_With_Exact_Decimal128_Values_And_Standard_Guids()
    {
        var key = Guid.NewGuid();
        var submission = new Submission(Guid.NewGuid(), "yicheng-edu", "gov-info-disclosure-2014", "2014Q2", 0, At,
            [new StoredValue("11", 0.5m, false), new StoredValue("1.1", 999999999999m, true), new StoredValue("12", 12.34m, false), new StoredValue("1.2", 0.01m, false)],
            [new Violation("C2", Severity.Warning, ["3.3", "3.3.1"], "≤ 5", "7", "3.3.1 exceeds 3.3", "3.3.1 大于 3.3"),
             new Violation(RuleIds.Part, Severity.Error, ["4"], null, null, "m", "中")],
            key);
        var document = SubmissionDocument.From(submission, "town", 3, new IdempotencyToken("scope", "key", "hash"));

        var back = RoundTrip(document, out var bson);

        Assert.Equal(BsonBinarySubType.UuidStandard, bson["_id"].AsBsonBinaryData.SubType);
        Assert.Equal(BsonBinarySubType.UuidStandard, bson["key"].AsBsonBinaryData.SubType);
        Assert.Equal(submission.Id, bson["_id"].AsGuid);
        Assert.All(bson["values"].AsBsonArray, v => Assert.Equal(BsonType.Decimal128, v["value"].BsonType));
        Assert.Equal(["0.5", "999999999999", "12.34", "0.01"], bson["values"].AsBsonArray.Select(v => v["value"].AsDecimal128.ToString()));
        Assert.Equal(BsonType.DateTime, bson["receivedAt"].BsonType);
        Assert.True(bson["latest"].AsBoolean);
        Assert.Equal("town", bson["kind"].AsString);
        Assert.Equal(new BsonDocument { { "scope", "scope" }, { "key", "key" }, { "hash", "hash" } }, bson["idempotency"]);

        var domain = back.ToDomain();
        Assert.Equal(submission with { Revision = 3, Values = [], Warnings = [] }, domain with { Values = [], Warnings = [] });
        Assert.Equal(submission.Values, domain.Values);
        Assert.Equal(submission.Warnings.Select(w => w with { Codes = [] }), domain.Warnings.Select(w => w with { Codes = [] }));
        Assert.Equal(submission.Warnings.Select(w => string.Join(",", w.Codes)), domain.Warnings.Select(w => string.Join(",", w.Codes)));
        Assert.Equal("hash", back.Idempotency!.Hash);
    }

    [Fact]
    public void Submission_Without_Key_Or_Idempotency_Stores_Neither_Field()
    {
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [], [], null);

        var back = RoundTrip(SubmissionDocument.From(submission, "department", 1, null), out var bson);

        Assert.False(bson.Contains("key"));
        Assert.False(bson.Contains("idempotency"));
        Assert.Null(back.SubmittedByKey);
        Assert.Null(back.Idempotency);
    }

    [Fact]
    public void Reporter_Key_And_Period_Documents_Round_Trip()
    {
        var reporter = new Reporter("yicheng-edu", "峄城区教育局", ReporterKind.Department, At);
        Assert.Equal(reporter, RoundTrip(ReporterDocument.From(reporter), out var reporterBson).ToDomain());
        Assert.Equal("yicheng-edu", reporterBson["_id"].AsString);
        Assert.Equal("department", reporterBson["kind"].AsString);

        var key = new ApiKeyRecord(Guid.NewGuid(), "abc", KeyRole.Reporter, "yicheng-edu", At, At.AddDays(1));
        Assert.Equal(key, RoundTrip(KeyDocument.From(key), out var keyBson).ToDomain());
        Assert.Equal(BsonBinarySubType.UuidStandard, keyBson["_id"].AsBsonBinaryData.SubType);
        Assert.Equal("reporter", keyBson["role"].AsString);

        var viewer = new ApiKeyRecord(Guid.NewGuid(), "def", KeyRole.Viewer, null, At, null);
        Assert.Equal(viewer, RoundTrip(KeyDocument.From(viewer), out var viewerBson).ToDomain());
        Assert.Equal(BsonNull.Value, viewerBson["revokedAt"]);

        var period = new PeriodSettings("gov-info-disclosure-2014", "2014", true, At, At.AddDays(-1), ["a", "b"]);
        var periodBack = RoundTrip(PeriodDocument.From(period), out var periodBson).ToDomain();
        Assert.Equal(period with { ExpectedReporters = null }, periodBack with { ExpectedReporters = null });
        Assert.Equal(["a", "b"], periodBack.ExpectedReporters!);
        Assert.Equal(new BsonDocument { { "catalogue", "gov-info-disclosure-2014" }, { "period", "2014" } }, periodBson["_id"]);

        var open = PeriodSettings.Open("c", "2014Q1");
        Assert.Equal(open, RoundTrip(PeriodDocument.From(open), out _).ToDomain());
    }

    [Fact]
    public void Revision_Document_Reads_A_Full_Submission_Without_Its_Values()
    {
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 1, false)], [], null);
        var bson = SubmissionDocument.From(submission, "town", 2, null).ToBsonDocument();

        var revision = BsonSerializer.Deserialize<RevisionDocument>(bson);

        Assert.Equal(new RevisionInfo(submission.Id, "r", "c", "2014", 2, At), revision.ToDomain());
        Assert.Equal("town", revision.Kind);
    }

    private static BsonDocument Render(FilterDefinition<SubmissionDocument> filter) =>
        filter.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry));

    private static string Render(PipelineDefinition<SubmissionDocument, BsonDocument> pipeline) =>
        new BsonArray(pipeline.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry)).Documents).ToString();

    private static string Json(string relaxed) => BsonSerializer.Deserialize<BsonValue>(relaxed.Replace('\'', '"')).ToString()!;

    [Fact]
    public void Head_And_Idempotency_Filters_Render_As_Plain_Equalities()
    {
        Assert.Equal(Json("{ 'reporter' : 'r1', 'catalogue' : 'c', 'period' : '2014', 'latest' : true }"),
            Render(MongoQueries.Head("r1", "c", "2014")).ToString());
        Assert.Equal(Json("{ 'idempotency.scope' : 's', 'idempotency.key' : 'k' }"),
            Render(MongoQueries.Idempotency(new IdempotencyToken("s", "k", "h"))).ToString());
    }

    [Fact]
    public void Client_Strings_That_Look_Like_Operators_Stay_Values()
    {
        var filter = Render(MongoQueries.Head("{ \"$ne\" : null }", "$where", "2014"));

        Assert.Equal(BsonType.String, filter["reporter"].BsonType);
        Assert.Equal("{ \"$ne\" : null }", filter["reporter"].AsString);
        Assert.Equal("$where", filter["catalogue"].AsString);
    }

    [Fact]
    public void Own_Totals_Pipeline_Matches_Heads_Unwinds_Values_And_Groups_By_Code_And_Kind()
    {
        var query = new AggregateQuery("c", "2014", ["2014Q1", "2014Q2"], new HashSet<string> { "8" }, ["a", "b"], ReporterKind.Town);

        Assert.Equal(Json("""
            [
              { '$match' : { 'catalogue' : 'c', 'period' : { '$in' : ['2014'] }, 'latest' : true, 'reporter' : { '$in' : ['a', 'b'] }, 'kind' : 'town' } },
              { '$unwind' : '$values' },
              { '$group' : { '_id' : { 'code' : '$values.code', 'kind' : '$kind' }, 'sum' : { '$sum' : '$values.value' }, 'reporters' : { '$sum' : 1 } } }
            ]
            """), Render(MongoQueries.OwnTotals(query)));
    }

    [Fact]
    public void Own_Totals_Pipeline_Without_Filters_Matches_Every_Head_Of_The_Period()
    {
        var query = new AggregateQuery("c", "2014Q3", [], new HashSet<string>());

        Assert.Equal(Json("{ '$match' : { 'catalogue' : 'c', 'period' : { '$in' : ['2014Q3'] }, 'latest' : true } }"),
            BsonSerializer.Deserialize<BsonArray>(Render(MongoQueries.OwnTotals(query)))[0].ToString());
    }

    [Fact]
    public void Quarter_Totals_Pipeline_Leaves_Out_Reporters_With_A_Yearly_Head_Takes_The_Newest_Quarter_First_For_Stocks_And_The_Oldest_For_Openings()
    {
        var query = new AggregateQuery("c", "2014", ["2014Q1", "2014Q2", "2014Q3", "2014Q4"], new HashSet<string> { "8" });

        Assert.Equal(Json("""
            [
              { '$match' : { 'catalogue' : 'c', 'period' : { '$in' : ['2014Q1', '2014Q2', '2014Q3', '2014Q4'] }, 'latest' : true, 'reporter' : { '$nin' : ['y1', 'y2'] } } },
              { '$unwind' : '$values' },
              { '$sort' : { 'period' : -1 } },
              { '$group' : { '_id' : { 'reporter' : '$reporter', 'code' : '$values.code' }, 'kind' : { '$first' : '$kind' }, 'flow' : { '$sum' : '$values.value' }, 'stock' : { '$first' : '$values.value' }, 'opening' : { '$last' : '$values.value' } } },
              { '$group' : { '_id' : { 'code' : '$_id.code', 'kind' : '$kind' }, 'flow' : { '$sum' : '$flow' }, 'stock' : { '$sum' : '$stock' }, 'opening' : { '$sum' : '$opening' }, 'reporters' : { '$sum' : 1 } } }
            ]
            """), Render(MongoQueries.QuarterTotals(query, ["y1", "y2"])));
    }

    [Fact]
    public void Indexes_Keep_Revisions_Unique_One_Head_Per_Table_And_Idempotency_Keys_Unique()
    {
        var rendered = MongoQueries.SubmissionIndexes().Select(i =>
            (Keys: i.Keys.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry)).ToString(),
             Options: i.Options)).ToList();

        Assert.Equal(Json("{ 'reporter' : 1, 'catalogue' : 1, 'period' : 1, 'revision' : 1 }"), rendered[0].Keys);
        Assert.Equal(Json("{ 'catalogue' : 1, 'period' : 1, 'reporter' : 1 }"), rendered[1].Keys);
        Assert.Equal(Json("{ 'idempotency.scope' : 1, 'idempotency.key' : 1 }"), rendered[2].Keys);
        Assert.All(rendered, r => Assert.True(r.Options.Unique));
        var head = Assert.IsType<CreateIndexOptions<SubmissionDocument>>(rendered[1].Options);
        Assert.Equal(Json("{ 'latest' : true }"), Render(head.PartialFilterExpression).ToString());
        var idempotency = Assert.IsType<CreateIndexOptions<SubmissionDocument>>(rendered[2].Options);
        Assert.Equal(Json("{ 'idempotency' : { '$exists' : true } }"), Render(idempotency.PartialFilterExpression).ToString());
    }

    [Fact]
    public void Database_Name_Comes_From_The_Connection_String_Else_From_Settings()
    {
        Assert.Equal("prod", MongoStore.DatabaseName("mongodb://h1,h2/prod?replicaSet=rs0", new MongoSettings()));
        Assert.Equal("disclosure", MongoStore.DatabaseName("mongodb://h1:27017/?replicaSet=rs0", new MongoSettings()));
    }
}

public sealed class MongoRaceTests
{
    private static MongoCommandException Command(int code, string? label = null, string message = "E11000 duplicate key error collection: disclosure.submissions index: head")
    {
        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("localhost", 27017)));
        var e = new MongoCommandException(connection, message, new BsonDocument("insert", "submissions"), new BsonDocument { { "ok", 0 }, { "code", code } });
        if (label is not null) e.AddErrorLabel(label);
        return e;
    }

    [Fact]
    public void Write_Conflicts_Duplicate_Keys_And_Transient_Transaction_Errors_Are_Races_To_Retry()
    {
        Assert.True(MongoStore.LostRace(Command(112)));
        Assert.True(MongoStore.LostRace(Command(11000)));
        Assert.True(MongoStore.LostRace(Command(251, "TransientTransactionError")));
        Assert.False(MongoStore.LostRace(Command(13)));
        Assert.False(MongoStore.LostRace(Command(11000, message: "E11000 duplicate key error collection: disclosure.submissions index: _id_")));
    }
}
