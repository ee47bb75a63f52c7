using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Catalogue;

namespace Disclosure.Api.Tests;

/// <summary>
/// 上年结转 与 上年结转下年度 衔接 as the dry run gives it: the warning <c>differs-from-last-year-carried</c> for a balance carried in
/// (2021's 3.2) that is not what the reporter's own table of last year carried forward (3.4), column by column. Each test owns its reporters.
/// </summary>
public sealed class CarriedOverTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Catalogue2021 = "gov-info-disclosure-2021";
    private const string Rule = "differs-from-last-year-carried";

    private static object TableBody(string reporter, string period, string catalogue, (string Code, decimal Value)[] values) => new
    {
        reporter, period, catalogue, values = values.Select(v => new { code = v.Code, value = v.Value }).ToArray(),
    };

    private async Task<JsonElement> StoreAsync(string reporter, string period, string catalogue, params (string Code, decimal Value)[] values)
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions", TableBody(reporter, period, catalogue, values), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<JsonElement> ValidateAsync(string reporter, string period, string catalogue, params (string Code, decimal Value)[] values)
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions/validate", TableBody(reporter, period, catalogue, values), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.GetRawText());
        return verdict;
    }

    private static List<JsonElement> Carried(JsonElement verdict) =>
        [.. verdict.GetProperty("violations").EnumerateArray().Where(v => v.GetProperty("rule").GetString() == Rule)];

    private static List<string?> CarriedCodes(JsonElement verdict) => [.. Carried(verdict).Select(v => v.GetProperty("codes")[0].GetString())];

    [Fact]
    public async Task A_Balance_Carried_In_That_Is_Not_Last_Years_Carried_Forward_Is_Warned_Of_Column_By_Column_And_Left_Valid()
    {
        var town = await CreateReporterAsync("town");
        // 2021: 自然人 carries 5 forward, 科研机构 2, 社会公益组织 1; 商业企业 nothing (blank).
        await StoreAsync(town, "2021", Catalogue2021,
            ("3.1:natural", 10), ("3.3.1:natural", 5), ("3.4:natural", 5),
            ("3.1:research", 2), ("3.4:research", 2),
            ("3.1:welfare", 1), ("3.4:welfare", 1));

        // 2022: 自然人 carries in 4 (not 5), 科研机构 2 (as carried forward), 商业企业 3 (last year blank), 社会公益组织 blank.
        (string, decimal)[] year2022 =
        [
            ("3.2:natural", 4), ("3.3.1:natural", 4),
            ("3.2:research", 2), ("3.3.1:research", 2),
            ("3.2:commercial", 3), ("3.3.1:commercial", 3),
        ];
        var verdict = await ValidateAsync(town, "2022", Catalogue2021, year2022);
        var warning = Assert.Single(Carried(verdict));
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal(["3.2:natural"], warning.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("5", warning.GetProperty("expected").GetString());
        Assert.Equal("4", warning.GetProperty("actual").GetString());
        Assert.Equal("2022年 3.2:natural 二、上年结转政府信息公开申请数量 · 自然人为 4，2021年 3.4:natural 四、结转下年度继续办理 · 自然人为 5，" +
            "结转数应当相等：请核对（不影响提交）。", warning.GetProperty("messageZh").GetString());
        var english = warning.GetProperty("message").GetString()!;
        Assert.Contains("3.2:natural", english, StringComparison.Ordinal);
        Assert.Contains("of 2022 is 4", english, StringComparison.Ordinal);
        Assert.Contains("3.4:natural (四、结转下年度继续办理 · 自然人) of 2021", english, StringComparison.Ordinal);

        // A reporter with no table last year: nothing to compare with.
        var newcomer = await CreateReporterAsync("town");
        Assert.Empty(Carried(await ValidateAsync(newcomer, "2022", Catalogue2021, year2022)));

        // The submission is not refused for it, and does not read last year (its warnings are the catalogue's alone).
        var stored = await StoreAsync(town, "2022", Catalogue2021, year2022);
        Assert.DoesNotContain(stored.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("rule").GetString() == Rule);

        // Last year's latest revision is the one compared with: corrected to carry 4 forward, 2022 agrees with it.
        await StoreAsync(town, "2021", Catalogue2021,
            ("3.1:natural", 10), ("3.3.1:natural", 6), ("3.4:natural", 4),
            ("3.1:research", 2), ("3.4:research", 2),
            ("3.1:welfare", 1), ("3.4:welfare", 1));
        Assert.Empty(Carried(await ValidateAsync(town, "2022", Catalogue2021, year2022)));
        // And now 科研机构's 3 is the one that differs.
        Assert.Equal(["3.2:research"], CarriedCodes(await ValidateAsync(town, "2022", Catalogue2021,
            ("3.2:natural", 4), ("3.3.1:natural", 4), ("3.2:research", 3), ("3.3.1:research", 3))));

        // The catalogue says which row carries in which.
        var catalogue = await Admin.GetFromJsonAsync<JsonElement>($"/v1/catalogues/{Catalogue2021}", Ct);
        var rows = catalogue.GetProperty("tables").EnumerateArray().SelectMany(t => t.GetProperty("rows").EnumerateArray()).ToList();
        Assert.Equal("3.4", rows.Single(r => r.GetProperty("code").GetString() == "3.2").GetProperty("carriedFrom").GetString());
        Assert.False(rows.Single(r => r.GetProperty("code").GetString() == "3.4").TryGetProperty("carriedFrom", out _));
    }

    [Fact]
    public async Task Last_Year_Given_In_Quarters_Is_The_Year_Its_Quarters_Make_For_A_Year_And_Its_First_Quarter()
    {
        // Table 三 of 2021 as an office's catalogue of years and quarters (table 四's 总计, a flow plus a stock, would not hold in a year from quarters).
        using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-2021.json")!;
        var doc = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var id = NewId("carried");
        doc["id"] = id;
        doc["periods"]!["granularities"] = new JsonArray("year", "quarter");
        doc["tables"] = new JsonArray(doc["tables"]!.AsArray().Where(t => (string)t!["id"]! == "3").Select(t => t!.DeepClone()).ToArray());
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/catalogues", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"), Ct)).StatusCode);

        // 2022 in quarters only: the year's 结转下年度 is its fourth quarter's, 6.
        var department = await CreateReporterAsync();
        for (var q = 1; q <= 4; q++)
        {
            var carriedForward = q == 4 ? 6 : 9;
            await StoreAsync(department, $"2022Q{q}", id, ("3.1:natural", carriedForward), ("3.4:natural", carriedForward));
        }

        var year = Assert.Single(Carried(await ValidateAsync(department, "2023", id, ("3.2:natural", 9), ("3.3.1:natural", 9))));
        Assert.Equal("6", year.GetProperty("expected").GetString());
        Assert.Contains("2022年 3.4:natural", year.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Empty(Carried(await ValidateAsync(department, "2023", id, ("3.2:natural", 6), ("3.3.1:natural", 6))));

        // A first quarter carries in what the year before carried forward.
        var quarter = Assert.Single(Carried(await ValidateAsync(department, "2023Q1", id, ("3.2:natural", 9), ("3.3.1:natural", 9))));
        Assert.Equal("6", quarter.GetProperty("expected").GetString());
        Assert.StartsWith("2023年第1季度 3.2:natural", quarter.GetProperty("messageZh").GetString(), StringComparison.Ordinal);

        // A year of its first quarters alone is not yet last year: nothing to compare with.
        var partial = await CreateReporterAsync();
        for (var q = 1; q <= 3; q++) await StoreAsync(partial, $"2022Q{q}", id, ("3.1:natural", 9), ("3.4:natural", 9));
        Assert.Empty(Carried(await ValidateAsync(partial, "2023", id, ("3.2:natural", 1), ("3.3.1:natural", 1))));
        await StoreAsync(partial, "2022Q4", id, ("3.1:natural", 9), ("3.4:natural", 9));
        Assert.Equal(["3.2:natural"], CarriedCodes(await ValidateAsync(partial, "2023", id, ("3.2:natural", 1), ("3.3.1:natural", 1))));
    }

    [Fact]
    public async Task A_Later_Quarter_Carries_In_What_The_Reporters_Quarter_Before_Carried_Forward()
    {
        using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-2021.json")!;
        var doc = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var id = NewId("carried");
        doc["id"] = id;
        doc["periods"]!["granularities"] = new JsonArray("year", "quarter");
        doc["tables"] = new JsonArray(doc["tables"]!.AsArray().Where(t => (string)t!["id"]! == "3").Select(t => t!.DeepClone()).ToArray());
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/catalogues", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"), Ct)).StatusCode);

        // Last year carried 9 forward, the first quarter 5, the second 3.
        var department = await CreateReporterAsync();
        await StoreAsync(department, "2022", id, ("3.1:natural", 9), ("3.4:natural", 9));
        await StoreAsync(department, "2023Q1", id, ("3.1:natural", 5), ("3.4:natural", 5));
        await StoreAsync(department, "2023Q2", id, ("3.2:natural", 5), ("3.1:natural", 1), ("3.3.1:natural", 3), ("3.4:natural", 3));

        var second = Assert.Single(Carried(await ValidateAsync(department, "2023Q2", id, ("3.2:natural", 9), ("3.3.1:natural", 9))));
        Assert.Equal(("5", "9"), (second.GetProperty("expected").GetString(), second.GetProperty("actual").GetString()));
        Assert.Equal("2023年第2季度 3.2:natural 二、上年结转政府信息公开申请数量 · 自然人为 9，2023年第1季度 3.4:natural 四、结转下年度继续办理 · 自然人为 5，" +
            "结转数应当相等：请核对（不影响提交）。", second.GetProperty("messageZh").GetString());
        Assert.Contains("of 2023Q1, which it carries in", second.GetProperty("message").GetString(), StringComparison.Ordinal);

        var third = Assert.Single(Carried(await ValidateAsync(department, "2023Q3", id, ("3.2:natural", 5), ("3.3.1:natural", 5))));
        Assert.Equal("3", third.GetProperty("expected").GetString());
        Assert.Empty(Carried(await ValidateAsync(department, "2023Q3", id, ("3.2:natural", 3), ("3.3.1:natural", 3))));

        // No table of the quarter before: nothing to compare with, not last year's table instead.
        Assert.Empty(Carried(await ValidateAsync(department, "2023Q4", id, ("3.2:natural", 9), ("3.3.1:natural", 9))));
    }
}
