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
    public void A_Key_Answered_Unchanged_Is_Keyed_By_Scope_And_Key_In_Its_Id_And_Finds_Its_Revision_By_A_Standard_Guid()
    {
        var revision = Guid.NewGuid();
        var token = new IdempotencyToken("scope", "nightly-1", "hash");
        var document = new UnchangedKeyDocument { Id = UnchangedKeyId.Of(token), Hash = token.RequestHash, Submission = revision };

        var back = RoundTrip(document, out var bson);
        var filter = Builders<UnchangedKeyDocument>.Filter.Eq(k => k.Id, UnchangedKeyId.Of(token))
            .Render(new RenderArgs<UnchangedKeyDocument>(BsonSerializer.LookupSerializer<UnchangedKeyDocument>(), BsonSerializer.SerializerRegistry));

        // The _id is the pair, so a key is taken once; a lookup matches it as a whole, fields in this order.
        Assert.Equal(new BsonDocument { { "scope", "scope" }, { "key", "nightly-1" } }, bson["_id"]);
        Assert.Equal(new BsonDocument("_id", new BsonDocument { { "scope", "scope" }, { "key", "nightly-1" } }), filter);
        Assert.Equal(BsonBinarySubType.UuidStandard, bson["submission"].AsBsonBinaryData.SubType);
        Assert.Equal((revision, "hash", "nightly-1"), (back.Submission, back.Hash, back.Id.Key));
    }

    [Fact]
    public void Submission_Without_Key_Or_Idempotency_Stores_Neither_Field()
    {
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [], [], null);

        var back = RoundTrip(SubmissionDocument.From(submission, "department", 1, null), out var bson);

        Assert.False(bson.Contains("key"));
        Assert.False(bson.Contains("idempotency"));
        Assert.False(bson.Contains("note"));
        Assert.Null(back.SubmittedByKey);
        Assert.Null(back.Idempotency);
    }

    [Fact]
    public void A_Revisions_Note_Is_Stored_As_A_String_And_Read_Back()
    {
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [], [], null, Note: "上次多填一位，已改正。\n第二行");

        var back = RoundTrip(SubmissionDocument.From(submission, "town", 2, null), out var bson);

        Assert.Equal("上次多填一位，已改正。\n第二行", bson["note"].AsString);
        Assert.Equal(submission with { Revision = 2 }, back.ToDomain() with { Values = [], Warnings = [] });
    }

    [Fact]
    public void Reporter_Key_And_Period_Documents_Round_Trip()
    {
        var reporter = new Reporter("yicheng-edu", "峄城区教育局", ReporterKind.Department, At);
        Assert.Equal(reporter, RoundTrip(ReporterDocument.From(reporter), out var reporterBson).ToDomain());
        Assert.Equal("yicheng-edu", reporterBson["_id"].AsString);
        Assert.Equal("department", reporterBson["kind"].AsString);

        var key = new ApiKeyRecord(Guid.NewGuid(), "abc", KeyRole.Reporter, "yicheng-edu", At, At.AddDays(1), "张三");
        Assert.Equal(key, RoundTrip(KeyDocument.From(key), out var keyBson).ToDomain());
        Assert.Equal(BsonBinarySubType.UuidStandard, keyBson["_id"].AsBsonBinaryData.SubType);
        Assert.Equal("reporter", keyBson["role"].AsString);
        Assert.Equal("张三", keyBson["label"].AsString);

        var viewer = new ApiKeyRecord(Guid.NewGuid(), "def", KeyRole.Viewer, null, At, null);
        Assert.Equal(viewer, RoundTrip(KeyDocument.From(viewer), out var viewerBson).ToDomain());
        Assert.Equal(BsonNull.Value, viewerBson["revokedAt"]);
        Assert.False(viewerBson.Contains("label")); // a key issued before labels, or without one, reads the same
        Assert.False(viewerBson.Contains("expiresAt")); // likewise a key without an end

        var expiring = viewer with { Id = Guid.NewGuid(), ExpiresAt = At.AddYears(1) };
        Assert.Equal(expiring, RoundTrip(KeyDocument.From(expiring), out var expiringBson).ToDomain());
        Assert.Equal(BsonType.DateTime, expiringBson["expiresAt"].BsonType);

        var period = new PeriodSettings("gov-info-disclosure-2014", "2014", true, At, At.AddDays(-1), ["a", "b"]);
        var periodBack = RoundTrip(PeriodDocument.From(period), out var periodBson).ToDomain();
        Assert.Equal(period with { ExpectedReporters = null }, periodBack with { ExpectedReporters = null });
        Assert.Equal(["a", "b"], periodBack.ExpectedReporters!);
        Assert.Equal(new BsonDocument { { "catalogue", "gov-info-disclosure-2014" }, { "period", "2014" } }, periodBson["_id"]);

        var open = PeriodSettings.Open("c", "2014Q1");
        Assert.Equal(open, RoundTrip(PeriodDocument.From(open), out _).ToDomain());
    }

    [Fact]
    public void A_Closed_Periods_Names_Are_A_List_Of_Id_And_Name_And_An_Open_Period_Has_None()
    {
        var closed = new PeriodSettings("gov-info-disclosure-2014", "2014", true, At, null, null)
        {
            ReporterNames = new Dictionary<string, string> { ["yicheng-district"] = "峄城区人民政府", ["$gushao.town"] = "古邵镇" },
        };
        var back = RoundTrip(PeriodDocument.From(closed), out var bson).ToDomain();
        Assert.Equal(closed.ReporterNames, back.ReporterNames);
        // A reporter id is a value, never a field name: one that looks like an operator or a path stays a string.
        Assert.Equal(BsonArray.Create(new[]
        {
            new BsonDocument { { "id", "$gushao.town" }, { "name", "古邵镇" } }, new BsonDocument { { "id", "yicheng-district" }, { "name", "峄城区人民政府" } },
        }), bson["reporterNames"]);

        var open = closed with { Closed = false, ClosedAt = null };
        Assert.False(PeriodDocument.From(open).ToBsonDocument().Contains("reporterNames"));
        Assert.Null(RoundTrip(PeriodDocument.From(open), out _).ToDomain().ReporterNames);
    }

    [Fact]
    public void Saving_A_Period_Sets_A_Closed_Ones_Names_And_Removes_An_Open_Ones()
    {
        var args = new RenderArgs<PeriodDocument>(BsonSerializer.LookupSerializer<PeriodDocument>(), BsonSerializer.SerializerRegistry);
        var closed = PeriodDocument.From(new PeriodSettings("c", "2014", true, At, null, null));
        closed.ReporterNames = [new() { Id = "gushao-town", Name = "古邵镇" }];
        var set = MongoQueries.SavePeriod(closed).Render(args).AsBsonDocument;
        Assert.Equal(BsonArray.Create(new[] { new BsonDocument { { "id", "gushao-town" }, { "name", "古邵镇" } } }), set["$set"]["reporterNames"]);
        Assert.True(set["$set"]["closed"].AsBoolean);
        // The first close is kept: a later close's time is not less than it, and sets it only where there is none.
        Assert.Equal(At.UtcDateTime, set["$min"]["firstClosedAt"].ToUniversalTime());
        Assert.Equal(1, set["$inc"]["changes"].ToInt32());
        Assert.Equal(1, set["$inc"]["settingsVersion"].ToInt32());
        Assert.False(set.Contains("$unset"));

        var open = MongoQueries.SavePeriod(PeriodDocument.From(PeriodSettings.Open("c", "2014"))).Render(args).AsBsonDocument;
        Assert.Equal(new BsonDocument("reporterNames", 1), open["$unset"]);
        Assert.False(open.Contains("$min"));
        Assert.False(open["$set"].AsBsonDocument.Contains("reporterNames"));
        Assert.Equal(BsonDocument.Parse("{ closed: true, reporterNames: { $exists: false } }"),
            MongoSchema.ClosedWithoutNames.Render(args));
    }

    [Fact]
    public void A_Conditional_Save_Finds_The_Period_Only_At_Its_Version_And_At_0_Also_Without_One()
    {
        var args = new RenderArgs<PeriodDocument>(BsonSerializer.LookupSerializer<PeriodDocument>(), BsonSerializer.SerializerRegistry);
        var id = PeriodDocument.KeyOf("c", "2014");
        var key = new BsonDocument { { "catalogue", "c" }, { "period", "2014" } };
        Assert.Equal(new BsonDocument("_id", key), MongoQueries.PeriodAt(id, null).Render(args));
        Assert.Equal(new BsonDocument { { "_id", key }, { "settingsVersion", 3 } }, MongoQueries.PeriodAt(id, 3).Render(args));
        // A document an append made, or one saved before the version came in, has none: that is version 0.
        Assert.Equal(new BsonDocument { { "_id", key }, { "$or", new BsonArray { new BsonDocument("settingsVersion", 0),
            new BsonDocument("settingsVersion", new BsonDocument("$exists", false)) } } }, MongoQueries.PeriodAt(id, 0).Render(args));

        var stored = new PeriodDocument { Id = id, SettingsVersion = 5 };
        Assert.Equal(5, RoundTrip(stored, out var bson).ToDomain().Version);
        Assert.Equal(5, bson["settingsVersion"].AsInt32);
        var older = BsonSerializer.Deserialize<PeriodDocument>(new BsonDocument { { "_id", key }, { "closed", false }, { "appends", 2L }, { "changes", 7L } });
        Assert.Equal(0, older.ToDomain().Version);
    }

    [Fact]
    public void A_Retired_Reporter_Keeps_Its_First_Period_Not_Reported_And_One_That_Reports_Has_No_Such_Field()
    {
        var retired = new Reporter("gushao-town", "古邵镇", ReporterKind.Town, At, "2020Q3");
        Assert.Equal(retired, RoundTrip(ReporterDocument.From(retired), out var retiredBson).ToDomain());
        Assert.Equal("2020Q3", retiredBson["retiredFrom"].AsString);

        var reporting = retired with { RetiredFrom = null };
        Assert.Equal(reporting, RoundTrip(ReporterDocument.From(reporting), out var reportingBson).ToDomain());
        Assert.False(reportingBson.Contains("retiredFrom"));
    }

    [Fact]
    public void A_Reporters_Contact_Is_A_Field_Of_Its_Own_Absent_When_Not_Known()
    {
        var known = new Reporter("gushao-town", "古邵镇", ReporterKind.Town, At, Contact: "王芳 0632-7712345");
        Assert.Equal(known, RoundTrip(ReporterDocument.From(known), out var knownBson).ToDomain());
        Assert.Equal("王芳 0632-7712345", knownBson["contact"].AsString);

        var unknown = known with { Contact = null };
        Assert.Equal(unknown, RoundTrip(ReporterDocument.From(unknown), out var unknownBson).ToDomain());
        Assert.False(unknownBson.Contains("contact"));
    }

    [Fact]
    public void Revision_Document_Reads_A_Full_Submission_Without_Its_Values()
    {
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 1, false)], [], null);
        var bson = SubmissionDocument.From(submission, "town", 2, null).ToBsonDocument();

        var revision = BsonSerializer.Deserialize<RevisionDocument>(bson);

        Assert.Equal(new RevisionInfo(submission.Id, "r", "c", "2014", 2, At, null), revision.ToDomain());
        Assert.Equal("town", revision.Kind);
    }

    [Fact]
    public void A_Revision_Read_Through_The_Revision_Projection_Names_The_Key_That_Sent_It()
    {
        var key = Guid.NewGuid();
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 1, false)], [], key);
        var full = SubmissionDocument.From(submission, "town", 2, new IdempotencyToken("s", "k", "h")).ToBsonDocument();
        var projection = MongoQueries.RevisionOnly.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry));

        var revision = BsonSerializer.Deserialize<RevisionDocument>(new BsonDocument(full.Where(e => projection.Names.Contains(e.Name))));

        Assert.Contains("key", projection.Names);
        Assert.Equal(new RevisionInfo(submission.Id, "r", "c", "2014", 2, At, key), revision.ToDomain());
    }

    [Fact]
    public void A_Sent_Time_Is_Stored_Only_When_Stated_And_Read_Back_Through_The_Revision_Projection()
    {
        var sent = new DateTimeOffset(2015, 1, 18, 1, 30, 0, 123, TimeSpan.Zero);
        var keyed = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 1, false)], [], Guid.Empty, sent);
        var own = keyed with { Id = Guid.NewGuid(), SentAt = null };
        var projection = MongoQueries.RevisionOnly.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry));
        var full = SubmissionDocument.From(keyed, "town", 2, null).ToBsonDocument();

        var revision = BsonSerializer.Deserialize<RevisionDocument>(new BsonDocument(full.Where(e => projection.Names.Contains(e.Name))));

        Assert.Equal(new BsonDateTime(sent.UtcDateTime), full["sentAt"]);
        Assert.False(SubmissionDocument.From(own, "town", 1, null).ToBsonDocument().Contains("sentAt"));
        Assert.Equal(sent, revision.ToDomain().SentAt);
        Assert.Equal(sent, BsonSerializer.Deserialize<SubmissionDocument>(full).ToDomain().SentAt);
        Assert.Null(BsonSerializer.Deserialize<SubmissionDocument>(SubmissionDocument.From(own, "town", 1, null).ToBsonDocument()).ToDomain().SentAt);
    }

    [Fact]
    public void A_Review_Set_On_A_Revision_Reads_Back_Through_The_Revision_Projection_And_In_Full()
    {
        var office = Guid.NewGuid();
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 1, false)], [], null);
        var document = SubmissionDocument.From(submission, "town", 2, null);
        document.Review = ReviewDocument.From(new Review(ReviewDecision.Returned, "请核实 1.1", At, office));
        var full = document.ToBsonDocument();
        var projection = MongoQueries.RevisionOnly.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry));

        var revision = BsonSerializer.Deserialize<RevisionDocument>(new BsonDocument(full.Where(e => projection.Names.Contains(e.Name))));

        Assert.Equal("returned", full["review"]["decision"].AsString);
        Assert.Equal(new Review(ReviewDecision.Returned, "请核实 1.1", At, office), revision.ToDomain().Review);
        Assert.Equal(new Review(ReviewDecision.Returned, "请核实 1.1", At, office), BsonSerializer.Deserialize<SubmissionDocument>(full).ToDomain().Review);
        Assert.False(SubmissionDocument.From(submission, "town", 3, null).ToBsonDocument().Contains("review"));
    }

    [Fact]
    public void A_Reviews_Time_Is_A_Bson_Date_That_Names_It_To_An_Expectation_Of_The_Time_As_Shown_To_The_Millisecond()
    {
        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 1, false)], [], null);
        var document = SubmissionDocument.From(submission, "town", 2, null);
        document.Review = ReviewDocument.From(StoredForm.ForStore(new Review(ReviewDecision.Returned, "3.1 不符", At.AddTicks(4567), null)));
        var full = document.ToBsonDocument();
        var projection = MongoQueries.RevisionOnly.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry));

        var read = BsonSerializer.Deserialize<RevisionDocument>(new BsonDocument(full.Where(e => projection.Names.Contains(e.Name)))).ToDomain().Review;

        Assert.Equal(BsonType.DateTime, full["review"]["reviewedAt"].BsonType);
        Assert.Equal(At.ToUnixTimeMilliseconds(), full["review"]["reviewedAt"].AsBsonDateTime.MillisecondsSinceEpoch);
        // As a page sends it back: the time it was shown, in JSON, in Beijing's offset.
        var shown = System.Text.Json.JsonSerializer.Deserialize<DateTimeOffset>(System.Text.Json.JsonSerializer.Serialize(read!.ReviewedAt.ToOffset(TimeSpan.FromHours(8))));
        Assert.True(new ExpectedReview(ReviewState.Returned, shown).IsMetBy(read));
        Assert.False(new ExpectedReview(ReviewState.Returned, shown.AddMilliseconds(1)).IsMetBy(read));
        Assert.False(new ExpectedReview(ReviewState.Accepted, shown).IsMetBy(read));
    }

    [Fact]
    public void The_Contributed_Tables_Projection_Keeps_A_Heads_Revision_Kind_And_Values_And_Reads_Back_Without_The_Rest()
    {
        var projection = MongoQueries.RevisionAndValues.Render(new RenderArgs<SubmissionDocument>(BsonSerializer.LookupSerializer<SubmissionDocument>(), BsonSerializer.SerializerRegistry));
        Assert.Equal(["_id", "reporter", "kind", "catalogue", "period", "revision", "receivedAt", "sentAt", "key", "review", "note", "values"], projection.Names);

        var submission = new Submission(Guid.NewGuid(), "r", "c", "2014", 0, At, [new StoredValue("1.1", 12.50m, false), new StoredValue("11", 0.25m, true)],
            [new Violation("w", Severity.Warning, ["1.1"], null, null, "m", "m")], Guid.NewGuid(), Note: "说明");
        var full = SubmissionDocument.From(submission, "town", 3, new IdempotencyToken("s", "k", "h")).ToBsonDocument();
        var projected = new BsonDocument(full.Where(e => projection.Names.Contains(e.Name)));

        var read = BsonSerializer.Deserialize<SubmissionDocument>(projected);

        Assert.Equal("town", read.Kind);
        Assert.Equal([new StoredValue("1.1", 12.5m, false), new StoredValue("11", 0.25m, true)], read.ToDomain().Values);
        Assert.Equal(3, read.Revision);
        Assert.Equal("说明", read.ToDomain().Note);
    }

    internal static BsonDocument Render(FilterDefinition<SubmissionDocument> filter) =>
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
    public void Tables_By_Id_Render_As_One_In_Of_Standard_Guids_Each_Once()
    {
        var (a, b) = (Guid.Parse("6f1c2a3b-0000-4000-8000-00000000000a"), Guid.Parse("6f1c2a3b-0000-4000-8000-00000000000b"));

        Assert.Equal(Json("{ '_id' : { '$in' : [UUID('6f1c2a3b-0000-4000-8000-00000000000a'), UUID('6f1c2a3b-0000-4000-8000-00000000000b')] } }"),
            Render(MongoQueries.ByIds([a, b, a])).ToString());
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
    public void Quarter_Totals_Pipeline_Leaves_Out_Reporters_With_A_Yearly_Head_Sums_The_Flows_Only_And_Counts_Each_Reporter_Once()
    {
        var query = new AggregateQuery("c", "2014", ["2014Q1", "2014Q2", "2014Q3", "2014Q4"], new HashSet<string> { "8" }) { OpeningCodes = new HashSet<string> { "3.2" } };

        Assert.Equal(Json("""
            [
              { '$match' : { 'catalogue' : 'c', 'period' : { '$in' : ['2014Q1', '2014Q2', '2014Q3', '2014Q4'] }, 'latest' : true, 'reporter' : { '$nin' : ['y1', 'y2'] } } },
              { '$unwind' : '$values' },
              { '$match' : { 'values.code' : { '$nin' : ['3.2', '8'] } } },
              { '$group' : { '_id' : { 'reporter' : '$reporter', 'code' : '$values.code', 'kind' : '$kind' }, 'flow' : { '$sum' : '$values.value' } } },
              { '$group' : { '_id' : { 'code' : '$_id.code', 'kind' : '$_id.kind' }, 'flow' : { '$sum' : '$flow' }, 'reporters' : { '$sum' : 1 } } }
            ]
            """), Render(MongoQueries.QuarterTotals(query, ["y1", "y2"])));
    }

    [Fact]
    public void Quarter_Balances_Pipeline_Gives_Each_Stock_And_Opening_Figure_Of_Each_Quarter_As_It_Is()
    {
        // Which quarter a year takes a stock from depends on its whole sum group, so the store reads the year from these.
        var query = new AggregateQuery("c", "2014", ["2014Q1", "2014Q2", "2014Q3", "2014Q4"], new HashSet<string> { "8", "12.3" }) { OpeningCodes = new HashSet<string> { "3.2" } };

        Assert.Equal(Json("""
            [
              { '$match' : { 'catalogue' : 'c', 'period' : { '$in' : ['2014Q1', '2014Q2', '2014Q3', '2014Q4'] }, 'latest' : true, 'reporter' : { '$nin' : ['y1'] } } },
              { '$unwind' : '$values' },
              { '$match' : { 'values.code' : { '$in' : ['12.3', '3.2', '8'] } } },
              { '$project' : { '_id' : 0, 'reporter' : 1, 'kind' : 1, 'period' : 1, 'code' : '$values.code', 'value' : '$values.value' } }
            ]
            """), Render(MongoQueries.QuarterBalances(query, ["y1"])));
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
        Assert.Equal(Json("{ 'idempotency.key' : { '$exists' : true } }"), Render(idempotency.PartialFilterExpression).ToString());
    }

    [Fact]
    public void Database_Name_Comes_From_The_Connection_String_Else_From_Settings()
    {
        Assert.Equal("prod", MongoStore.DatabaseName("mongodb://h1,h2/prod?replicaSet=rs0", new MongoSettings()));
        Assert.Equal("disclosure", MongoStore.DatabaseName("mongodb://h1:27017/?replicaSet=rs0", new MongoSettings()));
    }

    [Fact]
    public void An_Audit_Entry_Round_Trips_And_Its_Ids_Bytes_Sort_As_Its_Times_Do()
    {
        var entry = new AuditEntry(Guid.CreateVersion7(At), At, "PATCH", "/v1/reporters/gushao-town", "v1/reporters/{id}", 200, Guid.NewGuid(), KeyRole.Admin,
            null, "张三", "10.0.0.7", "'gushao-town': name 古邵镇 → 古邵镇人民政府");

        var back = RoundTrip(AuditDocument.From(entry), out var bson);

        Assert.Equal(entry, back.ToDomain());
        Assert.Equal(BsonBinarySubType.UuidStandard, bson["_id"].AsBsonBinaryData.SubType);
        Assert.Equal(BsonType.DateTime, bson["at"].BsonType);
        Assert.False(bson.Contains("reporter"));
        // The server orders binary values byte by byte: a later entry's id must compare greater, whatever its random part.
        var ids = Enumerable.Range(0, 50).Select(i => Guid.CreateVersion7(At.AddMilliseconds(i * 7))).ToList();
        var byBytes = ids.OrderBy(id => AuditDocument.From(entry with { Id = id }).ToBsonDocument()["_id"].AsBsonBinaryData.Bytes, ByteOrder.Instance).ToList();
        Assert.Equal(ids, byBytes);
        Assert.Equal(ids, ids.OrderBy(id => id.ToString("D"), StringComparer.Ordinal)); // the embedded store's order
    }

    [Fact]
    public void The_Audit_Filter_Renders_As_A_Time_Window_And_An_Id_Bound()
    {
        var before = Guid.CreateVersion7(At);
        var key = Guid.NewGuid();
        var filter = MongoStore.AuditFilter(new AuditQuery(At, At.AddDays(1), before, 10, key))
            .Render(new RenderArgs<AuditDocument>(BsonSerializer.LookupSerializer<AuditDocument>(), BsonSerializer.SerializerRegistry));

        Assert.Equal(new BsonDateTime(At.UtcDateTime), filter["at"]["$gte"]);
        Assert.Equal(new BsonDateTime(At.AddDays(1).UtcDateTime), filter["at"]["$lt"]);
        Assert.Equal(before, filter["_id"]["$lt"].AsGuid);
        Assert.Equal(BsonBinarySubType.UuidStandard, filter["_id"]["$lt"].AsBsonBinaryData.SubType);
        Assert.Equal(key, filter["key"].AsGuid);
        // One key's entries are read through an index on the same field, newest first.
        Assert.Equal(new BsonDocument { { "key", 1 }, { "_id", -1 } },
            MongoStore.AuditByKey.Keys.Render(new RenderArgs<AuditDocument>(BsonSerializer.LookupSerializer<AuditDocument>(), BsonSerializer.SerializerRegistry)));
        Assert.Empty(MongoStore.AuditFilter(new AuditQuery(null, null, null, 10))
            .Render(new RenderArgs<AuditDocument>(BsonSerializer.LookupSerializer<AuditDocument>(), BsonSerializer.SerializerRegistry)));
    }

    [Fact]
    public void A_Window_Of_The_Audit_Log_Has_An_Index_The_Store_Creates_On_The_Field_It_Filters()
    {
        var args = new RenderArgs<AuditDocument>(BsonSerializer.LookupSerializer<AuditDocument>(), BsonSerializer.SerializerRegistry);
        var filter = MongoStore.AuditFilter(new AuditQuery(At, At.AddDays(1), null, 10)).Render(args);
        var created = MongoStore.AuditIndexes.Select(i => i.Keys.Render(args)).ToList();

        // Without it, a day of the log is found by reading the _id index through every entry newer than the day.
        Assert.Equal(["at"], filter.Names);
        Assert.Contains(created, keys => keys.Names.First() == "at");
        Assert.Equal(MongoStore.AuditIndexes.Count, MongoStore.AuditIndexes.Select(i => i.Options.Name).Distinct().Count());
    }

    [Fact]
    public void The_Audit_Filter_Renders_A_Reporter_And_An_Action_With_An_Index_For_The_Reporter()
    {
        var args = new RenderArgs<AuditDocument>(BsonSerializer.LookupSerializer<AuditDocument>(), BsonSerializer.SerializerRegistry);
        var filter = MongoStore.AuditFilter(new AuditQuery(null, null, null, 10, ReporterId: "gushao-town", Action: new AuditAction("PATCH", "v1/reporters/{id}")))
            .Render(args);

        Assert.Equal(new BsonDocument { { "reporter", "gushao-town" }, { "method", "PATCH" }, { "route", "v1/reporters/{id}" } }, filter);
        // The element names the documents are stored with, so the filter finds what AppendAuditAsync wrote.
        var stored = AuditDocument.From(new AuditEntry(Guid.CreateVersion7(At), At, "PATCH", "/v1/reporters/gushao-town", "v1/reporters/{id}", 200,
            Guid.NewGuid(), KeyRole.Reporter, "gushao-town", null, null, null)).ToBsonDocument();
        Assert.All(filter.Names, name => Assert.Equal(filter[name], stored[name]));
        // One reporter's entries are read through an index on the same field, newest first.
        Assert.Equal(new BsonDocument { { "reporter", 1 }, { "_id", -1 } }, MongoStore.AuditByReporter.Keys.Render(args));
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }
}

