using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 关闭统计期: the close's answer names the tables the closed period is still owed — 未报, 季报未报齐, 已退回 — by id and name,
/// in the breakdown's order, so that the office reads from the answer whom it closed on, as the overview named them before.
/// </summary>
public sealed class PeriodCloseTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<string> ReporterAsync(string kind, string name, string idPrefix)
    {
        var id = NewId(idPrefix);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // registration order is the order of registration times
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, Ct)).StatusCode);
        return id;
    }

    private async Task<Guid> StoredAsync(string reporter, string period)
    {
        var response = await SubmitAsync(Admin, reporter, period, [new("12.2", 3)]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private async Task ReturnAsync(Guid submission) =>
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{submission}/review", new { decision = "returned", comment = "请核实" }, Ct)).StatusCode);

    private static string[] Pairs(JsonElement answer, string list, Func<JsonElement, string>? more = null) =>
        [.. answer.GetProperty(list).EnumerateArray().Select(x => $"{x.GetProperty("id").GetString()} {x.GetProperty("name").GetString()}{more?.Invoke(x)}")];

    [Fact]
    public async Task Closing_A_Year_Answers_Who_Has_Not_Reported_Whose_Quarters_Are_To_Come_And_Whose_Table_Is_Returned_In_The_Breakdowns_Order()
    {
        // The breakdown puts departments before towns, each kind in registration order; the ids sort the other way round
        // (towns first, and within a kind the later registered first), as does the period's list, which is kept sorted.
        var townA = await ReporterAsync("town", "甲镇", "a2");
        var townB = await ReporterAsync("town", "乙镇", "a1");
        var deptA = await ReporterAsync("department", "甲局", "z2");
        var deptB = await ReporterAsync("department", "乙局", "z1");
        var townC = await ReporterAsync("town", "丙镇", "a3");
        var deptC = await ReporterAsync("department", "丙局", "z3");
        var townD = await ReporterAsync("town", "丁镇", "a0");
        var expected = new[] { townD, deptC, townC, deptB, townB, deptA, townA };
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2017", new { expectedReporters = expected }, Ct)).StatusCode);
        // Missing: townB, deptB, townA. Returned: deptC (its year), townC (its second quarter, of a year from quarters, one to
        // come). Incomplete: townC. Reported: deptA, townD.
        await ReturnAsync(await StoredAsync(deptC, "2017"));
        await StoredAsync(deptA, "2017");
        await StoredAsync(townD, "2017");
        await StoredAsync(townC, "2017Q1");
        await ReturnAsync(await StoredAsync(townC, "2017Q2"));
        await StoredAsync(townC, "2017Q3");

        var response = await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2017/close", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(answer.GetProperty("closed").GetBoolean());
        Assert.Equal(expected.Order(StringComparer.Ordinal), answer.GetProperty("expectedReporters").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"{deptB} 乙局", $"{townA} 甲镇", $"{townB} 乙镇"], Pairs(answer, "missing"));
        Assert.Equal([$"{townC} 丙镇 2017Q4"], Pairs(answer, "incomplete", x => " " + string.Join(",", x.GetProperty("quartersToCome").EnumerateArray().Select(q => q.GetString()))));
        Assert.Equal([$"{deptC} 丙局 2017", $"{townC} 丙镇 2017Q2"], Pairs(answer, "returned", x => " " + x.GetProperty("period").GetString()));
        Assert.True((await Admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue2014}/2017", Ct)).GetProperty("closed").GetBoolean());

        // Pressed again (a stale tab), it answers the same.
        var again = await (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2017/close", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(answer.GetProperty("missing").ToString(), again.GetProperty("missing").ToString());
        Assert.Equal(answer.GetProperty("returned").ToString(), again.GetProperty("returned").ToString());
    }

    [Fact]
    public async Task Closing_A_Period_That_Is_Owed_Nothing_Answers_Empty_Lists()
    {
        var town = await ReporterAsync("town", "戊镇", "a4");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2018Q3", new { expectedReporters = new[] { town } }, Ct)).StatusCode);
        await StoredAsync(town, "2018Q3");

        var answer = await (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2018Q3/close", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(answer.GetProperty("closed").GetBoolean());
        foreach (var list in new[] { "missing", "incomplete", "returned" })
            Assert.Equal(0, answer.GetProperty(list).GetArrayLength());
    }

    [Fact]
    public async Task A_Returned_Quarter_Of_A_Year_Added_Up_From_Quarters_Is_Named_In_The_Printed_Footer_And_The_Close()
    {
        // 阴平镇 sends 2006 as four quarterly tables; the office returns its third. The year's district table still adds it up as
        // it stands, so the printed footer names it with its quarter, and the close's answer does too, in the same words' order.
        var government = await CreateReporterAsync("government");
        var quarterly = await CreateReporterAsync("town");
        const string year = "2015"; // closed below: a period no other test of the class reads
        string? third = null;
        foreach (var q in new[] { 1, 2, 3, 4 })
        {
            var created = await SubmitAsync(Admin, quarterly, $"{year}Q{q}", [new("13.1", q)]);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            if (q == 3) third = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        }
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{third}/review", new { decision = "returned", comment = "13.1 有误" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{year}",
            new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { quarterly, government } }, Ct)).StatusCode);

        var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{year}?reporters={government},{quarterly}&format=csv", Ct);
        Assert.Contains($"未报：测试单位 {government}。已退回待更正、仍按原数计入合计：测试单位 {quarterly}（第3季度）。", csv);

        var closed = await (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/close", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var returned = Assert.Single(closed.GetProperty("returned").EnumerateArray());
        Assert.Equal((quarterly, $"{year}Q3"), (returned.GetProperty("id").GetString(), returned.GetProperty("period").GetString()));
        Assert.Contains(government, closed.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_Closed_Periods_Deadline_And_List_Change_Only_Once_It_Is_Reopened()
    {
        var town = await ReporterAsync("town", "己镇", "a5");
        var other = await ReporterAsync("town", "庚镇", "a6");
        var path = $"/v1/periods/{Catalogue2014}/2016Q2";
        var settings = new { deadline = "2016-07-10T00:00:00+08:00", expectedReporters = new[] { town } };
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(path, settings, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{path}/close", null, Ct)).StatusCode);
        var closed = await Admin.GetFromJsonAsync<JsonElement>(path, Ct);

        // A later deadline would turn the late into on time, and a longer list would print a reporter missing that was not.
        var later = await Admin.PutAsJsonAsync(path, new { deadline = "2016-12-31T00:00:00+08:00", expectedReporters = new[] { town } }, Ct);
        var longer = await Admin.PutAsJsonAsync(path, new { deadline = "2016-07-10T00:00:00+08:00", expectedReporters = new[] { town, other } }, Ct);

        foreach (var refused in new[] { later, longer })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.EndsWith("/period-closed", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains("请先重新开放统计期", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal($"{path}/reopen", "/v1/periods/" + problem.GetProperty("reopen").GetString()!.Split("/v1/periods/")[1]);
        }
        var after = await Admin.GetFromJsonAsync<JsonElement>(path, Ct);
        Assert.Equal(closed.ToString(), after.ToString());

        // The same settings sent again (a page saving what it read) change nothing and are no conflict.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(path, settings, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{path}/reopen", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(path, new { deadline = "2016-12-31T00:00:00+08:00", expectedReporters = new[] { town, other } }, Ct)).StatusCode);
        Assert.Equal("2016-12-30T16:00:00+00:00", (await Admin.GetFromJsonAsync<JsonElement>(path, Ct)).GetProperty("deadline").GetString());
    }

    [Fact]
    public async Task A_Close_Logs_The_Revisions_It_Adds_Up_And_A_Correction_After_It_Is_Named_Under_The_Printed_Table()
    {
        // An inspector a year on: which tables made the closed (published) table, and which changed it since under the same 报出日期.
        var first = await ReporterAsync("town", "辛镇", "a7");
        var second = await ReporterAsync("town", "壬镇", "a8");
        await StoredAsync(first, "2012");
        var returned = await StoredAsync(second, "2012");
        var closedAt = Disclosure.Api.Infrastructure.AuditText.Moment(Factory.Clock.GetUtcNow())[..16];
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2012/close", null, Ct)).StatusCode);
        await ReturnAsync(returned);
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var correctedAt = Disclosure.Api.Infrastructure.AuditText.Moment(Factory.Clock.GetUtcNow())[..16];
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, second, "2012", [new("12.2", 4)])).StatusCode);

        var csv = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2012?reporters={first},{second}&format=csv", Ct);
        Assert.Contains($"本统计期于 {closedAt}（北京时间）关闭后据退回更正、已计入合计：壬镇（第 2 版，{correctedAt}）。", csv);

        var closes = (await Admin.GetFromJsonAsync<JsonElement>(
            $"/v1/audit?action={Uri.EscapeDataString("POST v1/periods/{catalogue}/{period}/close")}&limit=500", Ct)).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("path").GetString() == $"/v1/periods/{Catalogue2014}/2012/close").Select(e => e.GetProperty("detail").GetString()!).ToList();
        var detail = Assert.Single(closes);
        Assert.StartsWith("关闭 2012年度政府信息公开工作情况统计表；计入合计的报表：", detail, StringComparison.Ordinal);
        Assert.Contains("辛镇 第 1 版、壬镇 第 1 版", detail, StringComparison.Ordinal);
    }
}
