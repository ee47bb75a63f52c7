using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A period closed is published (上级督查 compares the published report with the system): its table as first closed can be read
/// again, a reopening keeps to the reporters it expected then, and what a reopening changed is in the audit log and on the
/// printout after it is closed again.
/// </summary>
public sealed class PublishedPeriodTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<JsonElement> PostAsync(string path)
    {
        var response = await Admin.PostAsync(path, null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<string[]> AuditSinceAsync(DateTimeOffset from) =>
        [.. (await Admin.GetFromJsonAsync<JsonElement>($"/v1/audit?from={Uri.EscapeDataString(from.ToString("O"))}&limit=500", Ct)).GetProperty("items")
            .EnumerateArray().Select(e => e.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "")];

    private static decimal? Total(JsonElement table, string code) =>
        table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code).GetProperty("total") is { ValueKind: JsonValueKind.Number } t ? t.GetDecimal() : null;

    [Fact]
    public async Task A_Period_Reopened_And_Closed_Again_Keeps_Its_Reporters_Logs_What_Changed_And_Still_Reads_As_First_Published()
    {
        const string year = "2012";
        var path = $"/v1/periods/{Catalogue2014}/{year}";
        var start = Factory.Clock.GetUtcNow();
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, year, [new("12.2", 3)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, department, year, [new("12.2", 4)])).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = (await PostAsync($"{path}/close")).GetProperty("firstClosedAt").GetString()!;

        // A town registered a year after the report was published, then the year reopened to correct a table.
        Factory.Clock.Advance(TimeSpan.FromDays(365));
        var later = await CreateReporterAsync("town");
        Factory.Clock.Advance(TimeSpan.FromDays(1));
        var reopened = await PostAsync($"{path}/reopen");
        Assert.Equal((false, first), (reopened.GetProperty("closed").GetBoolean(), reopened.GetProperty("firstClosedAt").GetString()));
        var table = $"/v1/aggregates/{Catalogue2014}/{year}?reporters={town},{department},{later}";
        async Task<JsonElement> CompletenessAsync() => (await Admin.GetFromJsonAsync<JsonElement>(table, Ct)).GetProperty("completeness");
        Assert.Equal((2, 0), ((await CompletenessAsync()).GetProperty("expected").GetInt32(), (await CompletenessAsync()).GetProperty("missing").GetArrayLength()));
        Assert.Contains("现已重新开放，尚无更正或补报的报表", await Admin.GetStringAsync(table + "&format=csv", Ct));

        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, year, [new("12.2", 5)])).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await PostAsync($"{path}/close");
        Assert.Equal(first, again.GetProperty("firstClosedAt").GetString());
        Assert.DoesNotContain(later, again.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        // The log names the table the reopening let in, and the second close what it publishes anew.
        var audit = await AuditSinceAsync(start);
        Assert.Contains(audit, d => d.StartsWith("重新开放期间报送已发布（首次关闭于 ", StringComparison.Ordinal) && d.Contains($"{town}", StringComparison.Ordinal)
            && d.EndsWith("第 2 版（数字有改动，该统计期的汇总随之改变）", StringComparison.Ordinal));
        Assert.Contains(audit, d => d.StartsWith("再次关闭（首次关闭于 ", StringComparison.Ordinal) && d.EndsWith($"首次关闭后更正或补报的报表：测试单位 {town} 第 2 版", StringComparison.Ordinal));

        // Closed again: the same two reporters, the printout saying it was published before and what changed since.
        Assert.Equal((2, 0), ((await CompletenessAsync()).GetProperty("expected").GetInt32(), (await CompletenessAsync()).GetProperty("missing").GetArrayLength()));
        var csv = await Admin.GetStringAsync(table + "&format=csv", Ct);
        Assert.Contains("首次关闭，重新开放后于 ", csv);
        Assert.Contains($"首次关闭后更正或补报、已计入合计：测试单位 {town}（第 2 版，", csv);
        Assert.Equal(9, Total(await Admin.GetFromJsonAsync<JsonElement>(table, Ct), "12.2"));

        // As first published: the figures, the reporters expected and the 报出日期 of the first close.
        var asFirst = $"{table}&asAt={Uri.EscapeDataString(first)}";
        var published = await Admin.GetFromJsonAsync<JsonElement>(asFirst, Ct);
        Assert.Equal(first, published.GetProperty("asAt").GetString());
        Assert.Equal(7, Total(published, "12.2"));
        Assert.Equal(1, published.GetProperty("completeness").GetProperty("reporters").EnumerateArray()
            .Single(r => r.GetProperty("reporter").GetString() == town).GetProperty("submissions")[0].GetProperty("revision").GetInt32());
        Assert.Equal(2, published.GetProperty("completeness").GetProperty("expected").GetInt32());
        var printed = await Admin.GetStringAsync(asFirst + "&format=csv", Ct);
        Assert.Contains("时的汇总：各单位当时最新的报表，不含其后的更正。", printed);
        Assert.Contains($"报出日期：{Disclosure.Api.Infrastructure.ChinaTime.Of(DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture)):yyyy年M月d日}", printed);
        // Written with + unencoded (a space on arrival), the moment reads the same.
        Assert.Equal(7, Total(await Admin.GetFromJsonAsync<JsonElement>($"{table}&asAt={first}", Ct), "12.2"));
    }

    [Fact]
    public async Task A_Quarterly_Table_Sent_While_Its_Published_Year_Is_Reopened_Is_In_The_Audit_Log_And_One_Of_A_Year_Never_Closed_Is_Not()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2011Q1", [new("12.2", 1)])).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync($"/v1/periods/{Catalogue2014}/2011/close");
        Factory.Clock.Advance(TimeSpan.FromDays(30));
        await PostAsync($"/v1/periods/{Catalogue2014}/2011/reopen");
        var start = Factory.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2011Q2", [new("12.2", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2010Q2", [new("12.2", 2)])).StatusCode);

        var audit = await AuditSinceAsync(start);
        Assert.Single(audit, d => d.StartsWith("重新开放期间报送已发布", StringComparison.Ordinal));
        Assert.Contains(audit, d => d.StartsWith("重新开放期间报送已发布", StringComparison.Ordinal) && d.Contains("2011年第2季度", StringComparison.Ordinal)
            && d.EndsWith("第 1 版（补报，该统计期的汇总随之改变）", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2015-01-20")]
    [InlineData("2015-01-20T10:00:00")]
    [InlineData("yesterday")]
    [InlineData("2105-01-20T10:00:00Z")]
    public async Task A_Moment_Without_Its_Offset_That_Is_None_Or_That_Is_Still_To_Come_Is_Refused_By_Name(string asAt)
    {
        var response = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2012?asAt={Uri.EscapeDataString(asAt)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("asAt", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Breakdown_As_First_Published_Shows_Whose_Figures_Made_The_Total_Without_A_Return_Or_A_Late_Revision_Made_Since()
    {
        const string year = "2009";
        var path = $"/v1/periods/{Catalogue2014}/{year}";
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(path, new { deadline = Factory.Clock.GetUtcNow().AddDays(1), expectedReporters = (string[]?)null }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, year, [new("12.2", 2)])).StatusCode);
        var townTable = await (await SubmitAsync(Admin, town, year, [new("12.2", 3)])).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, department, year, [new("12.2", 4)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{townTable.GetProperty("id").GetString()}/review", new { decision = "accepted" }, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = (await PostAsync($"{path}/close")).GetProperty("firstClosedAt").GetString()!;

        // Two days on (after the deadline), the town's table is returned and corrected in the closed year.
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{townTable.GetProperty("id").GetString()}/review",
            new { decision = "returned", comment = "12.2 有误" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, year, [new("12.2", 5)])).StatusCode);

        var scope = $"reporters={town},{department}&asAt={Uri.EscapeDataString(first)}";
        var breakdown = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}/breakdown?{scope}", Ct);
        Assert.Equal(first, breakdown.GetProperty("asAt").GetString());
        var line = breakdown.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "12.2");
        var columns = breakdown.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("reporter").GetString()).ToList();
        Assert.Equal((3m, 4m, 7m), (line.GetProperty("values")[columns.IndexOf(town)].GetDecimal(), line.GetProperty("values")[columns.IndexOf(department)].GetDecimal(),
            line.GetProperty("total").GetDecimal()));
        Assert.Contains("时的汇总：各单位当时最新的报表，不含其后的更正。", await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{year}/breakdown?{scope}&format=csv", Ct));

        // As published, the town's table was on time and not returned: the return and the late correction made since are not on it
        // (the acceptance the return replaced is not kept, so no review is shown).
        var published = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}?{scope}", Ct)).GetProperty("completeness")
            .GetProperty("reporters").EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == town);
        Assert.Equal((false, "onTime"), (published.TryGetProperty("review", out _), published.GetProperty("status").GetString()));
        Assert.DoesNotContain("已退回", await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{year}?{scope}&format=csv", Ct));
        var now = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}?reporters={town},{department}", Ct)).GetProperty("completeness")
            .GetProperty("reporters").EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == town);
        Assert.Equal("revisedLate", now.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_Provincial_Edition_Reads_In_The_National_Layout_As_First_Published()
    {
        const string edition = "gov-info-disclosure-fujian-2008", year = "2013";
        var town = await CreateReporterAsync("town");
        object Table(decimal online) => new { reporter = town, period = year, catalogue = edition, values = new[] { new { code = "2.3:year", value = 1m }, new { code = "2.4:year", value = online } } };
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(4), Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = (await PostAsync($"/v1/periods/{edition}/{year}/close")).GetProperty("firstClosedAt").GetString()!;
        Factory.Clock.Advance(TimeSpan.FromDays(30));
        await PostAsync($"/v1/periods/{edition}/{year}/reopen");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(6), Ct)).StatusCode);

        var national = $"/v1/aggregates/{edition}/{year}/as/{Catalogue2014}";
        static decimal? Online(JsonElement t) => t.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "3.1.3").GetProperty("total").GetDecimal();
        Assert.Equal(7, Online(await Admin.GetFromJsonAsync<JsonElement>(national, Ct)));
        var published = await Admin.GetFromJsonAsync<JsonElement>($"{national}?asAt={Uri.EscapeDataString(first)}", Ct);
        Assert.Equal((5m, first), (Online(published)!.Value, published.GetProperty("asAt").GetString()));
        Assert.Contains("时的汇总：各单位当时最新的报表，不含其后的更正。", await Admin.GetStringAsync($"{national}?asAt={Uri.EscapeDataString(first)}&format=csv", Ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"{national}?asAt=2015-01-20", Ct)).StatusCode);
    }
}
