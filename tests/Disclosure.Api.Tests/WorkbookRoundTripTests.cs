using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Features.Templates;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>The Excel round trip: the template as a town downloads it, filled in as Excel would, and sent back.</summary>
public sealed class WorkbookRoundTripTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<byte[]> TemplateAsync(HttpClient client, string reporter, string catalogue = Catalogue2014, string period = "2014")
    {
        var response = await client.GetAsync($"/v1/templates/{catalogue}/{period}?reporter={reporter}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SubmissionWorkbook.MediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>Cells of the template's sheet by reference (A1 …), as text.</summary>
    internal static Dictionary<string, string> Read(byte[] workbook)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var part = doc.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
        return ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>()
            .ToDictionary(c => c.CellReference!.Value!, c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "");
    }

    /// <summary>Fills the 填报数 column as a person would in Excel: numbers as numbers, each code's row found by its 代码 cell.</summary>
    internal static byte[] Fill(byte[] template, IReadOnlyDictionary<string, string?> values, bool asText = false)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
            var data = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!;
            foreach (var row in data.Elements<Row>())
            {
                var code = row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value!.StartsWith('C'))?.InnerText;
                if (code is null || !values.TryGetValue(code, out var value)) continue;
                var reference = $"E{row.RowIndex!.Value}";
                row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == reference)?.Remove();
                if (value is null) continue;
                row.Append(asText
                    ? new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value)) }
                    : new Cell { CellReference = reference, CellValue = new CellValue(value) });
            }
            doc.Save();
        }
        return stream.ToArray();
    }

    private static ByteArrayContent Xlsx(byte[] workbook)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        return content;
    }

    private static Dictionary<string, string?> SeedStrings() =>
        SeedTable.Values.ToDictionary(v => v.Key, v => v.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task The_Template_Names_Its_Table_Period_And_Reporter_And_Has_The_Code_And_Value_Columns()
    {
        var reporter = await CreateReporterAsync();
        var cells = Read(await TemplateAsync(Admin, reporter));
        Assert.Equal(Catalogue2014, cells["B2"]);
        Assert.Equal("2014", cells["B3"]);
        Assert.Equal(reporter, cells["B4"]);
        Assert.Equal("代码", cells["C6"]);
        Assert.Equal("填报数", cells["E6"]);
        Assert.Contains(cells, c => c.Key.StartsWith('C') && c.Value == "3.1");
        Assert.DoesNotContain(cells, c => c.Key.StartsWith('E') && c.Key != "E6"); // nothing submitted yet: every value blank
    }

    [Fact]
    public async Task A_Filled_Template_Is_Stored_As_The_Same_Json_Submission_Would_Be_And_Prefills_The_Next_Template()
    {
        var (viaExcel, viaJson) = (await CreateReporterAsync(), await CreateReporterAsync());
        var filled = Fill(await TemplateAsync(Admin, viaExcel), SeedStrings());
        var excel = await Admin.PostAsync("/v1/submissions", Xlsx(filled), Ct);
        Assert.Equal(HttpStatusCode.Created, excel.StatusCode);
        var json = await SubmitAsync(Admin, viaJson, "2014", SeedTable.Values);
        Assert.Equal(HttpStatusCode.Created, json.StatusCode);

        static string Values(JsonElement body) => body.GetProperty("values").GetRawText() + body.GetProperty("derived").GetRawText();
        Assert.Equal(Values(await json.Content.ReadFromJsonAsync<JsonElement>(Ct)), Values(await excel.Content.ReadFromJsonAsync<JsonElement>(Ct)));

        var again = Read(await TemplateAsync(Admin, viaExcel));
        var row31 = again.Single(c => c.Key.StartsWith('C') && c.Value == "3.1").Key[1..];
        Assert.Equal(SeedTable.Values.Single(v => v.Key == "3.1").Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), again[$"E{row31}"]);
    }

    [Fact]
    public async Task A_Broken_Sum_In_A_Workbook_Gets_The_Same_422_As_In_Json_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        var values = SeedStrings();
        values["3.1"] = "61";
        var response = await Admin.PostAsync("/v1/submissions", Xlsx(Fill(await TemplateAsync(Admin, reporter), values)), Ct);
        var problem = await ProblemAsync(response, 422);
        Assert.Contains(problem.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "sum" && v.GetProperty("codes")[0].GetString() == "3.1");
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_Replayed_With_Its_Idempotency_Key_Stores_One_Revision()
    {
        var reporter = await CreateReporterAsync();
        var filled = Fill(await TemplateAsync(Admin, reporter), SeedStrings());
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = Xlsx(filled) };
            request.Headers.Add("Idempotency-Key", key);
            return await Admin.SendAsync(request, Ct);
        }
        Assert.Equal(HttpStatusCode.Created, (await Send()).StatusCode);
        var replay = await Send();
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task Text_Where_A_Number_Belongs_Is_400_Naming_The_Sheet_And_Cell()
    {
        var reporter = await CreateReporterAsync();
        var values = SeedStrings();
        values["3.1"] = "六十";
        var template = await TemplateAsync(Admin, reporter);
        var row31 = Read(template).Single(c => c.Key.StartsWith('C') && c.Value == "3.1").Key[1..];
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(Fill(template, values, asText: true)), Ct), 400);
        Assert.Contains($"{SubmissionWorkbook.SheetName}!E{row31}", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Template_For_Another_Reporter_Is_Refused_For_A_Reporter_Key()
    {
        var (mine, other) = (await CreateReporterAsync(), await CreateReporterAsync());
        var (_, key) = await CreateKeyAsync("reporter", mine);
        var client = Factory.Client(key);
        await ProblemAsync(await client.GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={other}", Ct), 403);
        var theirs = Fill(await TemplateAsync(Admin, other), SeedStrings());
        await ProblemAsync(await client.PostAsync("/v1/submissions", Xlsx(theirs), Ct), 403);
        Assert.Equal(0, (await RevisionsAsync(other, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Body_That_Is_Not_A_Workbook_Or_Not_The_Template_Is_400()
    {
        await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx("not a zip at all"u8.ToArray()), Ct), 400);
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var part = doc.AddWorkbookPart();
            part.Workbook = new Workbook(new Sheets(new Sheet { Id = part.GetIdOfPart(part.AddNewPart<WorksheetPart>()), SheetId = 1, Name = "Sheet1" }));
            part.WorksheetParts.First().Worksheet = new Worksheet(new SheetData());
        }
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct), 400);
        Assert.Contains(SubmissionWorkbook.SheetName, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Zip_Bomb_Is_Refused_Before_It_Is_Inflated()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 40; i++) entry.Write(zeros); // 40 MB of zeros, ~40 KB compressed
        }
        Assert.True(stream.Length < 1024 * 1024);
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct), 400);
        Assert.Contains("inflates", problem.GetProperty("detail").GetString());
    }
}
