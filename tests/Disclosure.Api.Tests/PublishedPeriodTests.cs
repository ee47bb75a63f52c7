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
    public async Task A_Moment_Without_Its_Offset_Or_That_Is_None_Is_Refused_By_Name(string asAt)
    {
        var response = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2012?asAt={Uri.EscapeDataString(asAt)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("asAt", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Breakdown_Is_Not_Read_As_At_A_Moment()
    {
        var response = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2012/breakdown?asAt=2015-01-20T02:00:00Z", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("asAt", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
