using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 与上年比较 as the API gives it: the dry run's warning <c>far-from-last-year</c> for a figure far from the reporter's own a
/// year before, and <c>GET /v1/aggregates/{catalogue}/{period}/far-from-last-year</c>, every reporter's such figures for the
/// office's review. Each test owns its periods.
/// </summary>
public sealed class FarFromLastYearTests(ApiFactory factory) : ApiTest(factory)
{
    private static Dictionary<string, decimal?> Values(params (string Code, decimal? Value)[] values) => values.ToDictionary(v => v.Code, v => v.Value);

    private async Task StoreAsync(string reporter, string period, params (string Code, decimal? Value)[] values) =>
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, Values(values))).StatusCode);

    private async Task<JsonElement> ValidateAsync(string reporter, string period, params (string Code, decimal? Value)[] values)
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions/validate", Body(reporter, period, Values(values)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<JsonElement> Far(JsonElement verdict) =>
        [.. verdict.GetProperty("violations").EnumerateArray().Where(v => v.GetProperty("rule").GetString() == "far-from-last-year")];

    [Fact]
    public async Task The_Dry_Run_Warns_Of_A_Figure_Far_From_The_Reporters_Own_Last_Year_And_Leaves_The_Table_Valid()
    {
        var town = await CreateReporterAsync("town");
        await StoreAsync(town, "2010", ("1.2.1", 9876), ("3.1.1", 10), ("3.1.3", 2));

        // 98760 for 9876: warned, with both figures; 3.1.1 and its sum 3.1 moved too little to be (12 → 14).
        var verdict = await ValidateAsync(town, "2011", ("1.2.1", 98760), ("3.1.1", 12), ("3.1.3", 2));
        Assert.True(verdict.GetProperty("valid").GetBoolean());
        var warning = Assert.Single(Far(verdict));
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal(["1.2.1"], warning.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("98760", warning.GetProperty("actual").GetString());
        Assert.Equal("1.2.1 1、政府网站公开政府信息数为 98760，2010年为 9876，相差五倍以上：请核对是否多打或漏打了数字（不影响提交）。", warning.GetProperty("messageZh").GetString());

        // 2009's 3.1 is 10 + 60 = 70. With only 3.1.1 typed so far (10, as in 2009), the 3.1 the service derives from it (10) is a
        // seventh of 70, but nobody typed it, and its parts are still being filled in: not pointed out.
        await StoreAsync(town, "2009", ("3.1.1", 10), ("3.1.3", 60));
        Assert.Empty(Far(await ValidateAsync(town, "2010", ("3.1.1", 10))));

        // A table that breaks a rule is still told what is far from last year, beside the error.
        var broken = await ValidateAsync(town, "2011", ("1.2.1", 98760), ("3.1", 99), ("3.1.1", 12), ("3.1.3", 2));
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.Contains(broken.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "sum");
        Assert.Equal(["1.2.1", "3.1"], Far(broken).Select(v => v.GetProperty("codes")[0].GetString()));

        // Near last year: nothing. Another reporter, with no table last year: nothing, whatever the figures.
        Assert.Empty(Far(await ValidateAsync(town, "2011", ("1.2.1", 9880))));
        var newcomer = await CreateReporterAsync("town");
        Assert.Empty(Far(await ValidateAsync(newcomer, "2011", ("1.2.1", 98760))));
        // The submission itself is not refused for it.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2011", Values(("1.2.1", 98760)))).StatusCode);
    }

    [Fact]
    public async Task A_Quarter_Is_Compared_With_The_Same_Quarter_And_A_Year_With_The_Year_From_Last_Years_Quarters()
    {
        var department = await CreateReporterAsync();
        for (var q = 1; q <= 4; q++) await StoreAsync(department, $"2012Q{q}", ("1.2.1", 100));
        await StoreAsync(department, "2012Q3", ("1.2.1", 20)); // its latest revision of Q3 is the one compared with

        var quarter = Assert.Single(Far(await ValidateAsync(department, "2013Q3", ("1.2.1", 100))));
        Assert.Contains("2012年第3季度为 20", quarter.GetProperty("messageZh").GetString());
        // The year 2012 from its quarters: 100 + 100 + 20 + 100.
        var year = Assert.Single(Far(await ValidateAsync(department, "2013", ("1.2.1", 3200))));
        Assert.Contains("2012年为 320，", year.GetProperty("messageZh").GetString());
        Assert.Empty(Far(await ValidateAsync(department, "2013", ("1.2.1", 1500))));

        // A year from its first quarters alone is not yet a year: neither last year's figure nor this year's in the list.
        var partial = await CreateReporterAsync();
        await StoreAsync(partial, "2012Q1", ("1.2.1", 100));
        await StoreAsync(partial, "2012Q2", ("1.2.1", 100));
        Assert.Empty(Far(await ValidateAsync(partial, "2013", ("1.2.1", 3200))));
        await StoreAsync(partial, "2013Q1", ("1.2.1", 10));
        await StoreAsync(department, "2013Q1", ("1.2.1", 10)); // 10 against last year's whole 320, but a quarter of a year
        var list = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2013/far-from-last-year?reporters={department},{partial}", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        // Once its year is whole (Q3, Q4 of 2012), last year's 200 + 10 + 10 = 220 stands against 3200.
        await StoreAsync(partial, "2012Q3", ("1.2.1", 10));
        await StoreAsync(partial, "2012Q4", ("1.2.1", 10));
        Assert.Contains("2012年为 220，", Assert.Single(Far(await ValidateAsync(partial, "2013", ("1.2.1", 3200)))).GetProperty("messageZh").GetString());
    }

    [Fact]
    public async Task The_List_Gives_Every_Reporters_Far_Figures_In_The_Breakdowns_Order_Narrowed_As_Asked()
    {
        const string period = "2016", before = "2015";
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync();
        var steady = await CreateReporterAsync("town");
        await StoreAsync(town, before, ("1.2.1", 9876), ("2.1", 26));
        await StoreAsync(department, before, ("7", 600));
        await StoreAsync(steady, before, ("7", 600));
        await StoreAsync(town, period, ("1.2.1", 98760), ("2.1", 2));
        await StoreAsync(department, period, ("7", 60));
        await StoreAsync(steady, period, ("7", 610));
        var url = $"/v1/aggregates/{Catalogue2014}/{period}/far-from-last-year?reporters={town},{department},{steady}";

        var list = await Admin.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.Equal(before, list.GetProperty("yearBefore").GetString());
        // The department before the towns, as the breakdown orders its columns; 2.1 (26 → 2) is 24 apart: not listed.
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([$"{department} 7 600 60", $"{town} 1.2.1 9876 98760"], items.Select(i =>
            $"{i.GetProperty("reporter").GetString()} {i.GetProperty("code").GetString()} {i.GetProperty("yearBefore").GetDecimal()} {i.GetProperty("value").GetDecimal()}"));
        Assert.Equal("测试单位 " + town, items[1].GetProperty("reporterName").GetString());
        Assert.Equal("1、政府网站公开政府信息数", items[1].GetProperty("name").GetString());
        Assert.Equal("条", items[1].GetProperty("unit").GetString());
        Assert.Equal("town", items[1].GetProperty("kind").GetString());
        Assert.Equal("submission", items[1].GetProperty("source").GetString());

        var towns = await Admin.GetFromJsonAsync<JsonElement>(url + "&kind=town", Ct);
        Assert.Equal([town], towns.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reporter").GetString()));
        var viewer = Factory.Client((await CreateKeyAsync("viewer")).Key);
        var one = await viewer.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}/far-from-last-year?reporters={department}", Ct);
        Assert.Equal([department], one.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reporter").GetString()));

        // Polled with its ETag: 304 until a table changes it.
        var first = await Admin.GetAsync(url, Ct);
        var poll = new HttpRequestMessage(HttpMethod.Get, url);
        poll.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(poll, Ct)).StatusCode);
        await StoreAsync(department, period, ("7", 590));
        var after = await Admin.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.Equal([town], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reporter").GetString()));
    }

    [Fact]
    public async Task An_Amount_In_万元_Is_Far_By_Its_Units_Gap_And_A_Count_By_50()
    {
        // 3 → 30, 27 apart: 专项经费 in 万元 (the unit's farGap is 1) is pointed out, 专门机构数 (a count, 50) is not.
        var town = await CreateReporterAsync("town");
        await StoreAsync(town, "2019", ("12.1", 3), ("12.4", 3));
        Assert.Equal(["12.4"], Far(await ValidateAsync(town, "2020", ("12.1", 30), ("12.4", 30))).Select(v => v.GetProperty("codes")[0].GetString()));
        // Given in 元, it is compared in 万元: 300000 元 is 30 万元.
        var inYuan = await Admin.PostAsJsonAsync("/v1/submissions/validate", new
        {
            reporter = town, period = "2020", catalogue = Catalogue2014,
            values = new object[] { new { code = "12.4", value = 300000m, unit = "元" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, inYuan.StatusCode);
        Assert.Equal(["12.4"], Far(await inYuan.Content.ReadFromJsonAsync<JsonElement>(Ct)).Select(v => v.GetProperty("codes")[0].GetString()));

        await StoreAsync(town, "2020", ("12.1", 30), ("12.4", 30));
        var list = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2020/far-from-last-year?reporters={town}", Ct);
        Assert.Equal(["12.4"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()));

        // The catalogue says so.
        var catalogue = await Admin.GetFromJsonAsync<JsonElement>($"/v1/catalogues/{Catalogue2014}", Ct);
        var units = catalogue.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!);
        Assert.Equal(1m, units["万元"].GetProperty("farGap").GetDecimal());
        Assert.False(units["个"].TryGetProperty("farGap", out _));
    }

    [Fact]
    public async Task The_List_Refuses_What_It_Cannot_Answer_With_A_Problem()
    {
        var town = await CreateReporterAsync("town");
        var path = $"/v1/aggregates/{Catalogue2014}/2018/far-from-last-year";
        var unknown = await ProblemAsync(await Admin.GetAsync(path + "?reporters=no-such-reporter", Ct), 422);
        Assert.Contains("no-such-reporter", unknown.GetRawText());
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2031/far-from-last-year", Ct), 404);
        // A kind by its name, once: not a number, and not two kinds (which the framework would read as flags, one of them).
        foreach (var kind in new[] { "village", "2", "town&kind=government", "government,department" })
            Assert.StartsWith("kind 填的是“", (await ProblemAsync(await Admin.GetAsync(path + "?kind=" + kind, Ct), 400)).GetProperty("detail").GetString());
        Assert.Equal("town", (await Admin.GetFromJsonAsync<JsonElement>(path + "?kind=Town", Ct)).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2018?kind=TOWN", Ct)).StatusCode);
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2018/breakdown?kind=1", Ct), 400);
        // A JSON endpoint, it answers JSON whatever the Accept.
        var csv = new HttpRequestMessage(HttpMethod.Get, path);
        csv.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        Assert.Equal("application/json", (await Admin.SendAsync(csv, Ct)).Content.Headers.ContentType?.MediaType);
        var reporterKey = Factory.Client((await CreateKeyAsync("reporter", town)).Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporterKey.GetAsync(path + $"?reporters={town}", Ct)).StatusCode);
        // Nobody has a table a year before: an empty list, not an error.
        var empty = await Admin.GetFromJsonAsync<JsonElement>(path + $"?reporters={town}", Ct);
        Assert.Equal(0, empty.GetProperty("items").GetArrayLength());
    }
}