public sealed class MongoRaceTests
{
    static MongoRaceTests() => MongoMapping.Register();

    private static MongoCommandException Command(int code, BsonDocument? extra = null, string? label = null)
    {
        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("localhost", 27017)));
        var result = new BsonDocument { { "ok", 0 }, { "code", code } };
        if (extra is not null) result.AddRange(extra);
        // The message names the head index on purpose: classification must not read it.
        var e = new MongoCommandException(connection, "E11000 duplicate key error collection: disclosure.submissions index: head", new BsonDocument("insert", "submissions"), result);
        if (label is not null) e.AddErrorLabel(label);
        return e;
    }

    [Fact]
    public void A_Replica_Set_That_Cannot_Be_Reached_Or_Has_No_Primary_Is_A_Fault_Answered_503_Not_500()
    {
        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("localhost", 27017)));
        Exception[] unavailable =
        [
            new TimeoutException("A timeout occurred after 30000ms selecting a server using CompositeServerSelector."),
            new MongoConnectionException(connection, "An exception occurred while receiving a message from the server."),
            new MongoNotPrimaryException(connection, new BsonDocument("insert", "submissions"), new BsonDocument { { "ok", 0 }, { "code", 10107 } }),
            new MongoNodeIsRecoveringException(connection, new BsonDocument("find", "reporters"), new BsonDocument { { "ok", 0 }, { "code", 11602 } }),
            // After a network error the driver pauses the server's pool until it hears from the server again.
            new MongoConnectionPoolPausedException("The connection pool is in paused state for server localhost:27017."),
            new MongoWaitQueueFullException("The wait queue for acquiring a connection to server localhost:27017 is full."),
            new TimeoutException("Timed out waiting for a connection after 120000ms."),
            // A mongos that cannot reach a shard: HostUnreachable, and the other codes the driver retries once itself.
            .. new[] { 6, 7, 89, 134, 262, 9001 }.Select(code => new MongoCommandException(connection, $"code {code}",
                new BsonDocument("find", "periods"), new BsonDocument { { "ok", 0 }, { "code", code } })),
        ];
        foreach (var e in unavailable)
        {
            var fault = StoreFaultException.From(e);
            Assert.NotNull(fault);
            Assert.Equal(StoreFaultKind.Unavailable, fault.Kind);
            Assert.Same(e, fault.InnerException);
        }
        // A majority that does not acknowledge a write within its wtimeout: 503, but the primary may have applied it.
        var writeConcernTimeout = new BsonDocument { { "ok", 1 }, { "n", 1 },
            { "writeConcernError", new BsonDocument { { "code", 64 }, { "codeName", "WriteConcernTimeout" }, { "errmsg", "waiting for replication timed out" } } } };
        var notAcknowledged = new MongoWriteConcernException(connection, "Write concern error.", new WriteConcernResult(writeConcernTimeout));
        var notAcknowledgedFault = StoreFaultException.From(notAcknowledged);
        Assert.Equal(StoreFaultKind.Unavailable, notAcknowledgedFault?.Kind);
        Assert.Contains("may still be applied", notAcknowledgedFault?.Message);
        // A read after a refused write, waiting for a majority past its maxTimeMS: 503, and the write was refused, so nothing was stored.
        var majorityLate = StoreFaultException.From(new MongoExecutionTimeoutException(connection, "operation exceeded time limit"));
        Assert.Equal(StoreFaultKind.Unavailable, majorityLate?.Kind);
        Assert.Contains("nothing was stored", majorityLate?.Message);
        var lateCommit = new MongoExecutionTimeoutException(connection, "operation exceeded time limit");
        lateCommit.AddErrorLabel("UnknownTransactionCommitResult");
        Assert.Contains("it may still be applied", StoreFaultException.From(lateCommit)?.Message);
        // A duplicate key is the request's (or a bug's), a refused command the service's, and a regex's match timeout not the store's.
        Assert.Null(StoreFaultException.From(Command(11000)));
        Assert.Null(StoreFaultException.From(Command(2)));
        Assert.Null(StoreFaultException.From(new MongoConfigurationException("The connection string is not valid.")));
        Assert.Null(StoreFaultException.From(new System.Text.RegularExpressions.RegexMatchTimeoutException()));
    }

    [Fact]
    public void A_Transaction_The_Driver_Stopped_Running_Again_Is_A_Fault_Answered_503_Saying_Whether_It_May_Be_Stored()
    {
        var conflicting = StoreFaultException.From(Command(112, label: "TransientTransactionError"));
        var unknownCommit = StoreFaultException.From(Command(50, label: "UnknownTransactionCommitResult"));

        Assert.Equal(StoreFaultKind.Unavailable, conflicting?.Kind);
        Assert.EndsWith("nothing was stored.", conflicting?.Message);
        Assert.Equal(StoreFaultKind.Unavailable, unknownCommit?.Kind);
        Assert.Contains("it may still be applied", unknownCommit?.Message);
        // Without the driver's label a write conflict is not a fault of the store's reach: it is left to surface.
        Assert.Null(StoreFaultException.From(Command(112)));
    }

    [Fact]
    public void A_Standalone_Server_Or_One_Older_Than_5_0_Is_Refused_At_Start_And_A_Replica_Set_Or_Mongos_Is_Taken()
    {
        var standalone = new BsonDocument { { "isWritablePrimary", true }, { "maxWireVersion", 25 }, { "ok", 1 } };
        Assert.Contains("standalone", MongoStore.TopologyRefusal(standalone));
        Assert.Contains("ConnectionStrings:Mongo", MongoStore.TopologyRefusal(standalone));
        Assert.Null(MongoStore.TopologyRefusal(new BsonDocument { { "isWritablePrimary", true }, { "setName", "rs0" }, { "maxWireVersion", 25 }, { "ok", 1 } }));
        Assert.Null(MongoStore.TopologyRefusal(new BsonDocument { { "isWritablePrimary", true }, { "msg", "isdbgrid" }, { "maxWireVersion", 21 }, { "ok", 1 } }));
        Assert.Contains("older than 5.0 (wire version 9)",
            MongoStore.TopologyRefusal(new BsonDocument { { "isWritablePrimary", true }, { "setName", "rs0" }, { "maxWireVersion", 9 }, { "ok", 1 } }));
    }

    [Fact]
    public void A_Database_Of_A_Newer_Schema_Is_Refused_At_Start_And_One_Of_This_Or_An_Older_Schema_Or_None_Is_Taken()
    {
        BsonDocument Schema(int version) => new() { { "_id", "schema" }, { "version", version } };

        var refusal = MongoSchema.NewerSchemaRefusal(Schema(MongoSchema.Version + 1), "disclosure");

        Assert.Equal($"The MongoDB database 'disclosure' has schema version {MongoSchema.Version + 1}; this build reads up to {MongoSchema.Version}. " +
            "Run the newer build, or restore a backup taken before it.", refusal);
        Assert.Null(MongoSchema.NewerSchemaRefusal(Schema(MongoSchema.Version), "disclosure"));
        Assert.Null(MongoSchema.NewerSchemaRefusal(Schema(1), "disclosure"));
        Assert.Null(MongoSchema.NewerSchemaRefusal(null, "disclosure"));
        Assert.Null(MongoSchema.NewerSchemaRefusal(new BsonDocument("_id", "schema"), "disclosure"));
    }

    [Fact]
    public async Task An_Append_Whose_Commit_Was_Cut_Off_Answers_The_Revision_If_It_Was_Applied_And_Never_Says_Nothing_Was_Stored()
    {
        var cut = new OperationCanceledException("the append's deadline");
        var applied = new Submission(Guid.NewGuid(), "r", "c", "2014", 3, DateTimeOffset.UnixEpoch, [new StoredValue("1.1", 1, false)], [], null);

        var result = await MongoStore.OutcomeOfCutCommitAsync(() => Task.FromResult<Submission?>(applied), cut);
        Assert.Equal(new AppendResult(AppendStatus.Created, applied, 3), result);

        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("localhost", 27017)));
        Func<Task<Submission?>>[] unknown =
        [
            () => Task.FromResult<Submission?>(null),
            () => throw new MongoConnectionException(connection, "the lookup failed too"),
            () => throw new OperationCanceledException("the lookup's deadline"),
        ];
        foreach (var lookup in unknown)
        {
            var fault = await Assert.ThrowsAsync<StoreFaultException>(() => MongoStore.OutcomeOfCutCommitAsync(lookup, cut));
            Assert.Equal(StoreFaultKind.Unavailable, fault.Kind);
            Assert.Contains("may still be applied", fault.Message);
            Assert.DoesNotContain("nothing was stored", fault.Message);
            Assert.Same(cut, fault.InnerException);
        }
    }

    [Fact]
    public void An_Append_Is_Bounded_In_Time_By_Default_Below_A_Gateway_Timeout()
    {
        Assert.InRange(new MongoSettings().AppendTimeoutSeconds, 1, 30);
    }
}

