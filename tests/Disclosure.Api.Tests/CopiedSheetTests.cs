using System.Net;
using System.Net.Http.Headers;
using Disclosure.Api.Features.Templates;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>
/// A workbook with a copy of the template's sheet (Excel's 填报表 (2), WPS's 填报表(2)), figures typed on the copy: only the
/// sheet of the template's name is read, so the upload is refused naming both rather than stored from the untouched one.
/// </summary>
public sealed class CopiedSheetTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Catalogue2021 = "gov-info-disclosure-2021";

    private async Task<byte[]> GetAsync(string path)
    {
        var response = await Admin.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static ByteArrayContent Xlsx(byte[] workbook)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        return content;
    }

    /// <summary>The workbook with a copy of sheet <paramref name="source"/> named <paramref name="name"/> added after it, as Excel's 移动或复制 → 建立副本 makes it.</summary>
    internal static byte[] WithCopy(byte[] workbook, string source, string name)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheets = part.Workbook.Sheets!;
            var original = sheets.Elements<Sheet>().Single(s => s.Name == source);
            var copy = part.AddNewPart<WorksheetPart>();
            copy.Worksheet = (Worksheet)((WorksheetPart)part.GetPartById(original.Id!)).Worksheet.CloneNode(true);
            original.InsertAfterSelf(new Sheet { Id = part.GetIdOfPart(copy), SheetId = sheets.Elements<Sheet>().Max(s => s.SheetId!.Value) + 1, Name = name });
            doc.Save();
        }
        return stream.ToArray();
    }

    [Theory]
    [InlineData("填报表 (2)")]
    [InlineData("填报表(2)")]
    [InlineData("原表备份")]
    public async Task A_Workbook_With_A_Copy_Of_Its_Sheet_Is_Refused_Naming_Both_And_Nothing_Is_Stored(string copy)
    {
        var reporter = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);
        var template = await GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}");
        // Her figures on the copy; the sheet of the template's name as it was downloaded.
        var workbook = CopiedFilled(template, copy);

        foreach (var path in new[] { "/v1/submissions/validate", "/v1/submissions" })
        {
            var problem = await ProblemAsync(await Admin.PostAsync(path, Xlsx(workbook), Ct), 400);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.StartsWith($"工作簿中有 2 张“填报表”表（“填报表”“{copy}”）", detail, StringComparison.Ordinal);
            Assert.Contains("请只保留填好的一张", detail, StringComparison.Ordinal);
        }
        Assert.Single((await RevisionsAsync(reporter, "2014")).EnumerateArray());
    }

    /// <summary>The template with a copy of 填报表 named <paramref name="copy"/> that holds 13.1 = 999, 填报表 itself left as downloaded.</summary>
    private static byte[] CopiedFilled(byte[] template, string copy)
    {
        // Filled, copied, and then the filled original swapped for the untouched one: the copy alone holds the figure.
        var filled = WithCopy(WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["13.1"] = "999" }), SubmissionWorkbook.SheetName, copy);
        using var stream = new MemoryStream();
        stream.Write(filled);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            using var clean = SpreadsheetDocument.Open(new MemoryStream(template), false);
            var cleanPart = clean.WorkbookPart!;
            var original = (WorksheetPart)part.GetPartById(part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName).Id!);
            original.Worksheet = (Worksheet)((WorksheetPart)cleanPart.GetPartById(cleanPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName).Id!)).Worksheet.CloneNode(true);
            doc.Save();
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task A_Workbook_With_An_Unrelated_Extra_Sheet_Is_Still_Read()
    {
        var reporter = await CreateReporterAsync("town");
        var template = WorkbookRoundTripTests.Fill(await GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}"), new Dictionary<string, string?> { ["13.1"] = "5" });
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var extra = part.AddNewPart<WorksheetPart>();
            extra.Worksheet = new Worksheet(new SheetData(new Row(new Cell { CellReference = "A1", DataType = CellValues.InlineString, InlineString = new InlineString(new Text("草稿 (2)")) }) { RowIndex = 1 }));
            part.Workbook.Sheets!.Append(new Sheet { Id = part.GetIdOfPart(extra), SheetId = 99, Name = "Sheet1 (2)" });
            doc.Save();
        }
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct)).StatusCode);
    }

    [Fact]
    public async Task A_2021_Workbook_With_A_Copy_Of_A_Table_Sheet_Is_Refused_Naming_Both()
    {
        var reporter = await CreateReporterAsync("town");
        var template = await GetAsync($"/v1/templates/{Catalogue2021}/2022?reporter={reporter}");
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(WithCopy(template, "表3", "表3 (2)")), Ct), 400);
        Assert.StartsWith("工作簿中有 2 张“表3”表（“表3”“表3 (2)”）", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        // Its cover sheet copied is refused the same way.
        problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(WithCopy(template, SubmissionWorkbook.SheetName, "填报表 (2)")), Ct), 400);
        Assert.StartsWith("工作簿中有 2 张“填报表”表（“填报表”“填报表 (2)”）", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Reporters_Workbook_With_A_Copy_Of_Its_Sheet_Is_Refused_Naming_Both()
    {
        await CreateReporterAsync("town");
        var template = await GetAsync($"/v1/templates/{Catalogue2014}/2017/reporters");
        var problem = await ProblemAsync(await Admin.PostAsync($"/v1/templates/{Catalogue2014}/2017/reporters", Xlsx(WithCopy(template, ReportersWorkbook.SheetName, "分单位填报 (2)")), Ct), 400);
        Assert.StartsWith("工作簿中有 2 张“分单位填报”表（“分单位填报”“分单位填报 (2)”）", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }
}
