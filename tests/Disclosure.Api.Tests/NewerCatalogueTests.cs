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
/// workbook's 201 alike; a period the format does not take is not warned of.
/// </summary>
public sealed class NewerCatalogueTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Format = "district-format-2019";
    private const string Rule = "newer-catalogue";

    private async Task LoadFormatAsync()
    {
        var doc = (await Admin.GetFromJsonAsync<JsonObject>("/v1/catalogues/gov-info-disclosure-2021", Ct))!;
        doc["id"] = Format;
        doc["title"] = "区用统计表（2019年格式）";
        doc["periods"] = JsonSerializer.SerializeToNode(new { fromYear = 2019, toYear = 2020, granularities = new[] { "year" } });
        var loaded = await Admin.PostAsJsonAsync("/v1/catalogues", doc, Ct);
        Assert.True(loaded.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, loaded.StatusCode.ToString());
    }

    private static IEnumerable<JsonElement> Named(JsonElement list) => list.EnumerateArray().Where(v => v.GetProperty("rule").GetString() == Rule);

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

        // Nothing of it for a year before the format, a quarter it does not take, or a table sent on the format itself.
        async Task<JsonElement> WarningsAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings");
        }
        Assert.Empty(Named(await WarningsAsync(await SubmitAsync(Admin, reporter, "2018", [new("3.1", 7)]))));
        Assert.Empty(Named(await WarningsAsync(await SubmitAsync(Admin, reporter, "2019Q2", [new("3.1", 7)]))));
        Assert.Empty(Named(await WarningsAsync(await Admin.PostAsJsonAsync("/v1/submissions",
            new { reporter, period = "2019", catalogue = Format, values = Catalogue2021RoundTripTests.Sample().Select(v => new { code = v.Key, value = v.Value }).ToArray() }, Ct))));
    }
}
