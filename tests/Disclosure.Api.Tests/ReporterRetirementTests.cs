using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 撤乡并镇: a town merged or abolished, a department reorganised, is retired from a period (<c>retiredFrom</c>) and from then
/// on is neither expected nor able to submit, while its earlier tables stay and add up where they belong.
/// </summary>
public sealed class ReporterRetirementTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<HttpResponseMessage> PatchAsync(HttpClient client, string id, string json, string mediaType = "application/json") =>
        await client.PatchAsync($"/v1/reporters/{id}", new StringContent(json, Encoding.UTF8, mediaType), Ct);

    private async Task<JsonElement> ReporterAsync(string id) => await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct);

    private async Task<JsonElement> CompletenessAsync(string period, params string[] reporters) =>
        (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?reporters={string.Join(',', reporters)}", Ct)).GetProperty("completeness");

    private static string[] Missing(JsonElement completeness) => [.. completeness.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!)];

    private static string? RetiredFrom(JsonElement reporter) => reporter.TryGetProperty("retiredFrom", out var r) && r.ValueKind != JsonValueKind.Null ? r.GetString() : null;

    [Fact]
    public async Task A_Retirement_Is_Shown_By_Get_And_List_Kept_Through_A_Rename_And_Taken_Back_By_Null()
    {
        var id = await CreateReporterAsync("town");
        Assert.Null(RetiredFrom(await ReporterAsync(id)));

        var response = await PatchAsync(Admin, id, """{"retiredFrom":"2020Q3"}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("2020Q3", RetiredFrom(body));
        Assert.Equal("测试单位 " + id, body.GetProperty("name").GetString());
        Assert.Equal("2020Q3", RetiredFrom(await ReporterAsync(id)));
        Assert.Contains((await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("id").GetString() == id && RetiredFrom(r) == "2020Q3");
        // A patch that leaves retiredFrom out leaves the retirement as it is; both at once change both.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, id, """{"name":"古邵镇"}""")).StatusCode);
        Assert.Equal("2020Q3", RetiredFrom(await ReporterAsync(id)));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, id, """{"name":"古邵镇（已撤并）","retiredFrom":"2021","kind":"town"}""")).StatusCode);
        var both = await ReporterAsync(id);
        Assert.Equal(("古邵镇（已撤并）", "2021"), (both.GetProperty("name").GetString(), RetiredFrom(both)));

        var reinstated = await PatchAsync(Admin, id, """{"retiredFrom":null}""");

        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.Null(RetiredFrom(await reinstated.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        Assert.Null(RetiredFrom(await ReporterAsync(id)));
        Assert.Equal("古邵镇（已撤并）", (await ReporterAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task No_Template_Is_Served_For_A_Period_The_Reporter_Is_Retired_For_And_One_Is_For_The_Periods_It_Still_Owes()
    {
        var id = await CreateReporterAsync("town");
        var (_, own) = await CreateKeyAsync("reporter", id);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, id, """{"retiredFrom":"2014Q3"}""")).StatusCode);

        foreach (var client in new[] { Admin, Factory.Client(own) })
        {
            var refused = await client.GetAsync($"/v1/templates/{Catalogue2014}/2014Q3?reporter={id}", Ct);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("2014Q3", problem.GetProperty("retiredFrom").GetString());
            var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
            Assert.Equal(("reporter-retired", "2014Q3"), (violation.GetProperty("rule").GetString(), violation.GetProperty("actual").GetString()));
            Assert.Contains("已自2014年第3季度起撤并", violation.GetProperty("messageZh").GetString());
            Assert.Contains("没有2014年第3季度的报表", violation.GetProperty("messageZh").GetString());
            // The year 2014 and its first two quarters are still owed.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/templates/{Catalogue2014}/2014Q2?reporter={id}", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Only_The_District_Office_Retires_Or_Reinstates_A_Reporter()
    {
        var id = await CreateReporterAsync("town");
        var (_, own) = await CreateKeyAsync("reporter", id);
        var (_, viewer) = await CreateKeyAsync("viewer");

        await ProblemAsync(await PatchAsync(Factory.Client(own), id, """{"retiredFrom":"2015"}"""), 403);
        await ProblemAsync(await PatchAsync(Factory.Client(viewer), id, """{"retiredFrom":"2015"}"""), 403);
        await ProblemAsync(await PatchAsync(Factory.Client(), id, """{"retiredFrom":"2015"}"""), 401);
        Assert.Null(RetiredFrom(await ReporterAsync(id)));

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, id, """{"retiredFrom":"2015"}""")).StatusCode);
        await ProblemAsync(await PatchAsync(Factory.Client(own), id, """{"retiredFrom":null}"""), 403);
        Assert.Equal("2015", RetiredFrom(await ReporterAsync(id)));
    }

    [Theory]
    [InlineData("""{"retiredFrom":"2020q3"}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":"2020Q5"}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":"2020年"}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":"20"}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":""}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":" 2020"}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":"1899"}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":2020}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":["2020"]}""", "retiredFrom")]
    [InlineData("""{"retiredFrom":"2020","retiredFrom":"2021"}""", "retiredFrom")]
    [InlineData("""{"name":null,"retiredFrom":"2020"}""", "name")]
    [InlineData("""{"name":"","retiredFrom":"2020"}""", "name")]
    [InlineData("""{"retiredFrom":"2020","kind":"village"}""", "kind")]
    [InlineData("""{"retiredFrom":"2020","id":"another-id"}""", "id")]
    public async Task A_Bad_Retirement_Is_400_Naming_The_Field_And_Nothing_Changes(string json, string field)
    {
        var id = await CreateReporterAsync("town");

        var problem = await ProblemAsync(await PatchAsync(Admin, id, json), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
        var stored = await ReporterAsync(id);
        Assert.Null(RetiredFrom(stored));
        Assert.Equal("测试单位 " + id, stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_Kind_Still_Cannot_Change_With_A_Retirement_And_Nothing_Changes()
    {
        var id = await CreateReporterAsync("town");

        var problem = await ProblemAsync(await PatchAsync(Admin, id, """{"retiredFrom":"2015","kind":"department"}"""), 422);

        Assert.Equal("kind-unchangeable", problem.GetProperty("violations")[0].GetProperty("rule").GetString());
        Assert.Null(RetiredFrom(await ReporterAsync(id)));
        await ProblemAsync(await PatchAsync(Admin, NewId("ghost"), """{"retiredFrom":"2015"}"""), 404);
    }

    [Fact]
    public async Task A_Table_For_A_Period_From_The_Retirement_On_Is_Refused_Naming_RetiredFrom_And_Nothing_Is_Stored()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        using var own = Factory.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, town, """{"retiredFrom":"2015Q3"}""")).StatusCode);

        // By the town's own key (refused by the store, in the append's transaction) and by the office (refused by the registry check).
        foreach (var (client, period) in new[] { (own, "2015Q3"), (own, "2016"), (Admin, "2015Q4"), (Admin, "2016Q1") })
        {
            var problem = await ProblemAsync(await SubmitAsync(client, town, period, [new("13.1", 1)]), 422);
            Assert.Equal("2015Q3", problem.GetProperty("retiredFrom").GetString());
            var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
            Assert.Equal("reporter-retired", violation.GetProperty("rule").GetString());
            Assert.Equal([town], violation.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal(("2015Q3", period), (violation.GetProperty("expected").GetString(), violation.GetProperty("actual").GetString()));
            Assert.Contains("retiredFrom", violation.GetProperty("message").GetString());
            Assert.Contains("撤并", violation.GetProperty("messageZh").GetString());
            Assert.Equal(0, (await RevisionsAsync(town, period)).GetArrayLength());
        }
        // A table with errors of its own as well: every violation in one answer.
        var both = await ProblemAsync(await SubmitAsync(Admin, town, "2016", [new("3.1", 7), new("3.1.1", 6)]), 422);
        Assert.Contains(both.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "reporter-retired");
        Assert.Contains(both.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "sum");

        // The dry run says the same, to the town's own key too.
        foreach (var client in new[] { own, Admin })
        {
            var dry = await client.PostAsJsonAsync("/v1/submissions/validate", Body(town, "2016", [new("13.1", 1)]), Ct);
            Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
            var verdict = await dry.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.False(verdict.GetProperty("valid").GetBoolean());
            Assert.Contains(verdict.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "reporter-retired");
        }

        // Periods that began before 2015Q3 are still the town's: its first two quarters and the year 2015.
        foreach (var period in new[] { "2015Q2", "2015", "2014" })
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(own, town, period, [new("13.1", 2)])).StatusCode);
        var valid = await (await own.PostAsJsonAsync("/v1/submissions/validate", Body(town, "2015", [new("13.1", 1)]), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(valid.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_Retired_Reporter_In_A_Closed_Period_Is_Told_Both_By_The_Submit_And_By_Its_Dry_Run()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        using var own = Factory.Client(key);
        const string period = "2017";
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, town, """{"retiredFrom":"2017"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
        try
        {
            static string[] Rules(JsonElement answer) => [.. answer.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("rule").GetString()!)];
            // The town's own key (its retirement found by the store) and the office's (found by the registry check), and a table with an error of its own.
            foreach (var (client, values, expected) in new (HttpClient, KeyValuePair<string, decimal?>[], string[])[]
            {
                (own, [new("13.1", 1)], ["reporter-retired", "period-closed"]),
                (Admin, [new("13.1", 1)], ["reporter-retired", "period-closed"]),
                (Admin, [new("3.1", 7), new("3.1.1", 6)], ["sum", "reporter-retired", "period-closed"]),
            })
            {
                // Still the 422 of a retired reporter, which now names the closed period as well.
                var problem = await ProblemAsync(await SubmitAsync(client, town, period, values), 422);
                Assert.EndsWith("/unprocessable", problem.GetProperty("type").GetString());
                Assert.Equal("2017", problem.GetProperty("retiredFrom").GetString());
                Assert.Equal(expected.Order(StringComparer.Ordinal), Rules(problem).Distinct().Order(StringComparer.Ordinal));

                var dry = await client.PostAsJsonAsync("/v1/submissions/validate", Body(town, period, values), Ct);
                Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
                var verdict = await dry.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.False(verdict.GetProperty("valid").GetBoolean());
                Assert.Equal(Rules(problem), Rules(verdict));
            }
            Assert.Equal(0, (await RevisionsAsync(town, period)).GetArrayLength());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/reopen", null, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task A_Retry_Of_A_Table_Stored_Before_The_Retirement_Replays_It_By_Either_Key_And_The_Dry_Run_Says_So()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        using var own = Factory.Client(key);
        const string period = "2018";
        HttpRequestMessage Request(string path, string idempotencyKey, decimal value) => new(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(Body(town, period, [new("13.1", value)])), Headers = { { "Idempotency-Key", idempotencyKey } },
        };
        var sent = new List<(HttpClient Client, string Key, Guid Id)>();
        foreach (var (client, value) in new[] { (own, 1m), (Admin, 2m) })
        {
            var idempotencyKey = Guid.NewGuid().ToString();
            var stored = await client.SendAsync(Request("/v1/submissions", idempotencyKey, value), Ct);
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            sent.Add((client, idempotencyKey, (await stored.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid()));
        }
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, town, """{"retiredFrom":"2018"}""")).StatusCode);

        foreach (var ((client, idempotencyKey, id), value) in sent.Zip([1m, 2m]))
        {
            var replay = await client.SendAsync(Request("/v1/submissions", idempotencyKey, value), Ct);
            Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
            Assert.Equal(id, (await replay.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
            var dry = await (await client.SendAsync(Request("/v1/submissions/validate", idempotencyKey, value), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(dry.GetProperty("valid").GetBoolean());
            Assert.Equal(id, dry.GetProperty("replays").GetProperty("id").GetGuid());
            // A new table is the retired reporter's, and refused.
            var fresh = await client.SendAsync(Request("/v1/submissions", Guid.NewGuid().ToString(), value), Ct);
            Assert.Equal("reporter-retired", Assert.Single((await ProblemAsync(fresh, 422)).GetProperty("violations").EnumerateArray()).GetProperty("rule").GetString());
        }
        Assert.Equal(2, (await RevisionsAsync(town, period)).GetArrayLength());
    }

    [Fact]
    public async Task A_Town_Merged_Mid_Year_Adds_Its_Flows_To_The_Year_But_Not_Its_Stocks_Which_Are_Its_Successors_At_The_Years_End()
    {
        // 古邵镇 reports 2019's first two quarters, one reading point (9 = 9.2 = 12.2 = 1, stocks) and 5 requests a quarter (2.1, a
        // flow), and is merged into 阴平镇 from 2019Q3, which then has its reading point too: 2 at the end of the year, not 3.
        var merged = await CreateReporterAsync("town");
        var kept = await CreateReporterAsync("town");
        (string, decimal?)[] Figures(decimal points) => [("2.1", 5), ("9", points), ("9.2", points), ("12.2", points)];
        async Task StoreAsync(string reporter, string period, (string Code, decimal? Value)[] values) =>
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, values.Select(v => KeyValuePair.Create(v.Code, v.Value)))).StatusCode);
        foreach (var q in new[] { 1, 2 }) await StoreAsync(merged, $"2019Q{q}", Figures(1));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, merged, """{"retiredFrom":"2019Q3"}""")).StatusCode);
        foreach (var (q, points) in new[] { (1, 1m), (2, 1m), (3, 2m), (4, 2m) }) await StoreAsync(kept, $"2019Q{q}", Figures(points));

        async Task<Dictionary<string, decimal?>> DistrictAsync(string period)
        {
            var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?reporters={merged},{kept}", Ct);
            Assert.Empty(table.GetProperty("violations").EnumerateArray());
            return table.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("role").GetString() == "value")
                .ToDictionary(r => r.GetProperty("code").GetString()!, r => r.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDecimal() : (decimal?)null);
        }
        var year = await DistrictAsync("2019");
        var fourth = await DistrictAsync("2019Q4");
        foreach (var stock in new[] { "9", "9.2", "12.2" }) Assert.Equal((stock, 2m), (stock, year[stock]));
        foreach (var stock in new[] { "9", "9.2", "12.2" }) Assert.Equal(fourth[stock], year[stock]);
        Assert.Equal(30m, year["2.1"]);

        // The breakdown agrees: the merged town's column gives its requests and no reading points, the sum is the district's.
        var breakdown = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2019/breakdown?reporters={merged},{kept}", Ct);
        var columns = breakdown.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("reporter").GetString()).ToList();
        var line = breakdown.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "9");
        Assert.Equal(JsonValueKind.Null, line.GetProperty("values")[columns.IndexOf(merged)].ValueKind);
        Assert.Equal(2m, line.GetProperty("total").GetDecimal());
        var requests = breakdown.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "2.1");
        Assert.Equal(10m, requests.GetProperty("values")[columns.IndexOf(merged)].GetDecimal());
        // Its column says why its stocks are blank: merged from 2019Q3 (the kept town's column says nothing of the kind), and the
        // sheets head it so and say under the table where its year-end figures went.
        var byReporter = breakdown.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("reporter").GetString()!);
        Assert.Equal("2019Q3", byReporter[merged].GetProperty("retiredFrom").GetString());
        Assert.False(byReporter[kept].TryGetProperty("retiredFrom", out var none) && none.ValueKind != JsonValueKind.Null);
        var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2019/breakdown?reporters={merged},{kept}&format=csv", Ct);
        var name = byReporter[merged].GetProperty("name").GetString();
        Assert.Contains($"{name}（据季报，2019年第3季度起撤并）", csv);
        Assert.Contains($"{name}于年内撤并：其时点数（年末数）由接续单位填报", csv);
        // A quarter's breakdown, where nothing is left out, marks nothing.
        var quarter = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2019Q2/breakdown?reporters={merged},{kept}", Ct);
        Assert.All(quarter.GetProperty("columns").EnumerateArray(), c => Assert.False(c.TryGetProperty("retiredFrom", out var r) && r.ValueKind != JsonValueKind.Null));

        // Its own table of the year still says what it held when it went.
        var own = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2019/reporters/{merged}", Ct);
        Assert.Equal(1m, own.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "9").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_Stock_Typed_By_The_Successor_Is_Not_Derived_Because_The_Merged_Town_Whose_Stock_Is_Left_Out_Summed_Its_Own()
    {
        // The merged town leaves 12.3 blank beside its part (the service sums it) in its two quarters; the kept town types it.
        var merged = await CreateReporterAsync("town");
        var kept = await CreateReporterAsync("town");
        foreach (var q in new[] { 1, 2 })
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, merged, $"2013Q{q}", [new("12.3.1", 1), new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, merged, """{"retiredFrom":"2013Q3"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, kept, "2013", [new("12.3", 2), new("12.3.1", 2), new("13.1", 1)])).StatusCode);

        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2013?reporters={merged},{kept}", Ct);
        var row = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "12.3");
        Assert.Equal((2m, 1), (row.GetProperty("total").GetDecimal(), row.GetProperty("reportersGiving").GetInt32()));
        Assert.False(row.GetProperty("derived").GetBoolean());   // the kept town's 2, typed
        Assert.False(row.TryGetProperty("derivedKinds", out _));
    }

    [Fact]
    public async Task A_Retired_Reporter_Is_Neither_Expected_Nor_Missing_From_Its_Retirement_On_While_Its_Earlier_Tables_Still_Add_Up()
    {
        var merged = await CreateReporterAsync("town");
        var kept = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, merged, "2012", [new("13.1", 5)])).StatusCode);
        // The 2013 list names the merged town, as lists written before a merger do.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2013",
            new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { merged, kept } }, Ct)).StatusCode);
        var before = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2013?reporters={merged},{kept}", Ct);
        Assert.Equal(new[] { merged, kept }.Order(StringComparer.Ordinal), Missing((await before.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("completeness")).Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, merged, """{"retiredFrom":"2013"}""")).StatusCode);

        foreach (var period in new[] { "2013", "2013Q2", "2014" })
        {
            var c = await CompletenessAsync(period, merged, kept);
            Assert.Equal(1, c.GetProperty("expected").GetInt32());
            Assert.Equal([kept], Missing(c));
        }
        // The cached table of 2013 is not served again: it was read before the retirement.
        var after = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2013?reporters={merged},{kept}", Ct);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal([kept], Missing((await after.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("completeness")));
        // The period's list is kept as written.
        var settings = await Admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue2014}/2013", Ct);
        Assert.Contains(merged, settings.GetProperty("expectedReporters").EnumerateArray().Select(r => r.GetString()));

        // 2012 began before the retirement: the town is expected there and its table adds up.
        var earlier = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2012?reporters={merged},{kept}", Ct);
        Assert.Equal(2, earlier.GetProperty("completeness").GetProperty("expected").GetInt32());
        Assert.Equal([kept], Missing(earlier.GetProperty("completeness")));
        Assert.Contains(earlier.GetProperty("completeness").GetProperty("reporters").EnumerateArray(), r => r.GetProperty("reporter").GetString() == merged);
        Assert.Equal(5m, earlier.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "13.1").GetProperty("town").GetDecimal());

        // Its key still reads its own earlier table, and its overview of periods leaves the retired ones out.
        var (_, key) = await CreateKeyAsync("reporter", merged);
        using var own = Factory.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/v1/aggregates/{Catalogue2014}/2012/reporters/{merged}", Ct)).StatusCode);
        Assert.Equal(1, (await (await own.GetAsync($"/v1/submissions?reporter={merged}&catalogue={Catalogue2014}&period=2012", Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength());
        var periods = (await own.GetFromJsonAsync<JsonElement>($"/v1/reporters/{merged}/periods", Ct)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("catalogue").GetString() == Catalogue2014).Select(i => i.GetProperty("period").GetString()).ToList();
        Assert.Contains("2012", periods);
        Assert.DoesNotContain("2013", periods);
        var keptPeriods = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{kept}/periods", Ct)).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("period").GetString());
        Assert.Contains("2013", keptPeriods);
    }

    [Fact]
    public async Task A_Table_Of_A_Reporter_Not_Expected_Adds_Up_But_Is_Not_Counted_As_Submitted_Against_The_Expected()
    {
        // A town merged from 2010 whose 2010 table was kept, a town expected and missing, and a department left off the list.
        var merged = await CreateReporterAsync("town");
        var missing = await CreateReporterAsync("town");
        var unlisted = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, merged, "2010", [new("13.1", 5)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, merged, """{"retiredFrom":"2010"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2010Q2",
            new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { missing } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, unlisted, "2010Q2", [new("13.1", 2)])).StatusCode);

        foreach (var (period, other) in new[] { ("2010", merged), ("2010Q2", unlisted) })
        {
            var c = await CompletenessAsync(period, merged, missing, unlisted);
            // 应报 = 已报 + 季报未报齐 + 未报: the table that is not expected is counted apart, and its figures still add up.
            // (In 2010 the unlisted department is expected, and its year rests on its second quarter alone.)
            Assert.Equal(period == "2010" ? 2 : 1, c.GetProperty("expected").GetInt32());
            Assert.Equal(period == "2010" ? [unlisted] : [], c.GetProperty("incomplete").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal(c.GetProperty("expected").GetInt32() - c.GetProperty("incomplete").GetArrayLength() - Missing(c).Length, c.GetProperty("submitted").GetInt32());
            Assert.Equal(1, c.GetProperty("notExpected").GetInt32());
            Assert.Contains(c.GetProperty("reporters").EnumerateArray(), r => r.GetProperty("reporter").GetString() == other);
            var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{period}?reporters={merged},{missing},{unlisted}&format=csv", Ct);
            Assert.Contains("另有不在应报之列的 1 个单位的报表计入合计。", csv);
        }
    }

    [Fact]
    public async Task A_Town_Retired_Mid_Year_Has_Reported_The_Year_With_The_Quarters_It_Owed()
    {
        var merged = await CreateReporterAsync("town");
        var lagging = await CreateReporterAsync("town");
        foreach (var (town, period) in new[] { (merged, "2012Q1"), (merged, "2012Q2"), (lagging, "2012Q1") })
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, period, [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, merged, """{"retiredFrom":"2012Q3"}""")).StatusCode);

        // Its first half is its whole 2012 (it owes no quarter it is retired for); the other town still owes three.
        var c = await CompletenessAsync("2012", merged, lagging);
        Assert.Equal(2, c.GetProperty("expected").GetInt32());
        Assert.Equal(1, c.GetProperty("submitted").GetInt32());
        Assert.Equal([lagging], c.GetProperty("incomplete").EnumerateArray().Select(i => i.GetString()));
        var toCome = c.GetProperty("reporters").EnumerateArray().ToDictionary(r => r.GetProperty("reporter").GetString()!,
            r => r.TryGetProperty("quartersToCome", out var q) ? q.EnumerateArray().Select(p => p.GetString()!).ToArray() : null);
        Assert.Null(toCome[merged]);
        Assert.Equal(["2012Q2", "2012Q3", "2012Q4"], toCome[lagging]!);
        var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2012?reporters={merged},{lagging}&format=csv", Ct);
        Assert.Contains($"应报 2 个单位，已报 1 个，季报未报齐：测试单位 {lagging}（缺第二、三、四季度）。", csv);

        // Its own list says the same.
        var year = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{merged}/periods", Ct)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == "2012");
        Assert.False(year.TryGetProperty("quartersToCome", out _));
        Assert.Equal("onTime", year.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_Reinstated_Reporter_Is_Expected_Again_And_Submits_Again()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, town, """{"retiredFrom":"2011"}""")).StatusCode);
        Assert.Empty(Missing(await CompletenessAsync("2011", town)));
        await ProblemAsync(await SubmitAsync(Admin, town, "2011", [new("13.1", 1)]), 422);

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(Admin, town, """{"retiredFrom":null}""")).StatusCode);

        Assert.Equal([town], Missing(await CompletenessAsync("2011", town)));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2011", [new("13.1", 1)])).StatusCode);
        var c = await CompletenessAsync("2011", town);
        Assert.Empty(Missing(c));
        Assert.Equal(1, c.GetProperty("submitted").GetInt32());
    }
}
