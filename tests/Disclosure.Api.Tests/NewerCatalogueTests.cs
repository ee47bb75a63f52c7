using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disclosure.Api.Tests;

/// <summary>
/// A district that changed format: the office loaded its 2019 format (2021's rows under another id, years 2019–2020), which
/// the 2014 edition still covers. A table sent for those years on the 2014 edition is stored (a departmental system still on
/// it keeps working) with a warning naming the newer catalogue, in its 201, its dry run, its stored revision and an uploaded
/// workbook's 201 alike; a period the format does not take is not warned of, but a quarter of a year it takes is told that it
/// does not add up into that year.
/// </summary>
public sealed class NewerCatalogueTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Format = "district-format-2019";
    private const string Rule = "newer-catalogue";

    private Task LoadFormatAsync() => LoadFormatAsync(Admin);

    internal static async Task LoadFormatAsync(HttpClient admin)
    {
        var doc = (await admin.GetFromJsonAsync<JsonObject>("/v1/catalogues/gov-info-disclosure-2021", Ct))!;
        doc["id"] = Format;
        doc["title"] = "区用统计表（2019年格式）";
        doc["periods"] = JsonSerializer.SerializeToNode(new { fromYear = 2019, toYear = 2020, granularities = new[] { "year" } });
        var loaded = await admin.PostAsJsonAsync("/v1/catalogues", doc, Ct);
        Assert.True(loaded.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, loaded.StatusCode.ToString());
    }

    internal static IEnumerable<JsonElement> Named(JsonElement list) => list.EnumerateArray().Where(v => v.GetProperty("rule").GetString() == Rule);

    [Fact]
    public async Task A_Table_On_The_Old_Edition_For_A_Year_The_Loaded_Format_Takes_Is_Stored_With_A_Warning_Naming_The_Format()
    {
        await LoadFormatAsync();
        var reporter = await CreateReporterAsync();

        var submitted = await SubmitAsync(Admin, reporter, "2019", [new("3.1", 7)]);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var warning = Assert.Single(Named((await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings")));
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal(Format, warning.GetProperty("expected").GetString());
        Assert.Equal(Catalogue2014, warning.GetProperty("actual").GetString());
        Assert.Equal("2019年度已改用 2019 年起的新表《区用统计表（2019年格式）》（district-format-2019）填报：全区该期汇总按新表进行，" +
            "按本表《政府信息公开工作情况统计表（2014年版）》报送的数字不计入新表的汇总，在新表中也不算已报。请改按《区用统计表（2019年格式）》填报（区里另有要求的除外）；不影响提交。",
            warning.GetProperty("messageZh").GetString());
        Assert.Contains($"Send 2019 on '{Format}'", warning.GetProperty("message").GetString());
        // Kept with the revision, for whoever reads it later.
        var stored = await Admin.GetFromJsonAsync<JsonElement>(submitted.Headers.Location!.OriginalString, Ct);
        Assert.Single(Named(stored.GetProperty("warnings")));

        // The dry run says it, and the table is valid all the same.
        var dry = await (await Admin.PostAsJsonAsync("/v1/submissions/validate", Body(reporter, "2020", [new("3.1", 8)]), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(dry.GetProperty("valid").GetBoolean());
        Assert.Contains("2020年度已改用", Assert.Single(Named(dry.GetProperty("violations"))).GetProperty("messageZh").GetString());

        // So does the 201 to the old edition's workbook.
        var template = await (await Admin.GetAsync($"/v1/templates/{Catalogue2014}/2020?reporter={reporter}", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var content = new ByteArrayContent(WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["3.1"] = "9" }));
        content.Headers.ContentType = new MediaTypeHeaderValue(Disclosure.Api.Features.Templates.SubmissionWorkbook.MediaType);
        var uploaded = await Admin.PostAsync("/v1/submissions", content, Ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Single(Named((await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings")));

        async Task<JsonElement> WarningsAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings");
        }

        // A quarter of a year the format takes (the format takes no quarters) is told that it does not add up into that year.
        var quarter = Assert.Single(Named(await WarningsAsync(await SubmitAsync(Admin, reporter, "2019Q2", [new("3.1", 7)]))));
        Assert.Equal("2019年度已改用 2019 年起的新表《区用统计表（2019年格式）》（district-format-2019）填报，新表不分季度：按本表《政府信息公开工作情况统计表（2014年版）》" +
            "报送的季报不汇总进新表的2019年度，在新表中也不算已报。2019年度请按《区用统计表（2019年格式）》填报（区里另有要求的除外）；不影响提交。", quarter.GetProperty("messageZh").GetString());

        // Nothing of it for a year before the format, or a table sent on the format itself.
        Assert.Empty(Named(await WarningsAsync(await SubmitAsync(Admin, reporter, "2018", [new("3.1", 7)]))));
        Assert.Empty(Named(await WarningsAsync(await Admin.PostAsJsonAsync("/v1/submissions",
            new { reporter, period = "2019", catalogue = Format, values = Catalogue2021RoundTripTests.Sample().Select(v => new { code = v.Key, value = v.Value }).ToArray() }, Ct))));
    }
}

/// <summary>
/// The office closed the format's 2019 (the district's 2019 is published). A table sent on the 2014 edition for 2019 since is
/// still stored, but its warning and its template say that the year is closed on the format and that a late table goes through
/// the office, rather than asking for it on the format, which would refuse it.
/// </summary>
public sealed class NewerCatalogueClosedTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_Table_On_The_Old_Edition_For_A_Year_Closed_On_The_Format_Is_Told_The_Year_Is_Closed_There()
    {
        await NewerCatalogueTests.LoadFormatAsync(Admin);
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync("/v1/periods/district-format-2019/2019/close", null, Ct)).StatusCode);

        var submitted = await SubmitAsync(Admin, reporter, "2019", [new("3.1", 7)]);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var said = Assert.Single(NewerCatalogueTests.Named((await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings"))).GetProperty("messageZh").GetString()!;
        Assert.StartsWith("2019年度已改用 2019 年起的新表《区用统计表（2019年格式）》（district-format-2019）填报：", said, StringComparison.Ordinal);
        Assert.Matches("新表的2019年度统计期已于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}（北京时间）关闭，不再接收报表；如需补报，请联系区政务公开办。不影响本表提交。$", said);
        Assert.DoesNotContain("请改按", said, StringComparison.Ordinal);

        // The old edition's template says it before anyone fills it in: closed for 2019, open for 2020.
        async Task<List<string>> TemplateAsync(string period) =>
            NoteTests.CellTexts(await (await Admin.GetAsync($"/v1/templates/{Catalogue2014}/{period}?reporter={reporter}", Ct)).Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains(said, await TemplateAsync("2019"));
        Assert.Contains(await TemplateAsync("2020"), t => t.StartsWith("2020年度已改用", StringComparison.Ordinal) && t.Contains("请改按《区用统计表（2019年格式）》填报", StringComparison.Ordinal));
        Assert.DoesNotContain(await TemplateAsync("2018"), t => t.Contains("已改用", StringComparison.Ordinal));
    }
}
