using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Features.Templates;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>
/// A sum the service derived (a blank 3.1 beside its parts) goes back into a template blank, as it was sent, so that a part
/// corrected in Excel is not refused for a sum the person never typed.
/// </summary>
public sealed class DerivedFiguresTests(ApiFactory factory) : ApiTest(factory)
{
    private static ByteArrayContent Xlsx(byte[] workbook)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        return content;
    }

    /// <summary>The 填报数 cell of each code on 填报表, as text ("" when blank).</summary>
    private static Dictionary<string, string> Figures(byte[] workbook)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var part = doc.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>())
        {
            var cells = row.Elements<Cell>().ToDictionary(c => new string([.. c.CellReference!.Value!.TakeWhile(char.IsLetter)]), c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "");
            if (cells.TryGetValue("C", out var code) && code.Length > 0 && cells.TryGetValue("E", out var figure)) figures[code] = figure;
        }
        return figures;
    }

    [Fact]
    public async Task A_Derived_Sum_Is_Left_Blank_In_The_Template_And_A_Part_Corrected_In_Excel_Is_Stored()
    {
        var reporter = await CreateReporterAsync("town");
        var first = await SubmitAsync(Admin, reporter, "2015", [new("3.1.1", 1), new("3.1.2", 2)]);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("3.1", (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("derived").EnumerateArray().Select(d => d.GetString()));

        var template = await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/2015?reporter={reporter}", Ct);
        var figures = Figures(template);
        Assert.Equal(("1", "2", ""), (figures["3.1.1"], figures["3.1.2"], figures["3.1"]));

        // She corrects a part; the sum she never typed is worked out again, and still marked as worked out.
        var corrected = await Admin.PostAsync("/v1/submissions", Xlsx(WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["3.1.1"] = "5" })), Ct);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var stored = await corrected.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, stored.GetProperty("revision").GetInt32());
        Assert.Contains("3.1", stored.GetProperty("derived").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(7, stored.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "3.1").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task The_Reporters_Workbook_Leaves_A_Derived_Sum_Blank_And_Reads_Its_Column_Back_As_Unchanged()
    {
        var reporter = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2016", [new("3.1.1", 1), new("3.1.2", 2)])).StatusCode);
        var template = await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/2016/reporters", Ct);
        var column = ReportersWorkbookTests.ColumnOf(template, reporter);
        var rows = ReportersWorkbookTests.Rows(template);
        string At(string code) => rows.Single(r => r.GetValueOrDefault("B") == code).GetValueOrDefault(column, "");
        Assert.Equal(("1", ""), (At("3.1.1"), At("3.1")));

        var read = await Admin.PostAsync($"/v1/templates/{Catalogue2014}/2016/reporters", Xlsx(template), Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var columns = (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reporters").EnumerateArray();
        Assert.Equal("unchanged", columns.Single(c => c.GetProperty("reporter").GetString() == reporter).GetProperty("state").GetString());
    }
}