public sealed class MongoSchemaTests
{
    static MongoSchemaTests() => MongoMapping.Register();

    [Fact]
    public void The_Idempotency_Lookup_Filters_On_The_Path_Its_Partial_Index_Requires()
    {
        var filter = MongoMappingTests.Render(MongoQueries.Idempotency(new IdempotencyToken("scope", "key", "hash")));
        var index = MongoSchema.Wanted().Single(i => i.Name == "idempotency");
        var required = Assert.Single(index.PartialFilter!.Names);
        Assert.Contains(required, filter.Names);
        Assert.Equal(index.Keys.Names.Order(), filter.Names.Order());
    }

    [Fact]
    public void Documents_With_Fields_A_Newer_Build_Added_Are_Read_By_This_One()
    {
        var bson = BsonDocument.Parse("""
            { _id: { catalogue: 'c', period: '2014' }, closed: true, appends: 3, changes: 1, addedLater: { any: 'thing' } }
            """);
        var period = BsonSerializer.Deserialize<PeriodDocument>(bson);
        Assert.True(period.Closed);
        Assert.Equal(3, period.Appends);
        var reporter = BsonSerializer.Deserialize<ReporterDocument>(BsonDocument.Parse("{ _id: 'r', name: 'n', kind: 'town', createdAt: ISODate('2015-01-01T00:00:00Z'), region: 'x' }"));
        Assert.Equal("r", reporter.Id);
    }

