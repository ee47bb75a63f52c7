using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

public sealed class AggregateTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<Dictionary<string, JsonElement>> RowsAsync(string period, params string[] reporters)
    {
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?reporters={string.Join(',', reporters)}", Ct);
        return table.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, r => r);
    }

    private static decimal? Total(Dictionary<string, JsonElement> rows, string code) =>
        rows[code].GetProperty("total") is { ValueKind: JsonValueKind.Number } n ? n.GetDecimal() : null;

    [Theory]
    [InlineData("", "town-a,,", "reporters item 2 is empty (two commas together, or one at an end): separate reporter ids with single commas.")]
    [InlineData("", ",town-a", "reporters item 1 is empty (two commas together, or one at an end): separate reporter ids with single commas.")]
    [InlineData("", "town-a,Town-B", "reporters item 2 is not a reporter id: 2 to 64 characters of lower-case letters, digits and '-'.")]
    [InlineData("", "town-a,town-b,town-a", "reporters names 'town-a' more than once (item 3): name each reporter once.")]
    [InlineData("/breakdown", "town-a, town-a", "reporters names 'town-a' more than once (item 2): name each reporter once.")]
    [InlineData("/far-from-last-year", "town-a,", "reporters item 2 is empty (two commas together, or one at an end): separate reporter ids with single commas.")]
    public async Task A_Reporters_Filter_With_An_Empty_Item_Or_A_Repeat_Is_A_400_Naming_It(string list, string reporters, string reason)
    {
        var problem = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014{list}?reporters={Uri.EscapeDataString(reporters)}", Ct), 400);

        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.All(errors, e => Assert.Equal("reporters", e.GetProperty("name").GetString()));
        // Chinese first, then the English this names.
        Assert.StartsWith("所选范围（reporters）", errors[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("。" + reason, errors[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Figure_Is_Derived_Only_Where_No_Reporter_Typed_It()
    {
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync("department");
        // The town leaves 3.1 and 7 blank with their parts given (the service sums them), types 10 = 580 with its parts blank
        // and 4 = 0; the department types 7 itself.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", new Dictionary<string, decimal?>
        {
            ["3.1.1"] = 5, ["3.1.3"] = 2, ["3.2"] = 7, ["3.2.1"] = 7, ["3.3"] = 7, ["3.3.2"] = 7, ["7.1"] = 1, ["7.2"] = 2, ["10"] = 580, ["4"] = 0,
        })).StatusCode);
        var rows = await RowsAsync("2014", town);
        bool Derived(Dictionary<string, JsonElement> r, string code) => r[code].GetProperty("derived").GetBoolean();

        Assert.Equal(7m, Total(rows, "3.1"));
        Assert.True(Derived(rows, "3.1"));
        Assert.True(Derived(rows, "7"));
        Assert.False(Derived(rows, "10"));
        Assert.Equal(580m, Total(rows, "10"));
        Assert.False(Derived(rows, "4"));
        Assert.Equal(0m, Total(rows, "4"));
        Assert.False(Derived(rows, "3.1.1"));
        Assert.False(Derived(rows, "3.1.2")); // blank: nobody's sum

        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, department, "2014", new Dictionary<string, decimal?> { ["7"] = 4, ["7.1"] = 4 })).StatusCode);
        var both = await RowsAsync("2014", town, department);
        Assert.Equal(7m, Total(both, "7"));
        Assert.False(Derived(both, "7")); // typed by one of the two
        Assert.True(Derived(both, "3.1"));
    }

    [Fact]
    public async Task A_Year_From_Quarters_Is_Derived_As_The_Tables_Whose_Figures_It_Takes()
    {
        var stockDerivedLast = await CreateReporterAsync("town");
        var stockTypedLast = await CreateReporterAsync("town");
        // Q1 types the stock 12.3 (80) and leaves the flow 3.1 blank beside its part (the service sums it); Q2 gives neither;
        // Q4 leaves 12.3 blank beside its parts (the service sums it, 30) and 3.1 again.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, stockDerivedLast, "2010Q1", [new("12.3", 80), new("12.3.1", 32), new("12.3.2", 48), new("3.1.1", 5)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, stockDerivedLast, "2010Q2", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, stockDerivedLast, "2010Q4", [new("12.3.1", 10), new("12.3.2", 20), new("3.1.1", 2)])).StatusCode);
        // The reverse: the stock summed in Q1, typed in Q4, the quarter the year takes it from.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, stockTypedLast, "2010Q1", [new("12.3.1", 1), new("12.3.2", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, stockTypedLast, "2010Q4", [new("12.3", 3), new("12.3.1", 1), new("12.3.2", 2)])).StatusCode);
        bool Derived(Dictionary<string, JsonElement> r, string code) => r[code].GetProperty("derived").GetBoolean();

        var derivedLast = await RowsAsync("2010", stockDerivedLast);
        Assert.Equal((30m, true), (Total(derivedLast, "12.3"), Derived(derivedLast, "12.3")));   // Q4's, which nobody typed
        Assert.Equal((7m, true), (Total(derivedLast, "3.1"), Derived(derivedLast, "3.1")));      // summed in both quarters that gave it; Q2 gave none
        Assert.False(Derived(derivedLast, "12.3.1"));
        var typedLast = await RowsAsync("2010", stockTypedLast);
        Assert.Equal((3m, false), (Total(typedLast, "12.3"), Derived(typedLast, "12.3")));
        var both = await RowsAsync("2010", stockDerivedLast, stockTypedLast);
        Assert.Equal((33m, false), (Total(both, "12.3"), Derived(both, "12.3")));
    }

    [Fact]
    public async Task A_Kinds_Figure_Is_Marked_Derived_Where_No_Reporter_Of_That_Kind_Typed_It()
    {
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync("department");
        // The town types 7 itself; the department leaves it blank beside its parts (the service sums it). Both sum 3.1.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("7", 3), new("7.1", 3), new("3.1.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, department, "2014", [new("7.1", 4), new("3.1.1", 2)])).StatusCode);

        var rows = await RowsAsync("2014", town, department);
        string[] Kinds(string code) => rows[code].TryGetProperty("derivedKinds", out var k) ? [.. k.EnumerateArray().Select(e => e.GetString()!)] : [];

        Assert.Equal((7m, false), (Total(rows, "7"), rows["7"].GetProperty("derived").GetBoolean()));
        Assert.Equal(["department"], Kinds("7"));                                // not the town's 3, which it typed
        Assert.True(rows["3.1"].GetProperty("derived").GetBoolean());
        Assert.Equal(["department", "town"], Kinds("3.1"));                       // a derived total is derived in every kind that gave it
        Assert.Empty(Kinds("7.1"));                                               // typed by both: absent
        Assert.False(rows["7.1"].TryGetProperty("derivedKinds", out _));
    }

    [Fact]
    public async Task One_Field_With_Several_Errors_Is_Counted_Once()
    {
        var one = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters=a,,", Ct), 400);

        Assert.Equal(3, one.GetProperty("errors").GetArrayLength());
        Assert.Equal("reporters 有 3 处填写有误，各处见 errors。reporters is malformed in 3 ways; see errors.", one.GetProperty("detail").GetString());
        // Several fields are counted as fields, however many errors each has.
        var two = (Microsoft.AspNetCore.Mvc.ProblemDetails)Infrastructure.Problems.Validation(
            [new("reporters", "item 1"), new("reporters", "item 2"), new("kind", "not a kind")], new Microsoft.AspNetCore.Http.DefaultHttpContext(), 400);
        Assert.Equal("2 项填写有误，各项见 errors。2 fields are malformed; see errors.", two.Detail);
    }

    [Fact]
    public async Task A_Submission_Answered_201_Is_In_The_Very_Next_Read()
    {
        var a = await CreateReporterAsync("town");
        var b = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, a, "2016", [new("13.1", 3), new("13.3", 10)])).StatusCode);
        var rows = await RowsAsync("2016", a, b);
        Assert.Equal(3, Total(rows, "13.1"));
        Assert.Equal(3, rows["13.1"].GetProperty("town").GetDecimal());
        Assert.Equal(JsonValueKind.Null, rows["13.1"].GetProperty("department").ValueKind);
        Assert.Null(Total(rows, "13.2"));

        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, b, "2016", [new("13.1", 4), new("13.2", 0)])).StatusCode);
        rows = await RowsAsync("2016", a, b);
        Assert.Equal(7, Total(rows, "13.1"));
        Assert.Equal(2, rows["13.1"].GetProperty("reportersGiving").GetInt32());
        Assert.Equal(0, Total(rows, "13.2"));
        Assert.Equal(1, rows["13.2"].GetProperty("reportersGiving").GetInt32());
    }

    [Fact]
    public async Task Only_The_Latest_Revision_Counts()
    {
        var a = await CreateReporterAsync();
        await SubmitAsync(Admin, a, "2016", [new("13.1", 3), new("13.2", 5)]);
        await SubmitAsync(Admin, a, "2016", [new("13.1", 8)]);
        var rows = await RowsAsync("2016", a);
        Assert.Equal(8, Total(rows, "13.1"));
        Assert.Null(Total(rows, "13.2"));
    }

    [Fact]
    public async Task The_Kind_Filter_Aggregates_A_Subset()
    {
        var town = await CreateReporterAsync("town");
        var dept = await CreateReporterAsync("department");
        await SubmitAsync(Admin, town, "2017", [new("13.1", 3)]);
        await SubmitAsync(Admin, dept, "2017", [new("13.1", 4)]);
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2017?kind=town&reporters={town},{dept}", Ct);
        var row = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "13.1");
        Assert.Equal(3, row.GetProperty("total").GetDecimal());
        Assert.Equal([town], table.GetProperty("completeness").GetProperty("reporters").EnumerateArray().Select(r => r.GetProperty("reporter").GetString()));
    }

    [Fact]
    public async Task A_Year_Is_Derived_From_Quarters_Flow_Summed_And_Stock_Latest()
    {
        var r = await CreateReporterAsync("town");
        await SubmitAsync(Admin, r, "2018Q1", [new("13.1", 1), new("12.1", 2), new("8.2", 1), new("8", 1)]);
        await SubmitAsync(Admin, r, "2018Q2", [new("13.1", 2), new("12.1", 3)]);
        // Q3 missing entirely; Q4 gives a flow but no stock.
        await SubmitAsync(Admin, r, "2018Q4", [new("13.1", 4)]);
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2018?reporters={r}", Ct);
        var rows = table.GetProperty("rows").EnumerateArray().ToDictionary(x => x.GetProperty("code").GetString()!, x => x);
        Assert.Equal(7, Total(rows, "13.1"));   // flow: 1 + 2 + 4
        Assert.Equal(3, Total(rows, "12.1"));   // stock: Q2 is the latest quarter that gave it
        Assert.Equal(1, Total(rows, "8.2"));    // stock: only Q1 gave it
        Assert.Null(Total(rows, "13.2"));
        var contribution = table.GetProperty("completeness").GetProperty("reporters")[0];
        Assert.Equal("quarters", contribution.GetProperty("source").GetString());
        Assert.Equal(["2018Q1", "2018Q2", "2018Q4"], contribution.GetProperty("submissions").EnumerateArray().Select(s => s.GetProperty("period").GetString()));
    }

    [Fact]
    public async Task A_Year_From_Quarters_Takes_A_Stock_Sum_Group_From_One_Quarter_So_The_District_Table_Adds_Up()
    {
        var town = await CreateReporterAsync("town");
        var other = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2009Q2", [new("12.3", 80), new("12.3.1", 32), new("12.3.2", 48), new("13.1", 1)])).StatusCode);
        // 12.3.1 left blank beside its sibling: 0, a valid table. The year takes 12.3 and its parts from Q3, 12.3.1 blank with them.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2009Q3", [new("12.3", 48), new("12.3.2", 48), new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, other, "2009Q4", [new("12.3", 5), new("12.3.1", 5)])).StatusCode);

        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2009?reporters={town},{other}", Ct);

        var rows = table.GetProperty("rows").EnumerateArray().ToDictionary(x => x.GetProperty("code").GetString()!, x => x);
        Assert.Equal(((decimal?)53, (decimal?)5, (decimal?)48), (Total(rows, "12.3"), Total(rows, "12.3.1"), Total(rows, "12.3.2")));
        Assert.Equal(1, rows["12.3.1"].GetProperty("reportersGiving").GetInt32());   // the town's year has no 12.3.1
        Assert.Equal(3, Total(rows, "13.1"));
        Assert.Empty(table.GetProperty("violations").EnumerateArray());

        // The town alone: Q3's group, not Q2's 32 beside it.
        var alone = await RowsAsync("2009", town);
        Assert.Equal(((decimal?)48, (decimal?)null, (decimal?)48), (Total(alone, "12.3"), Total(alone, "12.3.1"), Total(alone, "12.3.2")));
    }

    [Fact]
    public async Task A_Year_From_Some_Of_Its_Quarters_Adds_Up_But_Is_Not_Yet_Submitted()
    {
        var someQuarters = await CreateReporterAsync("town");
        var fourQuarters = await CreateReporterAsync("town");
        var year = await CreateReporterAsync("department");
        var nothing = await CreateReporterAsync("department");
        const string period = "2011";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{period}",
            new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { someQuarters, fourQuarters, year, nothing } }, Ct)).StatusCode);
        foreach (var q in new[] { "Q1", "Q3" }) Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, someQuarters, period + q, [new("13.1", 1)])).StatusCode);
        foreach (var q in new[] { "Q1", "Q2", "Q3", "Q4" }) Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, fourQuarters, period + q, [new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, year, period, [new("13.1", 10)])).StatusCode);

        var reporters = string.Join(',', someQuarters, fourQuarters, year, nothing);
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?reporters={reporters}", Ct);
        var c = table.GetProperty("completeness");
        // 应报 4 = 已报 2 (a year's table, four quarters) + 季报未报齐 1 + 未报 1; the two quarters still add up.
        Assert.Equal(4, c.GetProperty("expected").GetInt32());
        Assert.Equal(2, c.GetProperty("submitted").GetInt32());
        Assert.Equal([someQuarters], c.GetProperty("incomplete").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal([nothing], c.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        var statuses = c.GetProperty("reporters").EnumerateArray().ToDictionary(r => r.GetProperty("reporter").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal(("notSubmitted", "onTime"), (statuses[someQuarters], statuses[fourQuarters]));
        Assert.Equal(2 + 8 + 10, Total(table.GetProperty("rows").EnumerateArray().ToDictionary(x => x.GetProperty("code").GetString()!, x => x), "13.1"));
        var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{period}?reporters={reporters}&format=csv", Ct);
        Assert.Contains($"应报 4 个单位，已报 2 个，季报未报齐：测试单位 {someQuarters}（缺第二、四季度），未报：测试单位 {nothing}。", csv);

        // A quarter is whole or missing.
        var quarter = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}Q2?reporters={reporters}", Ct)).GetProperty("completeness");
        Assert.Empty(quarter.GetProperty("incomplete").EnumerateArray());
        Assert.Equal(1, quarter.GetProperty("submitted").GetInt32());
    }

    [Fact]
    public async Task Completeness_Lists_Its_Reporters_In_The_Breakdowns_Order_Not_By_Id()
    {
        // Ids in the opposite order to the breakdown's: a department before towns, and towns in registration order.
        var stem = NewId();
        var earlierTown = await CreateReporterAsync("town", "c-" + stem);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var laterTown = await CreateReporterAsync("town", "b-" + stem);
        var department = await CreateReporterAsync("department", "a2-" + stem);
        const string period = "2008Q1"; // a period no other test of the class reads
        foreach (var r in new[] { earlierTown, laterTown, department })
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, r, period, [new("13.1", 1)])).StatusCode);
        var reporters = string.Join(',', laterTown, department, earlierTown);
        var order = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?reporters={reporters}", Ct))
            .GetProperty("completeness").GetProperty("reporters").EnumerateArray().Select(r => r.GetProperty("reporter").GetString());
        Assert.Equal([department, earlierTown, laterTown], order);
        var breakdown = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{period}/breakdown?reporters={reporters}&format=csv", Ct);
        var header = breakdown.Split('\n').First(l => l.Contains(department, StringComparison.Ordinal));
        Assert.True(header.IndexOf(department, StringComparison.Ordinal) < header.IndexOf(earlierTown, StringComparison.Ordinal)
            && header.IndexOf(earlierTown, StringComparison.Ordinal) < header.IndexOf(laterTown, StringComparison.Ordinal), header);
    }

    [Fact]
    public async Task The_Printed_Table_Names_The_Tables_The_Office_Returned_That_Still_Add_Up_Into_It()
    {
        var returned = await CreateReporterAsync("town");
        var accepted = await CreateReporterAsync("town");
        const string period = "2008Q2"; // closed below: a period no other test of the class reads
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{period}",
            new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { returned, accepted } }, Ct)).StatusCode);
        async Task<string> IdOf(HttpResponseMessage created) => (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var returnedId = await IdOf(await SubmitAsync(Admin, returned, period, [new("13.1", 4)]));
        var acceptedId = await IdOf(await SubmitAsync(Admin, accepted, period, [new("13.1", 5)]));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{returnedId}/review", new { decision = "returned", comment = "13.1 与台账不符" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{acceptedId}/review", new { decision = "accepted" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);

        var reporters = string.Join(',', returned, accepted);
        var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{period}?reporters={reporters}&format=csv", Ct);
        // Both add up (4 + 5); the returned one is named, the accepted one is not.
        Assert.Contains($"应报 2 个单位，已报 2 个。已退回待更正、仍按原数计入合计：测试单位 {returned}。", csv);
        Assert.DoesNotContain($"测试单位 {accepted}", csv);
        // One reporter's own table is its own: it is not told about itself in the district's words.
        var own = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{period}?reporters={returned}&format=csv", Ct);
        Assert.DoesNotContain("已退回待更正", own);
    }

    [Fact]
    public async Task A_Quarter_Closed_To_A_Reporter_With_Its_Year_Is_Not_Missing_But_Closed_With_The_Year()
    {
        var fromQuarters = await CreateReporterAsync("town");
        var nothing = await CreateReporterAsync("town");
        var withYear = await CreateReporterAsync("department");
        var sentQuarter = await CreateReporterAsync("town");
        const string year = "2015", quarter = "2015Q3";
        string[] all = [fromQuarters, nothing, withYear, sentQuarter];
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{quarter}",
            new { deadline = "2015-10-15T17:00:00+08:00", expectedReporters = all }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, fromQuarters, "2015Q1", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, withYear, year, [new("13.1", 10)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, sentQuarter, quarter, [new("13.1", 3)])).StatusCode);
        var url = $"/v1/aggregates/{Catalogue2014}/{quarter}?reporters={string.Join(',', all)}";
        async Task<JsonElement> CompletenessAsync() => (await Admin.GetFromJsonAsync<JsonElement>(url, Ct)).GetProperty("completeness");
        static string[] Ids(JsonElement c, string list) => [.. c.GetProperty(list).EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal)];
        string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

        var open = await CompletenessAsync();
        Assert.Equal(Sorted(fromQuarters, nothing, withYear), Ids(open, "missing"));
        Assert.Empty(open.GetProperty("closedWithYear").EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/close", null, Ct)).StatusCode);
        try
        {
            // 应报 4 = 已报 1 + 未报 1 (its year is a table of its own: Q3 is still open to it) + 随年度关闭 2 (a Q3 from them is refused).
            var closed = await CompletenessAsync();
            Assert.Equal(4, closed.GetProperty("expected").GetInt32());
            Assert.Equal(1, closed.GetProperty("submitted").GetInt32());
            Assert.Equal([withYear], Ids(closed, "missing"));
            Assert.Equal(Sorted(fromQuarters, nothing), Ids(closed, "closedWithYear"));
            Assert.Empty(closed.GetProperty("incomplete").EnumerateArray());
            Assert.False(closed.GetProperty("closed").GetBoolean());
            // The quarter's table still adds up what was sent; the printed footer says who is not asked for it any more, and why:
            // a year added up from quarters only of the reporter that sent one; the one that sent nothing of 2015 is said to.
            var footer = $"应报 4 个单位，已报 1 个，未报：测试单位 {withYear}，随2015年度关闭（年度数据由季报汇总，本季度不再报送）：测试单位 {fromQuarters}"
                + $"，随2015年度关闭（2015年度未报任何报表，本季度不再报送）：测试单位 {nothing}。";
            Assert.Contains(footer, await Admin.GetStringAsync(url + "&format=csv", Ct));
            Assert.Contains(footer, await Admin.GetStringAsync(url + "&format=html", Ct));
            // What the office is told agrees with what the reporters are told and what a submission gets.
            async Task<bool> ClosedToAsync(string reporter) => (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{reporter}/periods", Ct))
                .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == quarter)
                .GetProperty("closed").GetBoolean();
            Assert.Equal((true, true, false), (await ClosedToAsync(fromQuarters), await ClosedToAsync(nothing), await ClosedToAsync(withYear)));
            Assert.Equal(year, (await ProblemAsync(await SubmitAsync(Admin, nothing, quarter, [new("13.1", 2)]), 409)).GetProperty("period").GetString());
            // A year is closed or open itself: none of it is closed with it.
            var yearly = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}?reporters={string.Join(',', all)}", Ct)).GetProperty("completeness");
            Assert.Empty(yearly.GetProperty("closedWithYear").EnumerateArray());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/reopen", null, Ct)).StatusCode);
        }
        var reopened = await CompletenessAsync();
        Assert.Equal(Sorted(fromQuarters, nothing, withYear), Ids(reopened, "missing"));
        Assert.Empty(reopened.GetProperty("closedWithYear").EnumerateArray());
    }

    [Fact]
    public async Task A_Reporter_Registered_After_A_Period_Closed_Is_Not_Expected_Of_It_Reopened_Or_Not_Unless_The_Office_Lists_It()
    {
        var reported = await CreateReporterAsync("town");
        var unreported = await CreateReporterAsync("town");
        const string year = "2020", quarter = "2020Q2";
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reported, year, [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reported, quarter, [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/close", null, Ct)).StatusCode);
        try
        {
            Factory.Clock.Advance(TimeSpan.FromDays(30));
            var later = await CreateReporterAsync("town");
            string url(string period) => $"/v1/aggregates/{Catalogue2014}/{period}?reporters={reported},{unreported},{later}";
            async Task<JsonElement> CompletenessAsync(string period) => (await Admin.GetFromJsonAsync<JsonElement>(url(period), Ct)).GetProperty("completeness");
            static string[] Ids(JsonElement c, string list) => [.. c.GetProperty(list).EnumerateArray().Select(m => m.GetString()!)];

            // The closed year, as printed: 应报 2, 已报 1, 未报 the one that did not report; the town registered since is not asked.
            var closed = await CompletenessAsync(year);
            Assert.Equal((2, 1), (closed.GetProperty("expected").GetInt32(), closed.GetProperty("submitted").GetInt32()));
            Assert.Equal([unreported], Ids(closed, "missing"));
            Assert.Contains("应报 2 个单位，已报 1 个", await Admin.GetStringAsync(url(year) + "&format=csv", Ct));
            // A quarter closed with the year: the same two.
            Assert.Equal(2, (await CompletenessAsync(quarter)).GetProperty("expected").GetInt32());
            // An open period asks the new town too.
            Assert.Equal(3, (await CompletenessAsync("2017Q3")).GetProperty("expected").GetInt32());
            // The town's own list does not owe the closed year, and the office's 分单位填报 workbook has no column for it.
            var own = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{later}/periods", Ct)).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("catalogue").GetString() == Catalogue2014).Select(i => i.GetProperty("period").GetString()).ToList();
            Assert.DoesNotContain(year, own);
            Assert.Contains(year, (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{unreported}/periods", Ct)).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("catalogue").GetString() == Catalogue2014).Select(i => i.GetProperty("period").GetString()));
            static string Text(byte[] xlsx)
            {
                using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(xlsx));
                return string.Concat(zip.Entries.Select(e => new StreamReader(e.Open()).ReadToEnd()));
            }
            var workbook = Text(await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/{year}/reporters", Ct));
            Assert.Contains(unreported, workbook);
            Assert.DoesNotContain(later, workbook);
            // The quarter closed after its year still expects those registered by the year's closing, the earlier one.
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{quarter}/close", null, Ct)).StatusCode);
            Assert.Equal(2, (await CompletenessAsync(quarter)).GetProperty("expected").GetInt32());
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{quarter}/reopen", null, Ct)).StatusCode);

            // The office may not list it for the closed year as it stands (the list decides who is missing in the table it was
            // closed with); reopened, listed and closed again, the year expects it, as listed.
            var listed = new { expectedReporters = new[] { reported, unreported, later } };
            Assert.Equal(HttpStatusCode.Conflict, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{year}", listed, Ct)).StatusCode);
            Assert.Equal(2, (await CompletenessAsync(year)).GetProperty("expected").GetInt32());
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/reopen", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{year}", listed, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/close", null, Ct)).StatusCode);
            Assert.Equal(new[] { unreported, later }.Order(StringComparer.Ordinal), Ids(await CompletenessAsync(year), "missing").Order(StringComparer.Ordinal));

            // Reopened without a list, the year asks those registered by its first close, as it was published: the new town
            // registered since does not owe it (the office lists it, as above, when it does).
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/reopen", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{year}", new { expectedReporters = (string[]?)null }, Ct)).StatusCode);
            Assert.Equal(2, (await CompletenessAsync(year)).GetProperty("expected").GetInt32());
        }
        finally
        {
            await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/reopen", null, Ct);
        }
    }

    [Fact]
    public async Task A_Yearly_Submission_Overrides_The_Quarters()
    {
        var r = await CreateReporterAsync("town");
        await SubmitAsync(Admin, r, "2019Q1", [new("13.1", 1)]);
        await SubmitAsync(Admin, r, "2019Q2", [new("13.1", 2)]);
        await SubmitAsync(Admin, r, "2019", [new("13.1", 10)]);
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2019?reporters={r}", Ct);
        var row = table.GetProperty("rows").EnumerateArray().Single(x => x.GetProperty("code").GetString() == "13.1");
        Assert.Equal(10, row.GetProperty("total").GetDecimal());
        Assert.Equal("submission", table.GetProperty("completeness").GetProperty("reporters")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task Completeness_Lists_Missing_And_Late_Reporters()
    {
        var onTime = await CreateReporterAsync();
        var late = await CreateReporterAsync();
        var missing = await CreateReporterAsync();
        const string period = "2013";
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{period}",
            new { deadline, expectedReporters = new[] { onTime, late, missing } }, Ct)).StatusCode);
        await SubmitAsync(Admin, onTime, period, [new("13.1", 1)]);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        await SubmitAsync(Admin, late, period, [new("13.1", 1)]);

        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}", Ct);
        var c = table.GetProperty("completeness");
        Assert.Equal(3, c.GetProperty("expected").GetInt32());
        Assert.Equal([missing], c.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        var byReporter = c.GetProperty("reporters").EnumerateArray().ToDictionary(r => r.GetProperty("reporter").GetString()!, r => r.GetProperty("late").GetBoolean());
        Assert.False(byReporter[onTime]);
        Assert.True(byReporter[late]);
    }

    [Fact]
    public async Task Completeness_Tells_A_Late_First_Revision_From_A_Revision_After_The_Deadline()
    {
        var onTime = await CreateReporterAsync("town");
        var revisedLate = await CreateReporterAsync("town");
        var late = await CreateReporterAsync("department");
        var missing = await CreateReporterAsync("government");
        const string period = "2012";
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{period}",
            new { deadline, expectedReporters = new[] { onTime, revisedLate, late, missing } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, onTime, period, [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, onTime, period, [new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, revisedLate, period, [new("13.1", 1)])).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, revisedLate, period, [new("13.1", 3)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, late, period, [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, late, period, [new("13.1", 4)])).StatusCode);

        var c = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}", Ct)).GetProperty("completeness");
        var status = c.GetProperty("reporters").EnumerateArray().ToDictionary(r => r.GetProperty("reporter").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("onTime", status[onTime]);
        Assert.Equal("revisedLate", status[revisedLate]);
        Assert.Equal("late", status[late]);
        Assert.False(status.ContainsKey(missing));
        Assert.Equal([missing], c.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Late_Is_True_Exactly_When_The_Status_Is_Late_Or_RevisedLate()
    {
        var partial = await CreateReporterAsync("town");
        var datedBack = await CreateReporterAsync("town");
        const string year = "2010";
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{year}", new { deadline }, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        // 季报未报齐: its first quarter came after the year's deadline, and three are still to come.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, partial, "2010Q1", [new("13.1", 1)])).StatusCode);
        // Sent late, then a correction the office enters as sent before the deadline: the late first revision still counts.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, datedBack, year, [new("13.1", 1)])).StatusCode);
        var sentAt = Uri.EscapeDataString(deadline.AddHours(-1).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync($"/v1/submissions?sentAt={sentAt}", Body(datedBack, year, [new("13.1", 2)]), Ct)).StatusCode);

        var reporters = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}?reporters={partial},{datedBack}", Ct))
            .GetProperty("completeness").GetProperty("reporters").EnumerateArray()
            .ToDictionary(r => r.GetProperty("reporter").GetString()!, r => (r.GetProperty("status").GetString(), r.GetProperty("late").GetBoolean()));
        Assert.Equal(("notSubmitted", false), reporters[partial]);
        Assert.Equal(("revisedLate", true), reporters[datedBack]);
    }

    [Fact]
    public async Task An_Unchanged_Table_Answers_304_To_Its_ETag()
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2016", [new("13.1", 1)]);
        var url = $"/v1/aggregates/{Catalogue2014}/2016?reporters={r}";
        var first = await Admin.GetAsync(url, Ct);
        var etag = first.Headers.ETag!;
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);

        await SubmitAsync(Admin, r, "2016", [new("13.1", 2)]);
        var changed = new HttpRequestMessage(HttpMethod.Get, url);
        changed.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(changed, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/breakdown")]
    public async Task The_Same_Table_Built_Again_Is_The_Same_Workbook(string view)
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2016", [new("13.1", 1)]);
        var url = $"/v1/aggregates/{Catalogue2014}/2016{view}?reporters={r}&format=xlsx";
        var first = await Admin.GetByteArrayAsync(url, Ct);
        // A write elsewhere makes the next read build the table again rather than reuse these bytes (AggregateCache).
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, await CreateReporterAsync(), "2015", [new("13.1", 1)])).StatusCode);
        Assert.Equal(first, await Admin.GetByteArrayAsync(url, Ct));
    }

    [Fact]
    public async Task The_Workbooks_Tag_Is_Strong_Since_The_Same_Table_Is_The_Same_Package_And_Answers_304()
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2016", [new("13.1", 1)]);
        var url = $"/v1/aggregates/{Catalogue2014}/2016?reporters={r}";
        var csv = await Admin.GetAsync(url + "&format=csv", Ct);
        Assert.False(csv.Headers.ETag!.IsWeak); // the same bytes every time
        var xlsx = await Admin.GetAsync(url + "&format=xlsx", Ct);
        Assert.False(xlsx.Headers.ETag!.IsWeak);
        // Built again after a write elsewhere, the same table has the same tag.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, await CreateReporterAsync(), "2015", [new("13.1", 1)])).StatusCode);
        Assert.Equal(xlsx.Headers.ETag, (await Admin.GetAsync(url + "&format=xlsx", Ct)).Headers.ETag);
        // 304 while the table is the same; 200 once it changes.
        var again = new HttpRequestMessage(HttpMethod.Get, url + "&format=xlsx");
        again.Headers.IfNoneMatch.Add(xlsx.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);
        await SubmitAsync(Admin, r, "2016", [new("13.1", 2)]);
        var changed = new HttpRequestMessage(HttpMethod.Get, url + "&format=xlsx");
        changed.Headers.IfNoneMatch.Add(xlsx.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(changed, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("W/{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("\"other\",W/{0}")]
    [InlineData("*")]
    public async Task An_If_None_Match_Holding_The_ETag_Weakly_Or_In_A_List_Answers_304(string sent)
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2016", [new("13.1", 1)]);
        var url = $"/v1/aggregates/{Catalogue2014}/2016/reporters/{r}";
        var etag = (await Admin.GetAsync(url, Ct)).Headers.ETag!.Tag;
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, sent, etag));

        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);

        await SubmitAsync(Admin, r, "2016", [new("13.1", 2)]);
        var changed = new HttpRequestMessage(HttpMethod.Get, url);
        changed.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, sent, etag));
        Assert.Equal(sent == "*" ? HttpStatusCode.NotModified : HttpStatusCode.OK, (await Admin.SendAsync(changed, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Reporter_Drill_Down_Has_The_Same_Shape()
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2016", [new("7.1", 2), new("7.2", 3)]);
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2016/reporters/{r}", Ct);
        var rows = table.GetProperty("rows").EnumerateArray().ToDictionary(x => x.GetProperty("code").GetString()!, x => x);
        Assert.Equal(5, Total(rows, "7"));
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2016/reporters/no-such-reporter", Ct), 404);
    }

    [Fact]
    public async Task Aggregates_Need_Admin_Or_Viewer()
    {
        var r = await CreateReporterAsync();
        var (_, key) = await CreateKeyAsync("reporter", r);
        await ProblemAsync(await Factory.Client(key).GetAsync($"/v1/aggregates/{Catalogue2014}/2016", Ct), 403);
        var (_, viewer) = await CreateKeyAsync("viewer");
        Assert.Equal(HttpStatusCode.OK, (await Factory.Client(viewer).GetAsync($"/v1/aggregates/{Catalogue2014}/2016?reporters={r}", Ct)).StatusCode);
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2030", Ct), 404);
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2016?kind=village", Ct), 400);
    }

    private async Task<HttpResponseMessage> ExportAsync(string reporter, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014?reporters={reporter}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await Admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    [Fact]
    public async Task The_Csv_Export_Is_Utf8_With_Bom_And_Chinese_Headings()
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2014", SeedTable.Values);
        var bytes = await (await ExportAsync(r, "text/csv")).Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n");
        // One reporter's own table: its figure alone, as its paper form prints it.
        Assert.Equal("序号,代码,统计指标,单位,统计数", lines[0]);
        Assert.Equal(1 + SeedTable.Rows.Count, Array.IndexOf(lines, "")); // the footer follows a blank line
        Assert.Contains("3.1,（一）收到申请数,件,60\r\n", text);
        Assert.Contains(",10,十、查阅点接待人数,次,580\r\n", text);
        var blank = lines.Single(l => l.Contains(",3.1.2,", StringComparison.Ordinal));
        Assert.EndsWith("件,", blank);

        // Two reporters, or the district: the total and the split by kind.
        var town = await CreateReporterAsync("town");
        await SubmitAsync(Admin, town, "2014", [new("3.1", 5), new("3.1.1", 5)]);
        var both = Encoding.UTF8.GetString((await (await ExportAsync($"{r},{town}", "text/csv")).Content.ReadAsByteArrayAsync(Ct))[3..]);
        Assert.StartsWith("序号,代码,统计指标,单位,统计数,区政府本级,区直部门,乡镇街道\r\n", both);
        Assert.Contains("3.1,（一）收到申请数,件,65,,60,5\r\n", both);
    }

    [Fact]
    public async Task The_Xlsx_Export_Opens_And_Has_The_Right_Cells()
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2014", SeedTable.Values);
        var bytes = await (await ExportAsync(r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).Content.ReadAsByteArrayAsync(Ct);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheet = doc.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var cells = sheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!, c => c.CellValue?.Text ?? c.InlineString?.InnerText ?? "");
        Assert.Contains("政府信息公开工作情况统计表", cells["A1"]);
        Assert.Equal("统计指标", cells["C3"]);
        var rowOf = cells.Single(c => c.Key.StartsWith('B') && c.Value == "3.1").Key[1..];
        Assert.Equal("件", cells["D" + rowOf]);
        Assert.Equal("60", cells["E" + rowOf]);
        var blankRow = cells.Single(c => c.Key.StartsWith('B') && c.Value == "3.1.2").Key[1..];
        Assert.Equal("", cells["E" + blankRow]); // ruled, but blank
    }

    [Fact]
    public async Task The_Html_Page_Shows_Every_Row()
    {
        var r = await CreateReporterAsync();
        await SubmitAsync(Admin, r, "2014", SeedTable.Values);
        var response = await ExportAsync(r, "text/html");
        var html = await response.Content.ReadAsStringAsync(Ct);
        // It runs no script and loads nothing: only its own inline style.
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        foreach (var (code, _, _) in SeedTable.Rows) Assert.Contains($"data-code=\"{code}\"", html);
        Assert.Contains("（三）申请答复数", html);
        Assert.Contains("<td class=\"n\">11841</td>", html);
    }
}
