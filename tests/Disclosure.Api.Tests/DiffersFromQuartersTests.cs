using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 年报与季报衔接 as the API gives it: a year's figure that is not what the same reporter's four quarterly tables give is the dry
/// run's warning <c>differs-from-quarters</c>, and <c>GET /v1/aggregates/{catalogue}/{year}/differs-from-quarters</c> lists every
/// reporter's such figures for the office's review. Each test owns its reporters.
/// </summary>
public sealed class DiffersFromQuartersTests(ApiFactory factory) : ApiTest(factory)
{
    private static Dictionary<string, decimal?> Values(params (string Code, decimal? Value)[] values) => values.ToDictionary(v => v.Code, v => v.Value);

    private async Task StoreAsync(string reporter, string period, params (string Code, decimal? Value)[] values) =>
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, Values(values))).StatusCode);

    /// <summary>Four quarters of 1.2.1 = 100 (a flow: 400 in the year), 3.1.1 = 10 and 3.1.3 = 5 (3.1 = 60 in the year), 12.2 = 5, 5, 5, 6 (a stock: 6).</summary>
    private async Task StoreQuartersAsync(string reporter, int year, int quarters = 4)
    {
        for (var q = 1; q <= quarters; q++)
            await StoreAsync(reporter, $"{year}Q{q}", ("1.2.1", 100), ("3.1.1", 10), ("3.1.3", 5), ("12.2", q == 4 ? 6 : 5));
    }

    private async Task<JsonElement> ValidateAsync(string reporter, string period, params (string Code, decimal? Value)[] values)
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions/validate", Body(reporter, period, Values(values)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<JsonElement> Differing(JsonElement verdict) =>
        [.. verdict.GetProperty("violations").EnumerateArray().Where(v => v.GetProperty("rule").GetString() == "differs-from-quarters")];

    [Fact]
    public async Task The_Dry_Run_Of_A_Year_Warns_Of_Each_Figure_Its_Four_Quarters_Do_Not_Give_And_Leaves_It_Valid()
    {
        var town = await CreateReporterAsync("town");
        await StoreQuartersAsync(town, 2017);

        // As the quarters give it: the flows' sums, the stock's fourth quarter.
        Assert.Empty(Differing(await ValidateAsync(town, "2017", ("1.2.1", 400), ("3.1.1", 40), ("3.1.3", 20), ("12.2", 6))));

        // 410 for 400, and the stock given as the first quarter's 5: both warned, with the figure the quarters give; 3.1.1 is 50
        // for 40, so the 3.1 it moves (typed 70, not 60) is not a second finding.
        var verdict = await ValidateAsync(town, "2017", ("1.2.1", 410), ("3.1", 70), ("3.1.1", 50), ("3.1.3", 20), ("12.2", 5));
        Assert.True(verdict.GetProperty("valid").GetBoolean());
        var warnings = Differing(verdict);
        Assert.Equal(["1.2.1", "3.1.1", "12.2"], warnings.Select(w => w.GetProperty("codes")[0].GetString()));
        Assert.All(warnings, w => Assert.Equal("warning", w.GetProperty("severity").GetString()));
        Assert.Equal(["400", "40", "6"], warnings.Select(w => w.GetProperty("expected").GetString()));
        Assert.Equal(["410", "50", "5"], warnings.Select(w => w.GetProperty("actual").GetString()));
        Assert.Equal("1.2.1 1、政府网站公开政府信息数年报为 410，2017年四个季度季报合计为 400，两者不一致：请核对（不影响提交；汇总以年报为准）。",
            warnings[0].GetProperty("messageZh").GetString());
        Assert.Contains("2017年第四季度季报为 6", warnings[2].GetProperty("messageZh").GetString());
        Assert.Contains("its four quarters of 2017 add up to 400", warnings[0].GetProperty("message").GetString());

        // A sum the service derives (3.1 from 3.1.1 alone, 50 against 60) is not compared: nobody typed it.
        Assert.Empty(Differing(await ValidateAsync(town, "2017", ("3.1.1", 40))));

        // A quarter is not a year; a reporter with three quarters has no year from them; neither is warned.
        Assert.Empty(Differing(await ValidateAsync(town, "2017Q4", ("1.2.1", 999))));
        var partial = await CreateReporterAsync("town");
        await StoreQuartersAsync(partial, 2017, quarters: 3);
        Assert.Empty(Differing(await ValidateAsync(partial, "2017", ("1.2.1", 410))));

        // The year's table is stored all the same, and is what the district table takes.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2017", Values(("1.2.1", 410)))).StatusCode);
        var district = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2017?reporters={town}", Ct);
        Assert.Equal(410, district.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "1.2.1").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_Year_Whose_Quarters_Are_Not_All_In_Says_Which_Are_To_Come_And_Stays_Valid()
    {
        var town = await CreateReporterAsync("town");
        await StoreQuartersAsync(town, 2016, quarters: 3);

        var verdict = await ValidateAsync(town, "2016", ("1.2.1", 410));

        Assert.True(verdict.GetProperty("valid").GetBoolean());
        var toCome = Assert.Single(verdict.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "quarters-to-come");
        Assert.Equal("warning", toCome.GetProperty("severity").GetString());
        Assert.Equal("2016年第四季度季报尚未报送，年报与季报暂无法核对（报齐后再核对）；不影响提交。", toCome.GetProperty("messageZh").GetString());
        Assert.Contains("2016Q4 has not been submitted yet", toCome.GetProperty("message").GetString());
        Assert.Equal(("4 quarterly tables", "3 quarterly tables"), (toCome.GetProperty("expected").GetString(), toCome.GetProperty("actual").GetString()));
        // The second quarter missing too: both named, in order. A town that sent no quarter, or all four, is told nothing of them.
        var gaps = await CreateReporterAsync("town");
        await StoreAsync(gaps, "2016Q1", ("1.2.1", 100));
        await StoreAsync(gaps, "2016Q3", ("1.2.1", 100));
        Assert.Contains("2016年第二、四季度季报尚未报送", (await ValidateAsync(gaps, "2016", ("1.2.1", 410))).GetProperty("violations").EnumerateArray()
            .Single(v => v.GetProperty("rule").GetString() == "quarters-to-come").GetProperty("messageZh").GetString());
        var yearly = await CreateReporterAsync("town");
        var whole = await CreateReporterAsync("town");
        await StoreQuartersAsync(whole, 2016);
        foreach (var none in new[] { yearly, whole })
            Assert.DoesNotContain((await ValidateAsync(none, "2016", ("1.2.1", 400))).GetProperty("violations").EnumerateArray(),
                v => v.GetProperty("rule").GetString() == "quarters-to-come");
    }

    [Fact]
    public async Task A_Quarter_To_Come_That_Is_Closed_On_Its_Own_Is_Said_To_Go_Through_The_Office()
    {
        var town = await CreateReporterAsync("town");
        await StoreQuartersAsync(town, 2020, quarters: 2);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2020Q4/close", null, Ct)).StatusCode);

        var toCome = (await ValidateAsync(town, "2020", ("1.2.1", 410))).GetProperty("violations").EnumerateArray()
            .Single(v => v.GetProperty("rule").GetString() == "quarters-to-come");

        Assert.Equal("2020年第三、四季度季报尚未报送（第四季度已关闭，须经区政务公开办补报），年报与季报暂无法核对（报齐后再核对）；不影响提交。",
            toCome.GetProperty("messageZh").GetString());
        Assert.Contains("2020Q3, 2020Q4 have not been submitted yet (2020Q4 is closed: a table for it goes through the district office)",
            toCome.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_Dry_Runs_Warning_Names_The_Quarter_A_Stock_Came_From_When_The_Fourth_Left_Its_Group_Blank()
    {
        var town = await CreateReporterAsync("town");
        for (var q = 1; q <= 3; q++) await StoreAsync(town, $"2016Q{q}", ("1.2.1", 100), ("12.3", 50 + q), ("12.3.1", 10 + q), ("12.3.2", 40));
        await StoreAsync(town, "2016Q4", ("1.2.1", 100));

        var warning = Assert.Single(Differing(await ValidateAsync(town, "2016", ("1.2.1", 400), ("12.3", 60), ("12.3.1", 20), ("12.3.2", 40))));

        Assert.Equal(("12.3.1", "13"), (warning.GetProperty("codes")[0].GetString(), warning.GetProperty("expected").GetString()));
        Assert.Contains("2016年第三季度季报为 13", warning.GetProperty("messageZh").GetString());
        Assert.Contains("its 2016Q3 table gives 13", warning.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_Town_Merged_During_The_Year_Is_Compared_With_The_Quarters_It_Owed()
    {
        // 古邵镇 sends 2015's first two quarters and is merged from 2015Q3: those two are every quarter it owes, so its year table
        // (which the office enters) is compared with them, in the dry run and in the office's list.
        var town = await CreateReporterAsync("town");
        await StoreQuartersAsync(town, 2015, quarters: 2);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsync($"/v1/reporters/{town}",
            new StringContent("""{"retiredFrom":"2015Q3"}""", System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode);

        Assert.Empty(Differing(await ValidateAsync(town, "2015", ("1.2.1", 200), ("3.1.1", 20), ("3.1.3", 10), ("12.2", 5))));
        var warning = Assert.Single(Differing(await ValidateAsync(town, "2015", ("1.2.1", 210), ("3.1.1", 20), ("3.1.3", 10), ("12.2", 5))));
        Assert.Equal(("1.2.1", "200", "210"), (warning.GetProperty("codes")[0].GetString(), warning.GetProperty("expected").GetString(), warning.GetProperty("actual").GetString()));
        Assert.Contains("2015年撤并前的两个季度季报合计为 200", warning.GetProperty("messageZh").GetString());
        Assert.Contains("the 2 quarters of 2015 it reported before it was merged add up to 200", warning.GetProperty("message").GetString());

        await StoreAsync(town, "2015", ("1.2.1", 210), ("12.2", 5));
        var list = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2015/differs-from-quarters?reporters={town}", Ct);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("1.2.1", 210m, 200m), (item.GetProperty("code").GetString(), item.GetProperty("value").GetDecimal(), item.GetProperty("fromQuarters").GetDecimal()));

        // A town that is not merged and sent only two quarters still has no year from them.
        var partial = await CreateReporterAsync("town");
        await StoreQuartersAsync(partial, 2015, quarters: 2);
        Assert.Empty(Differing(await ValidateAsync(partial, "2015", ("1.2.1", 210))));
    }

    [Fact]
    public async Task The_List_Gives_Every_Reporters_Differing_Figures_In_The_Breakdowns_Order_Narrowed_As_Asked()
    {
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync();
        var agreeing = await CreateReporterAsync("town");
        var yearOnly = await CreateReporterAsync("town");
        foreach (var reporter in new[] { town, department, agreeing }) await StoreQuartersAsync(reporter, 2018);
        await StoreAsync(town, "2018", ("1.2.1", 410), ("12.2", 6));
        await StoreAsync(department, "2018", ("1.2.1", 400), ("12.2", 5));
        await StoreAsync(agreeing, "2018", ("1.2.1", 400), ("12.2", 6));
        await StoreAsync(yearOnly, "2018", ("1.2.1", 5));
        var url = $"/v1/aggregates/{Catalogue2014}/2018/differs-from-quarters?reporters={town},{department},{agreeing},{yearOnly}";

        var list = await Admin.GetFromJsonAsync<JsonElement>(url, Ct);
        var items = list.GetProperty("items").EnumerateArray().ToList();
        // The department before the towns, as the breakdown orders its columns.
        Assert.Equal([$"{department} 12.2 stock 5 6", $"{town} 1.2.1 flow 410 400"], items.Select(i =>
            $"{i.GetProperty("reporter").GetString()} {i.GetProperty("code").GetString()} {i.GetProperty("overTime").GetString()} {i.GetProperty("value").GetDecimal()} {i.GetProperty("fromQuarters").GetDecimal()}"));
        Assert.Equal("测试单位 " + town, items[1].GetProperty("reporterName").GetString());
        Assert.Equal("1、政府网站公开政府信息数", items[1].GetProperty("name").GetString());
        Assert.Equal("条", items[1].GetProperty("unit").GetString());
        Assert.Equal("town", items[1].GetProperty("kind").GetString());
        Assert.Equal("2018", list.GetProperty("period").GetString());

        Assert.Equal([town], (await Admin.GetFromJsonAsync<JsonElement>(url + "&kind=town", Ct)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reporter").GetString()));
        var viewer = Factory.Client((await CreateKeyAsync("viewer")).Key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(url, Ct)).StatusCode);

        // Polled with its ETag: 304 until a table changes it; the town's corrected year leaves the department alone.
        var first = await Admin.GetAsync(url, Ct);
        var poll = new HttpRequestMessage(HttpMethod.Get, url);
        poll.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(poll, Ct)).StatusCode);
        await StoreAsync(town, "2018", ("1.2.1", 400), ("12.2", 6));
        var after = await Admin.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.Equal([department], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reporter").GetString()));
    }

    [Fact]
    public async Task The_List_Refuses_What_It_Cannot_Answer_With_A_Problem()
    {
        var town = await CreateReporterAsync("town");
        var path = $"/v1/aggregates/{Catalogue2014}/2019/differs-from-quarters";
        Assert.Contains("no-such-reporter", (await ProblemAsync(await Admin.GetAsync(path + "?reporters=no-such-reporter", Ct), 422)).GetRawText());
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2031/differs-from-quarters", Ct), 404);
        var quarter = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2019Q2/differs-from-quarters", Ct), 404);
        Assert.Contains("2019Q2' is a quarter", quarter.GetProperty("detail").GetString());
        await ProblemAsync(await Admin.GetAsync(path + "?kind=2", Ct), 400);
        var reporterKey = Factory.Client((await CreateKeyAsync("reporter", town)).Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporterKey.GetAsync(path + $"?reporters={town}", Ct)).StatusCode);
        // Nobody sent both: an empty list, not an error.
        Assert.Equal(0, (await Admin.GetFromJsonAsync<JsonElement>(path + $"?reporters={town}", Ct)).GetProperty("items").GetArrayLength());
    }
}