    private static MongoSchema.IndexSpec Spec(string name, string keys, bool unique = true, string? partial = null) =>
        new(name, BsonDocument.Parse(keys), unique, partial is null ? null : BsonDocument.Parse(partial));

    [Fact]
    public void An_Index_Whose_Definition_Changed_Is_Dropped_By_Name_And_One_That_Did_Not_Is_Left()
    {
        var wanted = MongoSchema.Wanted();
        var existing = new[]
        {
            Spec("_id_", "{ _id: 1 }", unique: false),
            Spec("revision", "{ reporter: 1, catalogue: 1, period: 1, revision: 1 }"),
            Spec("head", "{ catalogue: 1, period: 1, reporter: 1 }", partial: "{ latest: true }"),
            Spec("idempotency", "{ 'idempotency.scope': 1, 'idempotency.key': 1 }", partial: "{ idempotency: { $exists: true } }"),
            Spec("someone-elses", "{ x: 1 }"),
        };
        Assert.Equal(["idempotency"], MongoSchema.ToDrop(existing, wanted));
        // Once moved, a second pod starting finds nothing to drop.
        Assert.Empty(MongoSchema.ToDrop(wanted, wanted));
        // The listing the server gives is read the same way.
        var listed = MongoSchema.IndexSpec.FromListed(BsonDocument.Parse(
            "{ v: 2, key: { catalogue: 1, period: 1, reporter: 1 }, name: 'head', unique: true, partialFilterExpression: { latest: true } }"));
        Assert.True(listed.SameDefinition(wanted.Single(w => w.Name == "head")));
    }

    [Theory]
    [InlineData(27, true)]
    [InlineData(85, true)]
    [InlineData(86, true)]
    [InlineData(13, false)]
    public void Index_Races_Between_Pods_Settle(int code, bool settles)
    {
        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("localhost", 27017)));
        Assert.Equal(settles, MongoSchema.IsIndexRace(new MongoCommandException(connection, "x", new BsonDocument(), new BsonDocument { { "ok", 0 }, { "code", code } })));
    }
}
