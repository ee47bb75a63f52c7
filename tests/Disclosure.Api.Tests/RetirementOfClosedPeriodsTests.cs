using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A retirement (<c>retiredFrom</c>) recorded, moved or taken back after a period was closed must not change that period's
/// district table behind the office's back: it is refused while a closed period it changes is closed, and recorded where it
/// changes nothing closed. Its own database (a class fixture), since these tests close periods; each test closes its own years.
/// </summary>
public sealed class RetirementOfClosedPeriodsTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Slug = "retirement-changes-closed-period";

    private async Task<HttpResponseMessage> PatchAsync(string id, string json) =>
        await Admin.PatchAsync($"/v1/reporters/{id}", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private async Task<string?> RetiredFromAsync(string id) =>
        (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct)).TryGetProperty("retiredFrom", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;

    private async Task CloseAsync(params string[] periods)
    {
        foreach (var period in periods) Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
    }

    private async Task ReopenAsync(params string[] periods)
    {
        foreach (var period in periods) Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/reopen", null, Ct)).StatusCode);
    }

    /// <summary>The district table of <paramref name="period"/> for these reporters as the API serves it: its rows and completeness.</summary>
    private async Task<string> DistrictAsync(string period, params string[] reporters)
    {
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?reporters={string.Join(',', reporters)}", Ct);
        return table.GetProperty("rows").GetRawText() + table.GetProperty("completeness").GetRawText();
    }

    private async Task<JsonElement[]> AuditOfAsync(string id) =>
        [.. (await Admin.GetFromJsonAsync<JsonElement>("/v1/audit?limit=200", Ct)).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("path").GetString() == $"/v1/reporters/{id}")];

    private static (string, string)[] Periods(JsonElement problem) =>
        [.. problem.GetProperty("periods").EnumerateArray().Select(p => (p.GetProperty("catalogue").GetString()!, p.GetProperty("period").GetString()!)).Order()];

    private async Task StoreAsync(string reporter, string period, params (string Code, decimal Value)[] values) =>
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, values.Select(v => KeyValuePair.Create(v.Code, (decimal?)v.Value)))).StatusCode);

    [Fact]
    public async Task A_Town_Retired_During_A_Closed_Year_Is_Refused_Naming_The_Closed_Periods_And_The_District_Table_Stays_As_Closed()
    {
        // 古邵镇 reports 2015's first three quarters with a reading point (9, a stock) and requests (2.1, a flow); 阴平镇 all four.
        var merged = await CreateReporterAsync("town");
        var kept = await CreateReporterAsync("town");
        foreach (var q in new[] { 1, 2, 3 }) await StoreAsync(merged, $"2015Q{q}", ("2.1", 5), ("9", 1), ("9.2", 1), ("12.2", 1));
        foreach (var q in new[] { 1, 2, 3, 4 }) await StoreAsync(kept, $"2015Q{q}", ("2.1", 5), ("9", 2), ("9.2", 2), ("12.2", 2));
        await CloseAsync("2015", "2015Q3");
        try
        {
            var year = await DistrictAsync("2015", merged, kept);
            var third = await DistrictAsync("2015Q3", merged, kept);

            var problem = await ProblemAsync(await PatchAsync(merged, """{"retiredFrom":"2015Q3"}"""), 409);

            Assert.EndsWith("/" + Slug, problem.GetProperty("type").GetString());
            Assert.Equal("Retirement changes a closed period", problem.GetProperty("title").GetString());
            // The year loses the town's stocks, the closed third quarter its table from what it expects; the open fourth changes nothing closed.
            Assert.Equal([(Catalogue2014, "2015"), (Catalogue2014, "2015Q3")], Periods(problem));
            Assert.All(problem.GetProperty("periods").EnumerateArray(), p => Assert.Equal(
                $"POST /v1/periods/{Catalogue2014}/{p.GetProperty("period").GetString()}/reopen", p.GetProperty("reopen").GetString()));
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.StartsWith("将", detail);
            Assert.True(detail.IndexOf("没有保存", StringComparison.Ordinal) < detail.IndexOf("nothing was changed", StringComparison.Ordinal));
            foreach (var said in new[] { "2015年度", "2015年第3季度", "政府信息公开工作情况统计表（2014年版）", "重新开放", "尚未关闭", "Reopen those periods first" })
                Assert.Contains(said, detail);
            Assert.Null(await RetiredFromAsync(merged));
            Assert.Equal(year, await DistrictAsync("2015", merged, kept));
            Assert.Equal(third, await DistrictAsync("2015Q3", merged, kept));
            var refused = Assert.Single(await AuditOfAsync(merged));
            Assert.Equal(409, refused.GetProperty("status").GetInt32());
            Assert.StartsWith($"'{merged}' 未改动：", refused.GetProperty("detail").GetString());

            // Reopened, the retirement is recorded, and the year leaves the merged town's stocks out (2, not 3).
            await ReopenAsync("2015", "2015Q3");
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(merged, """{"retiredFrom":"2015Q3"}""")).StatusCode);
            Assert.Equal("2015Q3", await RetiredFromAsync(merged));
            Assert.NotEqual(year, await DistrictAsync("2015", merged, kept));
            var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2015?reporters={merged},{kept}", Ct);
            Assert.Equal(2m, table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "9").GetProperty("total").GetDecimal());

            // Closed again, taking the retirement back, or moving it to the fourth quarter, would change the year: both refused.
            await CloseAsync("2015");
            var closedYear = await DistrictAsync("2015", merged, kept);
            foreach (var json in new[] { """{"retiredFrom":null}""", """{"retiredFrom":"2015Q4"}""", """{"retiredFrom":"2015"}""" })
            {
                var again = await ProblemAsync(await PatchAsync(merged, json), 409);
                Assert.Equal([(Catalogue2014, "2015")], Periods(again));
            }
            Assert.Equal("2015Q3", await RetiredFromAsync(merged));
            Assert.Equal(closedYear, await DistrictAsync("2015", merged, kept));
            // Moving it past the closed year changes only periods still open.
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(merged, """{"retiredFrom":"2015Q3","name":"古邵镇（已撤并）"}""")).StatusCode);
            Assert.Equal(1, (await AuditOfAsync(merged)).Count(e => e.GetProperty("status").GetInt32() == 200 && e.GetProperty("detail").GetString()!.Contains("撤并自")));
        }
        finally
        {
            await ReopenAsync("2015", "2015Q3");
        }
    }

    [Fact]
    public async Task A_Merger_Recorded_Years_Later_For_A_Town_That_Stopped_Reporting_Needs_No_Period_Reopened()
    {
        // 古邵镇 sent its 2016 table and nothing after; 2016 to 2018 were closed with it missing from 2017 on.
        var town = await CreateReporterAsync("town");
        await StoreAsync(town, "2016", ("13.1", 2));
        await CloseAsync("2016", "2017", "2018");
        try
        {
            var before = await DistrictAsync("2016", town);

            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(town, """{"retiredFrom":"2017"}""")).StatusCode);

            Assert.Equal("2017", await RetiredFromAsync(town));
            Assert.Equal(before, await DistrictAsync("2016", town));
            // Taken back, it is again one the closed years had missing: nothing they printed changes either.
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(town, """{"retiredFrom":null}""")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(town, """{"retiredFrom":"2017Q2"}""")).StatusCode);
            // But from within 2016, whose table it sent, it is refused.
            var problem = await ProblemAsync(await PatchAsync(town, """{"retiredFrom":"2016Q3"}"""), 409);
            Assert.Equal([(Catalogue2014, "2016")], Periods(problem));
            Assert.Equal("2017Q2", await RetiredFromAsync(town));
        }
        finally
        {
            await ReopenAsync("2016", "2017", "2018");
        }
    }

    [Fact]
    public async Task A_Closed_Period_Whose_Expected_List_Names_The_Reporter_Refuses_Its_Retirement_Though_It_Sent_Nothing()
    {
        var listed = await CreateReporterAsync("department");
        var other = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2019",
            new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { listed } }, Ct)).StatusCode);
        await CloseAsync("2019");
        try
        {
            var before = await DistrictAsync("2019", listed);

            var problem = await ProblemAsync(await PatchAsync(listed, """{"retiredFrom":"2019"}"""), 409);

            Assert.Equal([(Catalogue2014, "2019")], Periods(problem));
            Assert.Null(await RetiredFromAsync(listed));
            Assert.Equal(before, await DistrictAsync("2019", listed));
            // One the list does not name, without a table, changes nothing closed; from the year after, neither does the listed one.
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(other, """{"retiredFrom":"2019"}""")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(listed, """{"retiredFrom":"2020"}""")).StatusCode);
        }
        finally
        {
            await ReopenAsync("2019");
        }
    }

    [Fact]
    public async Task A_Rename_Or_A_Contact_Of_A_Reporter_With_Tables_In_Closed_Periods_Is_Not_Held_Up()
    {
        var town = await CreateReporterAsync("town");
        await StoreAsync(town, "2014", ("13.1", 1));
        await CloseAsync("2014");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(town, """{"name":"峨山镇人民政府","contact":"王芳 0632-7712345"}""")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PatchAsync(town, """{"retiredFrom":null}""")).StatusCode); // as it is: nothing moves
        }
        finally
        {
            await ReopenAsync("2014");
        }
    }
}
