using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Catalogue;

namespace Disclosure.Api.Tests;

/// <summary>
/// 上年结转与上年结转下年度衔接 for the office's review: <c>GET /v1/aggregates/{catalogue}/{period}/differs-from-last-year-carried</c>
/// lists every reporter whose balances carried in (2021's 3.2) are not what its own table of last year carried forward (3.4),
/// the dry run's warning <c>differs-from-last-year-carried</c> across reporters. Each test owns its reporters.
/// </summary>
public sealed class DiffersFromLastYearCarriedTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Catalogue2021 = "gov-info-disclosure-2021";

    private async Task StoreAsync(string reporter, string period, string catalogue, params (string Code, decimal Value)[] values)
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period, catalogue, values = values.Select(v => new { code = v.Code, value = v.Value }).ToArray(),
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>2021: 自然人 carries 5 forward, 科研机构 2.</summary>
    private Task Store2021Async(string reporter, decimal natural = 5) =>
        StoreAsync(reporter, "2021", Catalogue2021, ("3.1:natural", 10), ("3.3.1:natural", 10 - natural), ("3.4:natural", natural), ("3.1:research", 2), ("3.4:research", 2));

    /// <summary>2022: 自然人 carries in <paramref name="natural"/>, 科研机构 2, and 商业企业 (blank last year) <paramref name="commercial"/> if given.</summary>
    private Task Store2022Async(string reporter, decimal natural, decimal? commercial = null) =>
        StoreAsync(reporter, "2022", Catalogue2021, [("3.2:natural", natural), ("3.3.1:natural", natural), ("3.2:research", 2), ("3.3.1:research", 2),
            .. commercial is { } c ? new[] { ("3.2:commercial", c), ("3.3.1:commercial", c) } : []]);

    private static List<string> Lines(JsonElement list) => [.. list.GetProperty("items").EnumerateArray().Select(i =>
        $"{i.GetProperty("reporter").GetString()} {i.GetProperty("code").GetString()}←{i.GetProperty("carriedFrom").GetString()} {i.GetProperty("valueBefore").GetDecimal()} {i.GetProperty("value").GetDecimal()}")];

    [Fact]
    public async Task The_List_Gives_Every_Reporters_Balances_Carried_In_Not_As_Last_Year_Carried_Forward_In_The_Breakdowns_Order()
    {
        var town = await CreateReporterAsync("town");
        var department = await CreateReporterAsync();
        var agreeing = await CreateReporterAsync("town");
        var newcomer = await CreateReporterAsync("town");
        var commercial = await CreateReporterAsync("town");
        foreach (var reporter in new[] { town, department, agreeing, commercial }) await Store2021Async(reporter);
        await Store2022Async(town, 4);
        await Store2022Async(department, 7);
        await Store2022Async(agreeing, 5);
        await Store2022Async(newcomer, 9); // no table last year: nothing to compare with
        await Store2022Async(commercial, 5, commercial: 3);
        var url = $"/v1/aggregates/{Catalogue2021}/2022/differs-from-last-year-carried?reporters={town},{department},{agreeing},{newcomer},{commercial}";

        var list = await Admin.GetFromJsonAsync<JsonElement>(url, Ct);

        // The department before the towns, as the breakdown orders its columns (towns registered at one instant come by id); the town's 3.2:total (6 against 7) is left out for
        // its part 3.2:natural. 商业企业, blank last year, is not compared itself, but where every column given on both sides agrees,
        // the totals tell of the 3 carried in that nothing carried forward (10 against 7).
        var lines = Lines(list);
        Assert.Equal($"{department} 3.2:natural←3.4:natural 5 7", lines[0]);
        Assert.Equivalent(new[] { $"{town} 3.2:natural←3.4:natural 5 4", $"{commercial} 3.2:total←3.4:total 7 10" }, lines.Skip(1), strict: true);
        var item = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("reporter").GetString() == town);
        Assert.Equal("测试单位 " + town, item.GetProperty("reporterName").GetString());
        Assert.Equal("二、上年结转政府信息公开申请数量 · 自然人", item.GetProperty("name").GetString());
        Assert.Equal("件", item.GetProperty("unit").GetString());
        Assert.Equal("town", item.GetProperty("kind").GetString());
        Assert.Equal("submission", item.GetProperty("source").GetString());
        Assert.Equal(("2022", "2021", Catalogue2021), (list.GetProperty("period").GetString(), list.GetProperty("yearBefore").GetString(), list.GetProperty("catalogue").GetString()));

        Assert.Equivalent(new[] { town, commercial }, (await Admin.GetFromJsonAsync<JsonElement>(url + "&kind=town", Ct)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reporter").GetString()));
        var viewer = Factory.Client((await CreateKeyAsync("viewer")).Key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(url, Ct)).StatusCode);

        // Polled with its ETag: 304 until a table changes it; the town's corrected 2021 (it did carry 4 forward) leaves the department.
        var first = await Admin.GetAsync(url, Ct);
        var poll = new HttpRequestMessage(HttpMethod.Get, url);
        poll.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(poll, Ct)).StatusCode);
        await Store2021Async(town, natural: 4);
        Assert.Equal([$"{department} 3.2:natural←3.4:natural 5 7", $"{commercial} 3.2:total←3.4:total 7 10"], Lines(await Admin.GetFromJsonAsync<JsonElement>(url, Ct)));
    }

    [Fact]
    public async Task Nothing_Differing_Or_Nothing_To_Compare_With_Is_An_Empty_List()
    {
        var agreeing = await CreateReporterAsync("town");
        await Store2021Async(agreeing);
        await Store2022Async(agreeing, 5);
        Assert.Empty(Lines(await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/2022/differs-from-last-year-carried?reporters={agreeing}", Ct)));

        // The edition's first year: last year's table, on the 2014 edition, has no 3.4 to carry in from.
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2020", new Dictionary<string, decimal?> { ["1.2.1"] = 5 })).StatusCode);
        await StoreAsync(town, "2021", Catalogue2021, ("3.2:natural", 3), ("3.3.1:natural", 3));
        var first = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/2021/differs-from-last-year-carried?reporters={town}", Ct);
        Assert.Empty(Lines(first));
        Assert.False(first.TryGetProperty("yearBefore", out _));
        Assert.False(first.TryGetProperty("catalogueBefore", out _));
    }

    [Fact]
    public async Task A_First_Quarter_Is_Set_Against_Last_Year_And_Last_Year_From_Quarters_Counts_Once_All_Four_Are_In()
    {
        var id = await LoadQuarterlyCatalogueAsync();

        // 2022 in quarters: the year's 结转下年度 is the fourth quarter's, 6; the partial reporter has three quarters, not yet a year.
        var department = await CreateReporterAsync();
        var partial = await CreateReporterAsync();
        for (var q = 1; q <= 4; q++)
        {
            await StoreAsync(department, $"2022Q{q}", id, ("3.1:natural", q == 4 ? 6 : 9), ("3.4:natural", q == 4 ? 6 : 9));
            if (q < 4) await StoreAsync(partial, $"2022Q{q}", id, ("3.1:natural", 9), ("3.4:natural", 9));
        }
        foreach (var reporter in new[] { department, partial }) await StoreAsync(reporter, "2023Q1", id, ("3.2:natural", 9), ("3.3.1:natural", 9));

        var quarter = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2023Q1/differs-from-last-year-carried?reporters={department},{partial}", Ct);
        Assert.Equal([$"{department} 3.2:natural←3.4:natural 6 9"], Lines(quarter));
        Assert.Equal(("2023Q1", "2022"), (quarter.GetProperty("period").GetString(), quarter.GetProperty("yearBefore").GetString()));

        // The year 2023 from its quarters once all four are in: its balance carried in is the first quarter's.
        for (var q = 2; q <= 4; q++) await StoreAsync(department, $"2023Q{q}", id, ("3.1:natural", 1), ("3.4:natural", 1));
        var year = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2023/differs-from-last-year-carried?reporters={department}", Ct);
        Assert.Equal([$"{department} 3.2:natural←3.4:natural 6 9"], Lines(year));
        Assert.Equal("quarters", year.GetProperty("items")[0].GetProperty("source").GetString());

    }

    [Fact]
    public async Task A_Later_Quarter_Is_Set_Against_The_Same_Reporters_Quarter_Before()
    {
        var id = await LoadQuarterlyCatalogueAsync();
        var differing = await CreateReporterAsync();
        var agreeing = await CreateReporterAsync();
        var noFirstQuarter = await CreateReporterAsync();
        // 2023Q1: both carry 5 forward; last year carried forward 9, which no later quarter is set against.
        foreach (var reporter in new[] { differing, agreeing })
        {
            await StoreAsync(reporter, "2022", id, ("3.1:natural", 9), ("3.4:natural", 9));
            await StoreAsync(reporter, "2023Q1", id, ("3.1:natural", 5), ("3.4:natural", 5));
        }
        await StoreAsync(differing, "2023Q2", id, ("3.2:natural", 4), ("3.1:natural", 2), ("3.3.1:natural", 3), ("3.4:natural", 3));
        await StoreAsync(agreeing, "2023Q2", id, ("3.2:natural", 5), ("3.3.1:natural", 5));
        await StoreAsync(noFirstQuarter, "2023Q2", id, ("3.2:natural", 7), ("3.3.1:natural", 7));

        var second = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2023Q2/differs-from-last-year-carried?reporters={differing},{agreeing},{noFirstQuarter}", Ct);
        Assert.Equal(("2023Q2", "2023Q1"), (second.GetProperty("period").GetString(), second.GetProperty("periodBefore").GetString()));
        // yearBefore, named before quarters were compared, stays for the clients that read it (deprecated), the list's and each item's.
        Assert.Equal("2023Q1", second.GetProperty("yearBefore").GetString());
        Assert.Equal(5, second.GetProperty("items")[0].GetProperty("yearBefore").GetDecimal());
        Assert.Equal([$"{differing} 3.2:natural←3.4:natural 5 4"], Lines(second));

        // The third quarter against the second's 3, not the first's 5.
        await StoreAsync(differing, "2023Q3", id, ("3.2:natural", 5), ("3.3.1:natural", 5));
        var third = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2023Q3/differs-from-last-year-carried?reporters={differing}", Ct);
        Assert.Equal([$"{differing} 3.2:natural←3.4:natural 3 5"], Lines(third));
        Assert.Equal("2023Q2", third.GetProperty("periodBefore").GetString());

        // An edition's first year is compared from its second quarter on: the first quarter before it is of the same edition.
        await StoreAsync(differing, "2021Q1", id, ("3.1:natural", 5), ("3.4:natural", 5));
        await StoreAsync(differing, "2021Q2", id, ("3.2:natural", 6), ("3.3.1:natural", 6));
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2021Q1/differs-from-last-year-carried?reporters={differing}", Ct)).TryGetProperty("periodBefore", out _));
        var firstYear = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2021Q2/differs-from-last-year-carried?reporters={differing}", Ct);
        Assert.Equal([$"{differing} 3.2:natural←3.4:natural 5 6"], Lines(firstYear));
    }

    /// <summary>Table 三 of 2021 as an office's catalogue of years and quarters (table 四's 总计, a flow plus a stock, would not hold in a year from quarters).</summary>
    private async Task<string> LoadQuarterlyCatalogueAsync()
    {
        using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-2021.json")!;
        var doc = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var id = NewId("carried");
        doc["id"] = id;
        doc["periods"]!["granularities"] = new JsonArray("year", "quarter");
        doc["tables"] = new JsonArray(doc["tables"]!.AsArray().Where(t => (string)t!["id"]! == "3").Select(t => t!.DeepClone()).ToArray());
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/catalogues", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"), Ct)).StatusCode);
        return id;
    }

    [Fact]
    public async Task The_List_Refuses_What_It_Cannot_Answer_With_A_Problem()
    {
        var town = await CreateReporterAsync("town");
        var path = $"/v1/aggregates/{Catalogue2021}/2022/differs-from-last-year-carried";
        Assert.Contains("no-such-reporter", (await ProblemAsync(await Admin.GetAsync(path + "?reporters=no-such-reporter", Ct), 422)).GetRawText());
        var unknown = await ProblemAsync(await Admin.GetAsync("/v1/aggregates/no-such-catalogue/2022/differs-from-last-year-carried", Ct), 404);
        Assert.StartsWith("没有代码为“no-such-catalogue”的报表", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2021}/2019/differs-from-last-year-carried", Ct), 404);
        await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2021}/2022Q1/differs-from-last-year-carried", Ct), 404);
        // The 2014 edition carries nothing in.
        var carriesNothing = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2019/differs-from-last-year-carried", Ct), 404);
        Assert.Contains("没有上年结转项", carriesNothing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("carries no balance in", carriesNothing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await Admin.GetAsync(path + "?kind=2", Ct), 400);
        var reporterKey = Factory.Client((await CreateKeyAsync("reporter", town)).Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporterKey.GetAsync(path + $"?reporters={town}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client().GetAsync(path, Ct)).StatusCode);
    }
}
