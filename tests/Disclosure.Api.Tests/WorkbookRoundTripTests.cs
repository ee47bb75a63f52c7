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

    [Fact]
    public async Task A_Template_Of_A_Closed_Period_Says_On_Its_Sheet_That_It_Cannot_Be_Sent_Until_Reopened()
    {
        var reporter = await CreateReporterAsync("town");
        const string period = "2008";
        static bool SaysClosed(byte[] workbook) => Read(workbook).Values.Any(v => v.Contains("注意：2008年度统计期已关闭，本表现在不能提交", StringComparison.Ordinal));
        Assert.False(SaysClosed(await TemplateAsync(Admin, reporter, period: period)));
        var quarterly = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, quarterly, "2008Q1", [new("13.1", 1)])).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
        var closed = await TemplateAsync(Admin, reporter, period: period);
        Assert.True(SaysClosed(closed));
        Assert.Contains(Read(closed).Values, v => v.Contains("Period 2008 is closed", StringComparison.Ordinal));
        // A quarter closed with its year (the reporter has no table of the year, which its quarters then make up) says so too;
        // that the year is added up from its quarters only to a reporter that sent one.
        Assert.Contains(Read(await TemplateAsync(Admin, quarterly, period: "2008Q3")).Values,
            v => v.Contains("注意：2008年度已关闭，该单位的年度数据由季报汇总而来，2008年第3季度季报随之关闭，本表现在不能提交", StringComparison.Ordinal));
        var silent = Read(await TemplateAsync(Admin, reporter, period: "2008Q3")).Values;
        Assert.Contains(silent, v => v.Contains("注意：2008年度已关闭，2008年第3季度季报随之关闭，本表现在不能提交", StringComparison.Ordinal));
        Assert.DoesNotContain(silent, v => v.Contains("季报汇总", StringComparison.Ordinal));
        // The 2021 edition's template (rows × columns) says it on its 填报表 too.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2021}/2022/close", null, Ct)).StatusCode);
        Assert.Contains(Read(await TemplateAsync(Admin, reporter, Catalogue2021, "2022")).Values, v => v.Contains("注意：2022年度统计期已关闭，本表现在不能提交", StringComparison.Ordinal));
        // A quarter closed itself is named as people read it too.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2008Q2/close", null, Ct)).StatusCode);
        Assert.Contains(Read(await TemplateAsync(Admin, reporter, period: "2008Q2")).Values, v => v.Contains("注意：2008年第2季度统计期已关闭，本表现在不能提交", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2008Q2/reopen", null, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/reopen", null, Ct)).StatusCode);
        Assert.False(SaysClosed(await TemplateAsync(Admin, reporter, period: period)));
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
        Assert.Equal("2014年度", cells["B3"]);
        Assert.Equal(reporter, cells["B4"]);
        Assert.Equal(("填报说明 note", ""), (cells["A6"], cells["B6"]));
        Assert.Equal("代码", cells["C7"]);
        Assert.Equal("填报数", cells["E7"]);
        Assert.Contains(cells, c => c.Key.StartsWith('C') && c.Value == "3.1");
        Assert.DoesNotContain(cells, c => c.Key.StartsWith('E') && c.Key != "E7" && c.Value != ""); // nothing submitted yet: every value blank
    }

    [Fact]
    public async Task The_2014_Template_Prints_Like_The_2021_Sheets_Ruled_Shaded_Fitted_To_A4_With_Its_Header_Repeated_And_Frozen()
    {
        var reporter = await CreateReporterAsync();
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await TemplateAsync(Admin, reporter)), false);
        var part = doc.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
        var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet;
        var setup = worksheet.GetFirstChild<PageSetup>()!;
        Assert.Equal((9u, OrientationValues.Portrait, 1u, 0u), (setup.PaperSize!.Value, setup.Orientation!.Value, setup.FitToWidth!.Value, setup.FitToHeight!.Value));
        Assert.True(worksheet.SheetProperties?.PageSetupProperties?.FitToPage?.Value);
        // The rows down to the column header (序号 … 填报数, row 7) on every printed page and frozen on screen.
        Assert.Equal("'填报表'!$1:$7", part.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == "_xlnm.Print_Titles").Text);
        var pane = worksheet.Descendants<Pane>().Single();
        Assert.Equal((PaneStateValues.Frozen, 7d, "A8"), (pane.State!.Value, pane.VerticalSplit!.Value, pane.TopLeftCell!.Value!));
        // Ruled, the value cells shaded.
        var styles = part.WorkbookStylesPart!.Stylesheet;
        var cells = worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        CellFormat Format(string at) => styles.CellFormats!.Elements<CellFormat>().ElementAt((int)cells[at].StyleIndex!.Value);
        bool Ruled(string at) => styles.Borders!.Elements<Border>().ElementAt((int)Format(at).BorderId!.Value).LeftBorder?.Style?.Value == BorderStyleValues.Thin;
        var row = cells.Single(c => c.Key.StartsWith('C') && c.Value.InlineString?.InnerText == "3.1").Key[1..];
        Assert.All(new[] { "A7", "E7", "A" + row, "B" + row, "E" + row }, at => Assert.True(Ruled(at), $"{at} is not ruled."));
        Assert.Equal(PatternValues.Solid, styles.Fills!.Elements<Fill>().ElementAt((int)Format("E" + row).FillId!.Value).PatternFill?.PatternType?.Value);
        Assert.NotEqual(PatternValues.Solid, styles.Fills!.Elements<Fill>().ElementAt((int)(Format("B" + row).FillId?.Value ?? 0)).PatternFill?.PatternType?.Value);
    }

    [Theory]
    [InlineData(Catalogue2014, "2014", "B6")]
    [InlineData(Catalogue2021, "2021", "B7")]
    public async Task The_Note_Cell_Is_Ruled_And_Shaded_As_The_Figures_To_Fill_In_Are_And_Its_Hint_Is_Not(string catalogue, string period, string noteCell)
    {
        // Unmarked, the note's cell was taken for a gap and the note typed over the hint beside it.
        var reporter = await CreateReporterAsync();
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await TemplateAsync(Admin, reporter, catalogue, period)), false);
        var part = doc.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
        var cells = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        var row = noteCell[1..];
        Assert.Equal("填报说明 note", cells["A" + row].InnerText);
        var styles = part.WorkbookStylesPart!.Stylesheet;
        CellFormat Format(string at) => styles.CellFormats!.Elements<CellFormat>().ElementAt((int)(cells[at].StyleIndex?.Value ?? 0));
        bool Ruled(string at) => styles.Borders!.Elements<Border>().ElementAt((int)(Format(at).BorderId?.Value ?? 0)) is var b
            && new BorderPropertiesType?[] { b.LeftBorder, b.RightBorder, b.TopBorder, b.BottomBorder }.All(side => side?.Style?.Value == BorderStyleValues.Thin);
        Fill FillOf(string at) => styles.Fills!.Elements<Fill>().ElementAt((int)(Format(at).FillId?.Value ?? 0));
        // A figure to fill in, on whichever sheet holds them, for the shading to match.
        var figure = part.WorksheetParts.SelectMany(w => w.Worksheet.Descendants<Cell>()).First(c => c.StyleIndex?.Value == Disclosure.Api.Features.Aggregates.PrintedSheet.Input);
        var figureFill = styles.Fills!.Elements<Fill>().ElementAt((int)styles.CellFormats!.Elements<CellFormat>().ElementAt((int)figure.StyleIndex!.Value).FillId!.Value);

        Assert.True(Ruled(noteCell), $"{noteCell} is not ruled.");
        Assert.Equal(PatternValues.Solid, FillOf(noteCell).PatternFill?.PatternType?.Value);
        Assert.Equal(figureFill.OuterXml, FillOf(noteCell).OuterXml);
        Assert.Equal(HorizontalAlignmentValues.Left, Format(noteCell).Alignment?.Horizontal?.Value);
        Assert.Equal("选填，最多 500 字：如某项与上年相差较大的原因", cells["C" + row].InnerText);
        Assert.False(Ruled("C" + row));
        Assert.NotEqual(PatternValues.Solid, FillOf("C" + row).PatternFill?.PatternType?.Value);
    }

    [Theory]
    [InlineData(Catalogue2014, "2014")]
    [InlineData(Catalogue2021, "2021")]
    public async Task The_Same_Template_Is_The_Same_Bytes_Each_Time_And_Head_Gives_Its_Length(string catalogue, string period)
    {
        var reporter = await CreateReporterAsync();
        var first = await TemplateAsync(Admin, reporter, catalogue, period);
        var second = await TemplateAsync(Admin, reporter, catalogue, period);
        Assert.Equal(first, second);
        var head = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/templates/{catalogue}/{period}?reporter={reporter}"), Ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(first.Length, head.Content.Headers.ContentLength);
        // Nor does the package hold the time it was written, which two requests a second apart would not share.
        using var zip = new ZipArchive(new MemoryStream(first));
        Assert.All(zip.Entries, e => Assert.Equal(1980, e.LastWriteTime.Year));
    }

    /// <summary>Types <paramref name="note"/> into the cell beside 填报说明 on 填报表, as a person would (empty: clears it).</summary>
    private static byte[] WithNote(byte[] workbook, string note) => Beside(workbook, "填报说明 note", note);

    /// <summary>Types <paramref name="text"/> into the cell beside <paramref name="label"/> on 填报表 (column B), as a person would.</summary>
    private static byte[] Beside(byte[] workbook, string label, string text)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
            var row = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
                .Single(r => r.Elements<Cell>().Any(c => c.CellReference!.Value!.StartsWith('A') && c.InnerText == label));
            var reference = $"B{row.RowIndex!.Value}";
            row.Elements<Cell>().Single(c => c.CellReference!.Value == reference)
                .InsertAfterSelf(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) });
            row.Elements<Cell>().First(c => c.CellReference!.Value == reference).Remove();
            doc.Save();
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task The_Note_Goes_Out_In_The_Template_And_Comes_Back_From_The_Cell_Beside_Its_Label()
    {
        var reporter = await CreateReporterAsync();
        var first = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2014", catalogue = Catalogue2014, values = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }), note = "第一次：网站改版。",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var template = await TemplateAsync(Admin, reporter);
        Assert.Equal("第一次：网站改版。", Read(template)["B6"]);

        var changed = await Admin.PostAsync("/v1/submissions", Xlsx(WithNote(template, "第二次：3.1 已按登记簿核对。")), Ct);
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        Assert.Equal("第二次：3.1 已按登记簿核对。", (await changed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString());

        // Cleared in Excel, the next revision has none.
        var cleared = await Admin.PostAsync("/v1/submissions", Xlsx(WithNote(await TemplateAsync(Admin, reporter), "")), Ct);
        Assert.Equal(HttpStatusCode.Created, cleared.StatusCode);
        Assert.False((await cleared.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("note", out _));
    }

    [Theory]
    [InlineData(Catalogue2014, "2014Q3", "2014年第3季度")]
    [InlineData(Catalogue2014, "2014", "2014年度")]
    [InlineData(Catalogue2021, "2022", "2022年度")]
    public async Task The_Period_Cell_Names_The_Period_As_People_Read_It(string catalogue, string period, string name)
    {
        var cells = Read(await TemplateAsync(Admin, await CreateReporterAsync(), catalogue, period));

        var label = cells.Single(c => c.Value == "统计期 period").Key;
        Assert.Equal(name, cells["B" + label[1..]]);
    }

    [Theory]
    [InlineData("2014Q3")]
    [InlineData("2014")]
    public async Task A_Template_Is_Taken_Back_With_The_Period_Cell_As_It_Came_Or_Holding_The_Code_As_An_Earlier_Builds_Did(string period)
    {
        var (named, coded) = (await CreateReporterAsync(), await CreateReporterAsync());

        // As downloaded: the cell holds 2014年第3季度, and the table is stored under its code.
        var asItCame = await Admin.PostAsync("/v1/submissions", Xlsx(Fill(await TemplateAsync(Admin, named, period: period), SeedStrings())), Ct);
        Assert.Equal(HttpStatusCode.Created, asItCame.StatusCode);
        Assert.Equal(period, (await asItCame.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("period").GetString());
        // A template of an earlier build held the code in the cell, and is taken as it was.
        var earlier = Beside(Fill(await TemplateAsync(Admin, coded, period: period), SeedStrings()), "统计期 period", period);
        var asItWas = await Admin.PostAsync("/v1/submissions", Xlsx(earlier), Ct);
        Assert.Equal(HttpStatusCode.Created, asItWas.StatusCode);
        Assert.Equal(period, (await asItWas.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("period").GetString());
        Assert.Equal(1, (await RevisionsAsync(named, period)).GetArrayLength());
        Assert.Equal(1, (await RevisionsAsync(coded, period)).GetArrayLength());
    }

    [Theory]
    [InlineData("2014", "2014年", "2014")]
    [InlineData("2014", " 2014 年度", "2014")]
    [InlineData("2014", "２０１４", "2014")]
    [InlineData("2014Q3", "2014年第三季度", "2014Q3")]
    [InlineData("2014Q3", "２０１４年第３季度", "2014Q3")]
    [InlineData("2014Q3", "2014q3", "2014Q3")]
    public async Task A_Period_Cell_Typed_As_The_Pages_Take_It_Is_Stored_As_That_Period(string template, string typed, string period)
    {
        var reporter = await CreateReporterAsync();
        var workbook = Beside(Fill(await TemplateAsync(Admin, reporter, period: template), SeedStrings()), "统计期 period", typed);
        var response = await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(period, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("period").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, period)).GetArrayLength());
    }

    [Theory]
    [InlineData("2014年上半年")]
    [InlineData("2014年第五季度")]
    [InlineData("14")]
    [InlineData("明年")]
    public async Task A_Period_Cell_The_Pages_Would_Not_Take_Is_400_Naming_The_Cell_And_What_It_Holds_And_Nothing_Is_Stored(string typed)
    {
        var reporter = await CreateReporterAsync();
        var workbook = Beside(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), "统计期 period", typed);
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal($"Sheet {SubmissionWorkbook.SheetName}, cell B3", error.GetProperty("name").GetString());
        Assert.StartsWith($"工作表“填报表”B3 格（统计期）填的是“{typed}”，不是统计期", error.GetProperty("reason").GetString());
        Assert.Contains($"'{typed}'", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
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
        Assert.Contains($"Sheet {SubmissionWorkbook.SheetName}, cell E{row31}", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task Every_Cell_That_Is_Not_A_Number_Is_Named_In_One_400_With_Its_Sheet_Cell_And_Value()
    {
        var reporter = await CreateReporterAsync();
        var values = SeedStrings();
        (values["1.1"], values["1.2.1"], values["3.1"]) = ("五", "十二", "—");
        var template = await TemplateAsync(Admin, reporter);
        string RowOf(string code) => Read(template).Single(c => c.Key.StartsWith('C') && c.Value == code).Key[1..];
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(Fill(template, values, asText: true)), Ct), 400);
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (Name: e.GetProperty("name").GetString()!, Reason: e.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([$"Sheet 填报表, cell E{RowOf("1.1")}", $"Sheet 填报表, cell E{RowOf("1.2.1")}", $"Sheet 填报表, cell E{RowOf("3.1")}"], errors.Select(e => e.Name));
        Assert.Contains($"工作表“填报表”E{RowOf("1.2.1")} 格（指标 1.2.1）填的是“十二”", errors[1].Reason);
        Assert.Contains("“—”", errors[2].Reason);
        Assert.Contains("3 个格", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Broken_Sum_In_A_2014_Workbook_Names_The_Sheet_And_Cells_Where_The_Same_Json_Does_Not()
    {
        var reporter = await CreateReporterAsync();
        var values = SeedStrings();
        values["3.1"] = "61";
        var template = await TemplateAsync(Admin, reporter);
        string RowOf(string code) => Read(template).Single(c => c.Key.StartsWith('C') && c.Value == code).Key[1..];
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(Fill(template, values)), Ct), 422);
        var sum = problem.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "sum" && v.GetProperty("codes")[0].GetString() == "3.1");
        var cells = sum.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(sum.GetProperty("codes").GetArrayLength(), cells.Count);
        Assert.Equal(("3.1", "填报表", $"E{RowOf("3.1")}"), (cells[0].GetProperty("code").GetString(), cells[0].GetProperty("sheet").GetString(), cells[0].GetProperty("cell").GetString()));
        Assert.Equal($"E{RowOf(sum.GetProperty("codes")[1].GetString()!)}", cells[1].GetProperty("cell").GetString());
        Assert.Contains($"工作表“填报表”E{RowOf("3.1")}", sum.GetProperty("messageZh").GetString());
        Assert.Contains($"sheet 填报表, cell E{RowOf("3.1")}", sum.GetProperty("message").GetString());
        var table = problem.GetProperty("workbookTable");
        Assert.Equal((reporter, Catalogue2014, "2014"), (table.GetProperty("reporter").GetString(), table.GetProperty("catalogue").GetString(), table.GetProperty("period").GetString()));

        // The same table as JSON: the codes alone, as before.
        var json = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2014", catalogue = Catalogue2014, values = values.Select(v => new { code = v.Key, value = v.Value is null ? (decimal?)null : decimal.Parse(v.Value, System.Globalization.CultureInfo.InvariantCulture) }),
        }, Ct), 422);
        Assert.DoesNotContain(json.GetProperty("violations").EnumerateArray(), v => v.TryGetProperty("cells", out _));
        Assert.False(json.TryGetProperty("workbookTable", out _));
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task The_Warnings_Of_A_Stored_Workbook_Name_Their_Cells_As_Its_Errors_Do_And_The_Stored_Revision_Keeps_Them_Unlocated()
    {
        var reporter = await CreateReporterAsync();
        var values = SeedStrings();
        // More requests closed (3.2, from 3.2.1) than received (3.1): warning C4, and the table is stored.
        (values["3.2"], values["3.2.1"]) = (null, (decimal.Parse(values["3.1"]!, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var template = await TemplateAsync(Admin, reporter);
        string RowOf(string code) => Read(template).Single(c => c.Key.StartsWith('C') && c.Value == code).Key[1..];
        var response = await Admin.PostAsync("/v1/submissions", Xlsx(Fill(template, values)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var c4 = created.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("rule").GetString() == "C4");
        var cells = c4.GetProperty("cells").EnumerateArray().Select(c => (c.GetProperty("code").GetString(), c.GetProperty("cell").GetString())).ToList();
        Assert.Equal([("3.2", $"E{RowOf("3.2")}"), ("3.1", $"E{RowOf("3.1")}")], cells);
        Assert.Contains($"工作表“填报表”E{RowOf("3.2")}", c4.GetProperty("messageZh").GetString());

        // The revision is the table, not the file it came in: read back, its warnings name codes only.
        var stored = await Admin.GetFromJsonAsync<JsonElement>(response.Headers.Location, Ct);
        var kept = stored.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("rule").GetString() == "C4");
        Assert.False(kept.TryGetProperty("cells", out _));
        Assert.DoesNotContain("工作表", kept.GetProperty("messageZh").GetString());
    }

    /// <summary>The template with 1.1's 填报数 cell replaced by <paramref name="cell"/>, and a style sheet whose style 1 shows a date.</summary>
    private static byte[] WithCell(byte[] template, Func<string, Cell> cell)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var styles = part.WorkbookStylesPart ?? part.AddNewPart<WorkbookStylesPart>();
            // Styles 1–3 show a number as a date (built-in 14), a percentage (built-in 9, 0%) and a percentage of a custom format;
            // 4 a percentage for negative numbers only, 5 one under a condition, 6 a % sign in quotes, printed as written.
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0%" }, new NumberingFormat { NumberFormatId = 165, FormatCode = "0;-0%" },
                    new NumberingFormat { NumberFormatId = 166, FormatCode = "[<1]0%;0" }, new NumberingFormat { NumberFormatId = 167, FormatCode = "0\"%\"" }) { Count = 4 },
                new Fonts(new Font()) { Count = 1 }, new Fills(new Fill()) { Count = 1 }, new Borders(new Border()) { Count = 1 },
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true }, new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true }, new CellFormat { NumberFormatId = 166, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 167, ApplyNumberFormat = true }) { Count = 7 });
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
            var row = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>()
                .Single(r => r.Elements<Cell>().Any(c => c.CellReference!.Value!.StartsWith('C') && c.InnerText == "1.1"));
            var reference = $"E{row.RowIndex!.Value}";
            row.Elements<Cell>().FirstOrDefault(c => c.CellReference == reference)?.Remove();
            row.Append(cell(reference));
            doc.Save();
        }
        return stream.ToArray();
    }

    private static Cell TextCell(string reference, string text) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve }) };

    [Theory]
    [InlineData("1,234", 1234)]
    [InlineData("１２", 12)]
    [InlineData("１，２３４", 1234)]
    [InlineData("'12", 12)]
    [InlineData(" 12　", 12)]
    public async Task A_Number_Kept_As_Text_The_Way_People_Type_It_Is_Read_As_That_Number(string typed, double expected)
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(await TemplateAsync(Admin, reporter), r => TextCell(r, typed));
        var response = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var values = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray();
        Assert.Equal((decimal)expected, Assert.Single(values, v => v.GetProperty("code").GetString() == "1.1").GetProperty("value").GetDecimal());
    }

    [Theory]
    [InlineData("1,23", "不是数字")]
    [InlineData("1.234.5", "不是数字")]
    [InlineData("—", "不是数字")]
    [InlineData("无", "不是数字")]
    [InlineData("date", "日期")]
    [InlineData("boolean", "逻辑值")]
    [InlineData("formula without its value", "公式")]
    [InlineData("formula error", "公式出错（#REF!）")]
    [InlineData("iso date", "日期")]
    [InlineData("percent", "是百分比格式：实际存的是 0.5，表中显示的是它乘以 100 的百分数")]
    [InlineData("custom percent", "是百分比格式：实际存的是 0.125")]
    [InlineData("negative percent", "是百分比格式：实际存的是 -5")]
    [InlineData("1E-30", "填的数 1E-30 太大或太接近 0")]
    [InlineData("4.9E-324", "太大或太接近 0")]
    [InlineData("1E+308", "填的数 1E+308 太大或太接近 0")]
    [InlineData("0.000000000000000000000000000001", "填的数 0.000000000000000000000000000001 太大或太接近 0")]
    public async Task A_Cell_That_Is_Not_Plainly_A_Number_Is_400_In_Chinese_Naming_The_Cell_And_Indicator_And_Nothing_Is_Stored(string content, string says)
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(await TemplateAsync(Admin, reporter), r => content switch
        {
            "date" => new Cell { CellReference = r, StyleIndex = 1, CellValue = new CellValue("41702") }, // 2014-03-04, as Excel keeps a typed 3/4
            "boolean" => new Cell { CellReference = r, DataType = CellValues.Boolean, CellValue = new CellValue("1") },
            "formula without its value" => new Cell { CellReference = r, CellFormula = new CellFormula("1+2") },
            "formula error" => new Cell { CellReference = r, DataType = CellValues.Error, CellFormula = new CellFormula("#REF!+1"), CellValue = new CellValue("#REF!") },
            "iso date" => new Cell { CellReference = r, DataType = CellValues.Date, CellValue = new CellValue("2014-03-04T00:00:00") },
            "percent" => new Cell { CellReference = r, StyleIndex = 2, CellValue = new CellValue("0.5") }, // a typed 50%
            "custom percent" => new Cell { CellReference = r, StyleIndex = 3, CellValue = new CellValue("0.125") },
            "negative percent" => new Cell { CellReference = r, StyleIndex = 4, CellValue = new CellValue("-5") }, // 0;-0%
            ['1' or '4', ..] => new Cell { CellReference = r, CellValue = new CellValue(content) }, // a number Excel keeps that no table holds
            _ => TextCell(r, content),
        });
        var response = await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct);
        var detail = (await ProblemAsync(response, 400)).GetProperty("detail").GetString()!;
        Assert.Contains(says, detail);
        Assert.Matches(@"^工作表“填报表”E\d+ 格（指标 1\.1）", detail);
        Assert.Matches(@"Sheet 填报表, cell E\d+ \(1\.1\)", detail);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("1234567890123456789012345678901")]
    [InlineData("-1,234,567,890,123,456,789,012,345,678,901")]
    [InlineData("１２３４５６７８９０１２３４５６７８９０１２３４５６７８９０１")]
    public async Task A_Figure_Too_Large_For_A_Table_Typed_As_Text_Is_400_As_Too_Large_Not_As_Not_A_Number(string typed)
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(await TemplateAsync(Admin, reporter), r => TextCell(r, typed));

        var detail = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400)).GetProperty("detail").GetString()!;

        Assert.Matches(@"^工作表“填报表”E\d+ 格（指标 1\.1）填的数 ", detail);
        Assert.Contains($"填的数 {typed} 太大或太接近 0", detail);
        Assert.Contains($"holds {typed}, a number too large or too near 0", detail);
        Assert.DoesNotContain("不是数字", detail);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Cell_Pointing_At_A_Shared_Text_The_File_Lacks_Is_400_In_Chinese_Naming_Its_Sheet_And_Cell()
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(await TemplateAsync(Admin, reporter), r => new Cell { CellReference = r, DataType = CellValues.SharedString, CellValue = new CellValue("999") });

        var detail = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400)).GetProperty("detail").GetString()!;

        Assert.Matches(@"^工作表“填报表”E\d+ 格引用了文件中没有的共享文本", detail);
        Assert.Matches(@"Sheet 填报表, cell E\d+ refers to a shared text", detail);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/submissions/validate/")]
    [InlineData("/V1/Submissions/Validate")]
    public async Task A_Workbook_Sent_To_The_Path_As_Routing_Matches_It_Is_Read(string path)
    {
        var reporter = await CreateReporterAsync();
        var response = await Admin.PostAsync(path, Xlsx(Fill(await TemplateAsync(Admin, reporter), SeedStrings())), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData("application/vnd.openxmlformats-officedocument.spreadsheetml.sheetx")]
    [InlineData("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet+json")]
    public async Task A_Type_That_Only_Begins_As_The_Workbooks_Is_415_Naming_The_Type_Sent(string sent)
    {
        var reporter = await CreateReporterAsync();
        var content = new ByteArrayContent(Fill(await TemplateAsync(Admin, reporter), SeedStrings()));
        content.Headers.TryAddWithoutValidation("Content-Type", sent);

        var detail = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", content, Ct), 415)).GetProperty("detail").GetString()!;

        Assert.Contains($"'{sent}'", detail);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData(2U, "0")]  // 0%
    [InlineData(4U, "5")]  // 0;-0%: a positive number shows without %
    [InlineData(5U, "5")]  // [<1]0%;0: 5 shows without %
    [InlineData(6U, "5")]  // 0"%": the % is printed text, 5 shows as 5%, as the person typed it
    public async Task A_Figure_Whose_Format_Does_Not_Show_It_As_A_Percentage_Is_Read_As_It_Is(uint style, string value)
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(await TemplateAsync(Admin, reporter), r => new Cell { CellReference = r, StyleIndex = style, CellValue = new CellValue(value) });
        var response = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var values = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray();
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(values, v => v.GetProperty("code").GetString() == "1.1").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task An_Old_Xls_Or_Wps_Et_File_Is_400_Telling_The_Person_To_Save_It_As_Xlsx()
    {
        // The first bytes of an OLE compound file, which .xls and WPS's .et both are.
        var xls = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(xls, 0);
        var detail = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(xls), Ct), 400)).GetProperty("detail").GetString()!;
        Assert.Contains("另存为” .xlsx", detail);
        Assert.Contains("not a readable .xlsx workbook", detail);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData(" Identity ")]
    public async Task A_Workbook_Sent_With_Content_Encoding_Identity_Is_Read_As_Any_Workbook(string coding)
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(await TemplateAsync(Admin, reporter), r => new Cell { CellReference = r, CellValue = new CellValue("7") });
        var content = Xlsx(workbook);
        content.Headers.TryAddWithoutValidation("Content-Encoding", coding);

        var response = await Admin.PostAsync("/v1/submissions/validate", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var values = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray();
        Assert.Equal(7m, Assert.Single(values, v => v.GetProperty("code").GetString() == "1.1").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task A_Zip_That_Is_Not_A_Workbook_Is_400_In_Chinese_First()
    {
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = new StreamWriter(archive.CreateEntry("readme.txt").Open())) entry.Write("not a workbook");
        var reporter = await CreateReporterAsync();

        var detail = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(zip.ToArray()), Ct), 400)).GetProperty("detail").GetString()!;

        Assert.StartsWith("这不是能读取的 .xlsx 工作簿", detail, StringComparison.Ordinal);
        Assert.Contains("not a readable .xlsx workbook", detail, StringComparison.Ordinal);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task The_Blank_Template_Sent_Back_As_It_Came_Is_422_Empty_Table()
    {
        var reporter = await CreateReporterAsync();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(await TemplateAsync(Admin, reporter)), Ct), 422);
        Assert.Equal("empty-table", problem.GetProperty("violations")[0].GetProperty("rule").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("application/json", 406)]
    [InlineData("application/json, text/csv;q=0.5", 406)]
    [InlineData("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0", 406)]
    [InlineData("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 200)]
    [InlineData("application/*", 200)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200)]
    [InlineData("not a media type", 200)]
    public async Task A_Template_Honours_Accept(string accept, int status)
    {
        var reporter = await CreateReporterAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/templates/{Catalogue2014}/2014?reporter={reporter}");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await Admin.SendAsync(request, Ct);
        if (status == 200)
            Assert.Equal(SubmissionWorkbook.MediaType, response.Content.Headers.ContentType?.MediaType);
        else
        {
            Assert.Contains(SubmissionWorkbook.MediaType, (await ProblemAsync(response, status)).GetProperty("detail").GetString());
            // A request that is wrong in itself says so first.
            var unknown = new HttpRequestMessage(HttpMethod.Get, $"/v1/templates/{Catalogue2014}/2014?reporter={NewId()}");
            unknown.Headers.TryAddWithoutValidation("Accept", accept);
            await ProblemAsync(await Admin.SendAsync(unknown, Ct), 404);
        }
    }

    [Fact]
    public async Task A_Template_Asked_For_Two_Reporters_At_Once_Is_A_400_Naming_Reporter_Not_A_404_For_Their_Joined_Ids()
    {
        var (one, two) = (await CreateReporterAsync(), await CreateReporterAsync());

        var problem = await ProblemAsync(await Admin.GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={one}&reporter={two}", Ct), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "reporter"
            && e.GetProperty("reason").GetString()!.Contains("given more than once"));
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

    /// <summary>The template as a zip, its sheet's XML changed by <paramref name="edit"/>, or its sheet part left out.</summary>
    private static byte[] Tampered(byte[] template, Func<string, string>? edit, bool dropSheet = false)
    {
        using var output = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(new MemoryStream(template)))
        using (var copy = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                var isSheet = entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal);
                if (isSheet && dropSheet) continue;
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(copy.CreateEntry(entry.FullName).Open());
                writer.Write(isSheet && edit is not null ? edit(text) : text);
            }
        return output.ToArray();
    }

    [Theory]
    [InlineData("shared string below zero")]
    [InlineData("unknown cell type")]
    [InlineData("sheet part missing")]
    public async Task A_Tampered_Workbook_Is_400_And_Nothing_Is_Stored(string tampering)
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter);
        // The reporter's id cell (B4) rewritten: as a shared string at index -1, or with a type the schema does not have.
        string Cell(string sheet, string cell) =>
            System.Text.RegularExpressions.Regex.Replace(sheet, "<x:c r=\"B4\"[^>]*>.*?</x:c>", $"<x:c r=\"B4\" {cell}</x:c>");
        var workbook = tampering switch
        {
            "shared string below zero" => Tampered(template, x => Cell(x, "t=\"s\"><x:v>-1</x:v>")),
            "unknown cell type" => Tampered(template, x => Cell(x, "t=\"bogus\"><x:v>1</x:v>")),
            _ => Tampered(template, null, dropSheet: true),
        };
        Assert.NotEqual(template.Length, workbook.Length);

        await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400);

        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_Naming_An_Unregistered_Reporter_Is_Told_Which_Header_Cell_Names_It()
    {
        var reporter = await CreateReporterAsync();
        var template = Fill(await TemplateAsync(Admin, reporter), SeedStrings());
        var workbook = WithInlineText(template, "B4", "<x:t>no-such-town</x:t>");

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 422);

        var unknown = problem.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "unknown-reporter");
        Assert.EndsWith("（Excel 中：工作表“填报表”B4〔填报单位 reporter〕）", unknown.GetProperty("messageZh").GetString());
        Assert.EndsWith("(in the workbook: sheet 填报表, cell B4 [填报单位 reporter])", unknown.GetProperty("message").GetString());
        // The same in the dry run.
        var dry = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);
        Assert.Contains("工作表“填报表”B4", (await dry.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("violations").EnumerateArray()
            .Single(v => v.GetProperty("rule").GetString() == "unknown-reporter").GetProperty("messageZh").GetString());
    }

    [Fact]
    public async Task A_Workbook_Whose_Period_The_Catalogue_Does_Not_Cover_Is_Told_Which_Header_Cell_Holds_It()
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithInlineText(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), "B3", "<x:t>2025</x:t>");

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 422);

        var period = problem.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "period");
        Assert.EndsWith("（Excel 中：工作表“填报表”B3〔统计期 period〕）", period.GetProperty("messageZh").GetString());
    }

    [Theory]
    [InlineData("name")]
    [InlineData("capitals")]
    [InlineData("name shaped as an id")]
    public async Task A_Reporter_Cell_Holding_The_Reporters_Name_Or_Its_Id_In_Capitals_Is_Read_As_That_Reporter(string typed)
    {
        var reporter = await CreateReporterAsync();
        // A name that reads as an id no reporter has (the office's shorthand for a department) is read by name, as the 分单位 workbook reads it.
        var idShaped = NewId("gsj");
        if (typed == "name shaped as an id")
            Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/v1/reporters/{reporter}", new { name = idShaped }, Ct)).StatusCode);
        var text = typed switch { "name" => $" 测试单位 {reporter} ", "capitals" => reporter.ToUpperInvariant(), _ => idShaped };
        var workbook = WithInlineText(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), "B4", $"<x:t xml:space=\"preserve\">{text}</x:t>");

        var response = await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(reporter, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reporter").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Reporter_Cell_Holding_Neither_An_Id_Nor_A_Registered_Name_Is_400_Naming_The_Cell()
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithInlineText(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), "B4", "<x:t>没有这个镇</x:t>");

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("Sheet 填报表, cell B4", error.GetProperty("name").GetString());
        Assert.StartsWith("工作表“填报表”B4 格〔填报单位 reporter〕填的“没有这个镇”既不是已登记单位的代码，也不是其名称", error.GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Code_Cell_A_Spreadsheet_Turned_Into_A_Number_Is_Read_As_Excel_Shows_It()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter);
        var row = Read(template).Single(c => c.Key.StartsWith('C') && c.Value == "3.1").Key[1..];
        var workbook = Tampered(Fill(template, SeedStrings()), x => System.Text.RegularExpressions.Regex.Replace(x, $"<x:c r=\"C{row}\"[^>]*>.*?</x:c>",
            $"<x:c r=\"C{row}\"><x:v>3.1000000000000001</x:v></x:c>"));

        var response = await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var values = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal());
        Assert.Equal(decimal.Parse(SeedStrings()["3.1"]!, System.Globalization.CultureInfo.InvariantCulture), values["3.1"]);
    }

    [Theory]
    [InlineData("e", true)]
    [InlineData("", false)]
    [InlineData("ZZZZ", false)]
    [InlineData("F", true)]
    public async Task A_Cell_Reference_Is_Read_In_Any_Case_And_One_That_Is_No_Cell_Of_Its_Row_Is_400_Naming_The_Row(string letters, bool readable)
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter);
        var row = Read(template).Single(c => c.Key.StartsWith('C') && c.Value == "12.1").Key[1..];
        var values = SeedStrings();
        var workbook = Tampered(Fill(template, values), x => x.Replace($"<x:c r=\"E{row}\"", $"<x:c r=\"{letters}{row}\"", StringComparison.Ordinal));
        Assert.NotEqual(Fill(template, values), workbook);

        var response = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);

        if (!readable)
        {
            var problem = await ProblemAsync(response, 400);
            Assert.Equal($"Sheet 填报表, row {row}", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // In column E it is 12.1's figure; moved to F it is no figure of the template (a blank 12.1), not someone else's.
        var given = table.GetProperty("values").EnumerateArray().Any(v => v.GetProperty("code").GetString() == "12.1");
        Assert.Equal(letters == "e", given);
    }

    [Fact]
    public async Task A_2014_Value_Cell_Merged_Into_The_Unit_Cell_Before_It_Is_Named_In_One_400_With_The_Other_Unreadable_Cells()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter);
        string RowOf(string code) => Read(template).Single(c => c.Key.StartsWith('C') && c.Value == code).Key[1..];
        var values = SeedStrings();
        (values["12.1"], values["3.1"]) = (null, "六十");
        using var stream = new MemoryStream();
        stream.Write(Fill(template, values, asText: true));
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            // Excel merging D:E of 12.1's row keeps the unit and drops the figure.
            var part = doc.WorkbookPart!;
            var worksheet = ((WorksheetPart)part.GetPartById(part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName).Id!)).Worksheet;
            var merges = worksheet.GetFirstChild<MergeCells>() ?? worksheet.InsertAfter(new MergeCells(), worksheet.GetFirstChild<SheetData>()!);
            merges.Append(new MergeCell { Reference = $"D{RowOf("12.1")}:E{RowOf("12.1")}" });
            doc.Save();
        }

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct), 400);

        var names = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Equal(2, names.Count);
        Assert.Contains($"Sheet 填报表, cell E{RowOf("12.1")}", names);
        Assert.Contains($"Sheet 填报表, cell E{RowOf("3.1")}", names);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task Phonetic_Guides_An_Ime_Adds_To_A_Label_Are_Not_Read_As_Part_Of_Its_Text()
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithInlineText(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), "A3", "<x:t>统计期 period</x:t><x:rPh sb=\"0\" eb=\"3\"><x:t>とうけいき</x:t></x:rPh>");

        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct)).StatusCode);
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    private const string Catalogue2021 = "gov-info-disclosure-2021";

    /// <summary>The value cells of a rows × columns template: code → sheet and cell, as its defined names spell them.</summary>
    internal static Dictionary<string, (string Sheet, string Cell)> NamedCells(byte[] workbook)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        return doc.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>()
            .Where(d => SubmissionWorkbook.CodeOf(d.Name!.Value!) is not null)
            .ToDictionary(d => SubmissionWorkbook.CodeOf(d.Name!.Value!)!, d =>
            {
                var (sheet, cell) = (d.Text[..d.Text.LastIndexOf('!')], d.Text[(d.Text.LastIndexOf('!') + 1)..]);
                return (sheet.Trim('\''), cell.Replace("$", "", StringComparison.Ordinal));
            });
    }

    /// <summary>Cells of one sheet by reference, as text.</summary>
    private static Dictionary<string, string> ReadSheet(byte[] workbook, string name)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var part = doc.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>()
            .ToDictionary(c => c.CellReference!.Value!, c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "");
    }

    /// <summary>Types values into the named cells as a person would in Excel: numbers as numbers (or text), null clears the cell.</summary>
    internal static byte[] FillNamed(byte[] template, IReadOnlyDictionary<string, string?> values, bool asText = false)
    {
        var cells = NamedCells(template);
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            foreach (var (code, value) in values)
            {
                var (sheetName, reference) = cells[code];
                var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
                var cell = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>().Single(c => c.CellReference!.Value == reference);
                cell.RemoveAllChildren();
                cell.DataType = null;
                if (value is null) continue;
                if (asText)
                {
                    cell.DataType = CellValues.InlineString;
                    cell.InlineString = new InlineString(new Text(value));
                }
                else cell.CellValue = new CellValue(value);
            }
            doc.Save();
        }
        return stream.ToArray();
    }

    private static Dictionary<string, string?> Sample2021() =>
        Catalogue2021RoundTripTests.Sample().ToDictionary(v => v.Key, v => (string?)v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task The_2021_Template_Lays_Each_Table_Out_As_Printed_With_Every_Cells_Code_Recoverable()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter, Catalogue2021, "2021");
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(template), false))
        {
            Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));
            Assert.Equal([SubmissionWorkbook.SheetName, "表2", "表3", "表4"], doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
        }
        var cover = Read(template);
        Assert.Equal((Catalogue2021, "2021年度", reporter), (cover["B2"], cover["B3"], cover["B4"]));

        var t3 = ReadSheet(template, "表3");
        Assert.Equal(["申请人情况", "自然人", "法人或其他组织", "商业企业", "其他", "总计"], new[] { "E3", "E4", "F4", "F5", "J5", "K4" }.Select(c => t3[c]));

        // Every value cell of the catalogue is named once, on the row of its row code and under the heading of its column.
        var catalogue = await Admin.GetFromJsonAsync<JsonElement>($"/v1/catalogues/{Catalogue2021}", Ct);
        var codes = catalogue.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).Order().ToList();
        var named = NamedCells(template);
        Assert.Equal(codes, named.Keys.Order());
        var sheets = named.Values.Select(v => v.Sheet).Distinct().ToDictionary(s => s, s => ReadSheet(template, s));
        foreach (var (code, (sheet, cell)) in named)
        {
            var row = cell.TrimStart('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L');
            Assert.Equal(code[..code.IndexOf(':')], sheets[sheet][$"B{row}"]);
            Assert.Equal("", sheets[sheet][cell]); // nothing submitted yet: blank, not 0
        }
        Assert.Equal(("表3", "E6"), named["3.1:natural"]);

        // Excel refuses text and negatives as they are typed: whole numbers for 件, any number for 万元.
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(template), false);
        DataValidation ValidationOf(string code)
        {
            var (sheet, cell) = named[code];
            var part = (WorksheetPart)workbook.WorkbookPart!.GetPartById(workbook.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!);
            return part.Worksheet.Descendants<DataValidation>().Single(v => v.SequenceOfReferences!.Items.Any(r => r.Value == cell));
        }
        Assert.Equal(DataValidationValues.Whole, ValidationOf("3.1:natural").Type!.Value);
        Assert.Equal(DataValidationValues.Decimal, ValidationOf("2.8.1:fees").Type!.Value);
        Assert.Equal(DataValidationOperatorValues.GreaterThanOrEqual, ValidationOf("4.2.2:total").Operator!.Value);
        Assert.Equal("0", ValidationOf("4.2.2:total").Formula1!.Text);
    }

    [Fact]
    public async Task A_Filled_2021_Template_Is_Stored_As_The_Same_Json_Submission_Would_Be_And_Prefills_The_Next_Template()
    {
        var (viaExcel, viaJson) = (await CreateReporterAsync(), await CreateReporterAsync());
        var sample = Sample2021();
        var filled = FillNamed(await TemplateAsync(Admin, viaExcel, Catalogue2021, "2021"), sample);
        var excel = await Admin.PostAsync("/v1/submissions", Xlsx(filled), Ct);
        Assert.Equal(HttpStatusCode.Created, excel.StatusCode);
        var json = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = viaJson, period = "2021", catalogue = Catalogue2021,
            values = sample.Reverse().Select(v => new { code = v.Key, value = decimal.Parse(v.Value!, System.Globalization.CultureInfo.InvariantCulture) }).ToArray(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, json.StatusCode);

        static string Values(JsonElement body) => body.GetProperty("values").GetRawText() + body.GetProperty("derived").GetRawText();
        var stored = await excel.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(Values(await json.Content.ReadFromJsonAsync<JsonElement>(Ct)), Values(stored));
        Assert.Equal(sample.Count, stored.GetProperty("values").GetArrayLength());

        var again = await TemplateAsync(Admin, viaExcel, Catalogue2021, "2021");
        var (sheet, cell) = NamedCells(again)["2.8.1:fees"];
        Assert.Equal(sample["2.8.1:fees"], ReadSheet(again, sheet)[cell]);

        // The printed layout's 填报表 carries the note too.
        var noted = await Admin.PostAsync("/v1/submissions", Xlsx(WithNote(again, "行政许可决定数含代办件。")), Ct);
        Assert.Equal(HttpStatusCode.Created, noted.StatusCode);
        Assert.Equal("行政许可决定数含代办件。", (await noted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString());
        Assert.Contains("行政许可决定数含代办件。", Read(await TemplateAsync(Admin, viaExcel, Catalogue2021, "2021")).Values);
    }

    [Fact]
    public async Task Text_In_A_2021_Number_Cell_Is_400_Naming_The_Sheet_And_Cell()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter, Catalogue2021, "2021");
        var (sheet, cell) = NamedCells(template)["3.3.1:commercial"];
        var filled = FillNamed(template, new Dictionary<string, string?> { ["3.3.1:commercial"] = "六十" }, asText: true);
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(filled), Ct), 400);
        Assert.Contains($"Sheet {sheet}, cell {cell}", problem.GetProperty("detail").GetString());
        Assert.Equal("表3", sheet);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2021", Catalogue2021)).GetArrayLength());
    }

    [Fact]
    public async Task Broken_Rules_In_A_2021_Workbook_Name_The_Sheet_Cells_And_Printed_Row_And_Column_On_Submit_And_Dry_Run()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter, Catalogue2021, "2021");
        var named = NamedCells(template);
        var filled = FillNamed(template, new Dictionary<string, string?> { ["3.1:natural"] = "5", ["3.1:commercial"] = "1", ["3.1:total"] = "4" });
        var total = named["3.1:total"];
        Assert.Equal("表3", total.Sheet);

        var refused = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(filled), Ct), 422);
        var dryRun = await Admin.PostAsync("/v1/submissions/validate", Xlsx(filled), Ct);
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        foreach (var violations in new[] { refused.GetProperty("violations"), (await dryRun.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("violations") })
        {
            var sum = violations.EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "sum" && v.GetProperty("codes")[0].GetString() == "3.1:total");
            var first = sum.GetProperty("cells")[0];
            Assert.Equal(("3.1:total", "表3", total.Cell), (first.GetProperty("code").GetString(), first.GetProperty("sheet").GetString(), first.GetProperty("cell").GetString()));
            Assert.Equal("一、本年新收政府信息公开申请数量 · 总计", first.GetProperty("name").GetString());
            Assert.Contains($"工作表“表3”{total.Cell}〔一、本年新收政府信息公开申请数量 · 总计〕、{named["3.1:natural"].Cell}、{named["3.1:commercial"].Cell}", sum.GetProperty("messageZh").GetString());
            // A catalogue rule over the natural persons' column names each of its cells too.
            var rule = violations.EnumerateArray().Single(v => v.GetProperty("codes")[0].GetString() == "3.1:natural" && v.GetProperty("rule").GetString()!.StartsWith('C'));
            Assert.Equal(rule.GetProperty("codes").EnumerateArray().Select(c => named[c.GetString()!].Cell), rule.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("cell").GetString()));
            Assert.Contains($"工作表“表3”{named["3.1:natural"].Cell}", rule.GetProperty("messageZh").GetString());
        }
        Assert.Equal(Catalogue2021, refused.GetProperty("workbookTable").GetProperty("catalogue").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2021", Catalogue2021)).GetArrayLength());
    }

    [Fact]
    public async Task A_2021_Template_Whose_Named_Cell_Was_Deleted_Is_400_Naming_The_Code()
    {
        var reporter = await CreateReporterAsync();
        using var stream = new MemoryStream();
        stream.Write(FillNamed(await TemplateAsync(Admin, reporter, Catalogue2021, "2021"), Sample2021()));
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var name = doc.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == SubmissionWorkbook.CellName("3.4:total"));
            name.Text = "'表3'!#REF!"; // what Excel leaves when the row is deleted
            doc.Save();
        }
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct), 400);
        Assert.Contains("3.4:total", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2021", Catalogue2021)).GetArrayLength());
    }

    [Fact]
    public async Task A_2021_Value_Is_Read_Where_Its_Name_Points_As_After_Excel_Moved_The_Cell()
    {
        var reporter = await CreateReporterAsync();
        var sample = Sample2021();
        using var stream = new MemoryStream();
        stream.Write(FillNamed(await TemplateAsync(Admin, reporter, Catalogue2021, "2021"), sample));
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            // As if a column had been inserted: the value now sits in M6, and the name follows it there.
            var part = doc.WorkbookPart!;
            part.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == SubmissionWorkbook.CellName("3.1:natural")).Text = "'表3'!$M$6";
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "表3");
            var row = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().Single(r => r.RowIndex!.Value == 6);
            row.Elements<Cell>().Single(c => c.CellReference == "E6").RemoveAllChildren();
            row.Append(new Cell { CellReference = "M6", CellValue = new CellValue(sample["3.1:natural"]!) });
            doc.Save();
        }
        var response = await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var values = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray();
        Assert.Contains(values, v => v.GetProperty("code").GetString() == "3.1:natural" && v.GetProperty("value").GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) == sample["3.1:natural"]);
    }

    [Theory]
    [InlineData("3.3.3.1:natural", "c_3.3.3.1_003anatural")]
    [InlineData("2.2.1.a", "c_2.2.1.a")]
    [InlineData("Row_A:x", "c__0052ow_005f_0041_003ax")]
    public void A_Cell_Name_Spells_Its_Code_Reversibly(string code, string name)
    {
        Assert.Equal(name, SubmissionWorkbook.CellName(code));
        Assert.Equal(code, SubmissionWorkbook.CodeOf(name));
        Assert.Equal(code, SubmissionWorkbook.CodeOf(name.ToUpperInvariant()));
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
        Assert.Contains("expands beyond 16 MB", problem.GetProperty("detail").GetString());
    }

    /// <summary><paramref name="workbook"/> with <paramref name="part"/>'s XML changed by <paramref name="edit"/> (or added, from "").</summary>
    private static byte[] WithPart(byte[] workbook, string part, Func<string, string> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var xml = "";
            if (zip.GetEntry(part) is { } old)
            {
                using (var reader = new StreamReader(old.Open())) xml = reader.ReadToEnd();
                old.Delete();
            }
            using var writer = new StreamWriter(zip.CreateEntry(part, CompressionLevel.SmallestSize).Open());
            writer.Write(edit(xml));
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task A_Workbook_Nesting_Its_Xml_Deeper_Than_Any_Template_Is_400_Naming_The_Sheet_At_Each_Upload_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        // 3 000 levels read in a few seconds and the table is stored; 100 000 overflow the SDK's stack and end the process.
        var deep = string.Concat(Enumerable.Repeat("<q>", 3000)) + string.Concat(Enumerable.Repeat("</q>", 3000));
        var workbook = WithPart(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), "xl/worksheets/sheet1.xml",
            xml => xml.Replace("</x:sheetData>", "</x:sheetData>" + deep, StringComparison.Ordinal));
        Assert.True(workbook.Length < 16 * 1024);
        foreach (var path in new[] { "/v1/submissions/validate", "/v1/submissions", $"/v1/templates/{Catalogue2014}/2014/reporters" })
        {
            var problem = await ProblemAsync(await Admin.PostAsync(path, Xlsx(workbook), Ct), 400);
            // The sheet as Excel shows it on its tab, which a clerk can find; the zip's part only after it, in English.
            Assert.StartsWith($"这个文件的工作表“{SubmissionWorkbook.SheetName}”中 XML 元素嵌套超过 64 层", problem.GetProperty("detail").GetString());
            Assert.Contains($"more than 64 deep in its sheet '{SubmissionWorkbook.SheetName}', part xl/worksheets/sheet1.xml;", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_With_More_Shared_Strings_Than_Any_Template_Is_400_Naming_The_Part_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        var template = Fill(await TemplateAsync(Admin, reporter), SeedStrings());
        // The SDK reads a shared-string table only when the workbook's relationships name it: as Excel writes one.
        var items = string.Concat(Enumerable.Repeat("<si><t>a</t></si>", WorkbookShape.MaxSharedStrings + 1));
        var workbook = WithPart(WithPart(WithPart(template, "xl/sharedStrings.xml",
                _ => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{items}</sst>"),
            "[Content_Types].xml", xml => xml.Replace("</Types>", "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>", StringComparison.Ordinal)),
            "xl/_rels/workbook.xml.rels", xml => xml.Replace("</Relationships>", "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>", StringComparison.Ordinal));
        Assert.True(workbook.Length < 64 * 1024);
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400);
        Assert.StartsWith("这个文件（至 xl/sharedStrings.xml 部分）超过 100000 条共享文本，比最大的分单位填报模板还多得多：如在表格下方的空行或整列设置了格式", problem.GetProperty("detail").GetString());
        Assert.Contains("more than 100000 shared strings (at its part 'xl/sharedStrings.xml')", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("row", 100_000, "rows", 50_000, 49_999)]
    [InlineData("c", 300_000, "cells", 150_000, 149_999)]
    [InlineData("q", 700_000, "XML elements", 349_999, 349_999)] // each part's root element counts too
    public void The_Rows_Cells_And_Elements_Of_A_Workbook_Are_Counted_Over_All_Its_Parts(string element, int cap, string said, int first, int second)
    {
        static MemoryStream Xml(string element, int count) =>
            new(System.Text.Encoding.UTF8.GetBytes($"<w>{string.Concat(Enumerable.Repeat($"<{element}/>", count))}</w>"));
        var shape = new WorkbookShape();
        shape.Check("xl/worksheets/sheet1.xml", Xml(element, first));
        shape.Check("xl/worksheets/sheet2.xml", Xml(element, second)); // one short of the cap, so far
        var refused = Assert.Throws<WorkbookException>(() => shape.Check("xl/worksheets/sheet3.xml", Xml(element, 2)));
        Assert.Contains($"more than {cap} {said} (at its part 'xl/worksheets/sheet3.xml')", refused.Message);
    }

    [Fact]
    public void A_Sheet_Past_A_Cap_Is_Named_As_Its_Tab_Says_Read_From_The_Workbook_And_Its_Relationships()
    {
        static MemoryStream Xml(string xml) => new(System.Text.Encoding.UTF8.GetBytes(xml));
        static MemoryStream Rows(int count) => Xml($"<worksheet><sheetData>{string.Concat(Enumerable.Repeat("<row/>", count))}</sheetData></worksheet>");
        var shape = new WorkbookShape();
        shape.Check(WorkbookShape.WorkbookPart, Xml("""
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <sheets><sheet name="封面" sheetId="1" r:id="rId1"/><sheet name="表4 &amp; 附表" sheetId="4" r:id="rId7"/></sheets></workbook>
            """));
        // One target relative to the workbook's folder, one to the package, as Excel and other writers put them.
        shape.Check(WorkbookShape.WorkbookRelationships, Xml("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet4.xml"/>
            </Relationships>
            """));
        shape.Check("xl/worksheets/sheet1.xml", Rows(60_000));
        var refused = Assert.Throws<WorkbookException>(() => shape.Check("xl/worksheets/sheet4.xml", Rows(40_001)));
        Assert.StartsWith("这个文件（至工作表“表4 & 附表”）超过 100000 行", refused.Message);
        Assert.Contains("more than 100000 rows (at its sheet '表4 & 附表', part xl/worksheets/sheet4.xml)", refused.Message);
        Assert.DoesNotContain("xl/worksheets/sheet4.xml 部分", refused.Message);

        // Nesting too, and a part no sheet names keeps its part's name.
        var deep = string.Concat(Enumerable.Repeat("<q>", 70)) + string.Concat(Enumerable.Repeat("</q>", 70));
        Assert.StartsWith("这个文件的工作表“封面”中 XML 元素嵌套超过 64 层", Assert.Throws<WorkbookException>(() => shape.Check("xl/worksheets/sheet1.xml", Xml(deep))).Message);
        Assert.StartsWith("这个文件的 xl/styles.xml 部分中 XML 元素嵌套超过 64 层", Assert.Throws<WorkbookException>(() => shape.Check("xl/styles.xml", Xml(deep))).Message);
    }

    [Fact]
    public void A_Part_That_Is_No_Xml_Or_Holds_A_Dtd_Is_Left_To_The_Sdk_Which_Reads_Neither()
    {
        new WorkbookShape().Check("xl/media/image1.png", new MemoryStream([0x89, (byte)'P', (byte)'N', (byte)'G', 0, 1, 2]));
        new WorkbookShape().Check("xl/workbook.xml", new MemoryStream("<!DOCTYPE r [<!ENTITY a \"aaaa\">]><r>&a;</r>"u8.ToArray()));
    }

    /// <summary>A zip of <paramref name="megabytes"/> MB of zeros per part whose headers (local and central) declare <paramref name="declared"/> bytes each.</summary>
    private static byte[] LyingZip(int parts, int megabytes, uint declared)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var p = 0; p < parts; p++)
            {
                using var entry = zip.CreateEntry($"xl/worksheets/sheet{p + 1}.xml", CompressionLevel.SmallestSize).Open();
                for (var i = 0; i < megabytes; i++) entry.Write(zeros);
            }
        }
        var bytes = stream.ToArray();
        for (var at = 0; BitConverter.ToUInt32(bytes, at) == 0x04034b50;) // local headers: uncompressed size at +22
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(at + 22), declared);
            at += 30 + BitConverter.ToUInt16(bytes, at + 26) + BitConverter.ToUInt16(bytes, at + 28) + BitConverter.ToInt32(bytes, at + 18);
        }
        var end = bytes.Length - 22;
        while (BitConverter.ToUInt32(bytes, end) != 0x06054b50) end--;
        var central = BitConverter.ToInt32(bytes, end + 16);
        for (var n = 0; n < BitConverter.ToUInt16(bytes, end + 10); n++) // central directory: uncompressed size at +24
        {
            Assert.Equal(0x02014b50u, BitConverter.ToUInt32(bytes, central));
            BitConverter.TryWriteBytes(bytes.AsSpan(central + 24), declared);
            central += 46 + BitConverter.ToUInt16(bytes, central + 28) + BitConverter.ToUInt16(bytes, central + 30) + BitConverter.ToUInt16(bytes, central + 32);
        }
        using (var check = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            Assert.All(check.Entries, e => Assert.Equal(declared, e.Length)); // the lie is what a reader of the headers sees
        return bytes;
    }

    [Fact]
    public async Task A_Zip_Whose_Headers_Lie_About_Its_Size_Is_400_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        var bomb = LyingZip(parts: 3, megabytes: 20, declared: 1000);
        Assert.True(bomb.Length < 1024 * 1024);
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(bomb), Ct), 400);
        Assert.Contains("headers lie", problem.GetProperty("detail").GetString());
        Assert.Contains("xl/worksheets/sheet1.xml", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public void Inflation_Is_Counted_On_The_Bytes_Actually_Inflated_Per_Part_And_In_Total()
    {
        static Stream Deflated(int megabytes)
        {
            var compressed = new MemoryStream();
            using (var deflate = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
                for (var i = 0; i < megabytes; i++) deflate.Write(new byte[1024 * 1024]);
            compressed.Position = 0;
            return new DeflateStream(compressed, CompressionMode.Decompress); // no header declares a size here
        }
        const long MB = 1024 * 1024;

        var one = Assert.Throws<WorkbookException>(() =>
            new SubmissionWorkbook.BoundedInflation(Deflated(17), "big.xml", 16 * MB, new SubmissionWorkbook.InflationBudget(32 * MB)).CopyTo(Stream.Null));
        Assert.Contains("expands beyond 16 MB in its part 'big.xml'", one.Message);

        var budget = new SubmissionWorkbook.InflationBudget(32 * MB);
        new SubmissionWorkbook.BoundedInflation(Deflated(15), "a.xml", 16 * MB, budget).CopyTo(Stream.Null);
        new SubmissionWorkbook.BoundedInflation(Deflated(15), "b.xml", 16 * MB, budget).CopyTo(Stream.Null);
        var total = Assert.Throws<WorkbookException>(() => new SubmissionWorkbook.BoundedInflation(Deflated(15), "c.xml", 16 * MB, budget).CopyTo(Stream.Null));
        Assert.Contains("expands beyond 32 MB (at part 'c.xml')", total.Message);
    }

    [Fact]
    public void A_Part_Whose_Zip_Headers_Lie_Is_Refused_Saying_Whether_Its_Size_Or_Its_Checksum_Differs()
    {
        static string Refusal((long, uint) declared)
        {
            var compressed = new MemoryStream();
            using (var deflate = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(new byte[100]);
            compressed.Position = 0;
            return Assert.Throws<WorkbookException>(() => new SubmissionWorkbook.BoundedInflation(new DeflateStream(compressed, CompressionMode.Decompress), "a.xml",
                1024, new SubmissionWorkbook.InflationBudget(1024), declared).CopyTo(Stream.Null)).Message;
        }
        var crc = System.IO.Hashing.Crc32.HashToUInt32(new byte[100]);

        Assert.Contains("inflates to 100 bytes, not the 99 its zip headers declare", Refusal((99, crc)));
        Assert.Contains("does not match the checksum its zip headers declare", Refusal((100, crc + 1)));
        Assert.StartsWith("文件已损坏", Refusal((100, crc + 1)));
    }

    /// <summary>The workbook with its cell <paramref name="cell"/> of 填报表 (B4, A3 …) holding the inline text <paramref name="inner"/> (the XML inside <c>x:is</c>).</summary>
    private static byte[] WithInlineText(byte[] workbook, string cell, string inner) =>
        Tampered(workbook, x => System.Text.RegularExpressions.Regex.Replace(x, $"<x:c r=\"{cell}\"[^>]*>.*?</x:c>", $"<x:c r=\"{cell}\" t=\"inlineStr\"><x:is>{inner}</x:is></x:c>"));

    /// <summary>The workbook's entry <paramref name="part"/> changed by <paramref name="edit"/>, every other entry as it was.</summary>
    private static byte[] TamperedPart(byte[] workbook, string part, Func<string, string> edit)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook)))
        using (var copy = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(copy.CreateEntry(entry.FullName).Open());
                writer.Write(entry.FullName == part ? edit(text) : text);
            }
        return output.ToArray();
    }

    /// <summary>Rows <paramref name="a"/> and <paramref name="b"/> of a sheet swapped, as sorting in Excel or WPS does: the cells move, the defined names stay.</summary>
    private static byte[] SwapRows(byte[] workbook, string sheetName, uint a, uint b)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
            var rows = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().ToDictionary(r => r.RowIndex!.Value);
            var (first, second) = (rows[a].Elements<Cell>().ToList(), rows[b].Elements<Cell>().ToList());
            void Move(List<Cell> cells, Row to)
            {
                foreach (var cell in cells)
                {
                    cell.Remove();
                    cell.CellReference = string.Concat(cell.CellReference!.Value!.TakeWhile(char.IsLetter)) + to.RowIndex!.Value;
                    to.Append(cell);
                }
            }
            Move(first, rows[b]);
            Move(second, rows[a]);
            doc.Save();
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task Rows_Of_A_2021_Table_Sorted_In_Excel_Are_400_Naming_The_Cell_Rather_Than_Stored_On_The_Wrong_Rows()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter, Catalogue2021, "2021");
        var named = NamedCells(template);
        Assert.Equal(("表3", "E6", "E7"), (named["3.1:natural"].Sheet, named["3.1:natural"].Cell, named["3.2:natural"].Cell));
        var sorted = SwapRows(FillNamed(template, Sample2021()), "表3", 6, 7);

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(sorted), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Matches(@"^Sheet 表3, cell [E-M][67]$", error.GetProperty("name").GetString());
        Assert.Contains("排序", error.GetProperty("reason").GetString());
        Assert.Contains("sorted", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2021", Catalogue2021)).GetArrayLength());
    }

    [Fact]
    public async Task A_2021_Value_Cell_Merged_Into_The_One_Before_It_Is_400_Naming_It_Rather_Than_Read_As_Blank()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter, Catalogue2021, "2021");
        var (sheetName, first) = NamedCells(template)["3.1:natural"];
        var second = NamedCells(template)["3.1:commercial"].Cell;
        using var stream = new MemoryStream();
        stream.Write(FillNamed(template, Sample2021()));
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            // What Excel does when E6 and F6 are merged: the range is listed, and only the first cell keeps its content.
            var part = doc.WorkbookPart!;
            var worksheet = ((WorksheetPart)part.GetPartById(part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName).Id!)).Worksheet;
            worksheet.Descendants<Cell>().Single(c => c.CellReference == second).Remove();
            var merges = worksheet.GetFirstChild<MergeCells>() ?? worksheet.InsertAfter(new MergeCells(), worksheet.GetFirstChild<SheetData>()!);
            merges.Append(new MergeCell { Reference = $"{first}:{second}" });
            doc.Save();
        }

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal($"Sheet {sheetName}, cell {second}", error.GetProperty("name").GetString());
        Assert.Contains($"被合并进了 {first}:{second}", error.GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2021", Catalogue2021)).GetArrayLength());
    }

    [Theory]
    [InlineData("sheet pointing at no part", "找不到")]
    [InlineData("chart sheet", "图表")]
    [InlineData("row number beyond any sheet", "行号")]
    public async Task A_Malformed_Package_Is_400_Naming_The_Sheet_And_Nothing_Is_Stored(string malformed, string says)
    {
        var reporter = await CreateReporterAsync();
        var filled = Fill(await TemplateAsync(Admin, reporter), SeedStrings());
        var workbook = malformed switch
        {
            "sheet pointing at no part" => TamperedPart(filled, "xl/workbook.xml", x => System.Text.RegularExpressions.Regex.Replace(x, "<(\\w+:)?sheet [^>]*>",
                m => m.Value.Contains($"name=\"{SubmissionWorkbook.SheetName}\"", StringComparison.Ordinal) ? System.Text.RegularExpressions.Regex.Replace(m.Value, "r:id=\"[^\"]*\"", "r:id=\"rIdNowhere\"") : m.Value)),
            "chart sheet" => AsChartSheet(filled),
            _ => Tampered(filled, x => x.Replace("<x:row r=\"8\"", "<x:row r=\"99999999999\"", StringComparison.Ordinal)),
        };
        Assert.NotEqual(filled.Length, workbook.Length);

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal($"Sheet {SubmissionWorkbook.SheetName}", error.GetProperty("name").GetString());
        Assert.Contains(says, error.GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        static byte[] AsChartSheet(byte[] workbook)
        {
            using var stream = new MemoryStream();
            stream.Write(workbook);
            using (var doc = SpreadsheetDocument.Open(stream, true))
            {
                var part = doc.WorkbookPart!;
                var chart = part.AddNewPart<ChartsheetPart>();
                chart.Chartsheet = new Chartsheet(new ChartSheetViews(new ChartSheetView { WorkbookViewId = 0 }));
                part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName).Id = part.GetIdOfPart(chart);
                doc.Save();
            }
            return stream.ToArray();
        }
    }

    /// <summary>A sheet's XML with the references the format lets a writer leave out left out: every row's, and each cell's that follows the one before it.</summary>
    private static string WithoutReferences(string xml)
    {
        var sheet = System.Xml.Linq.XDocument.Parse(xml);
        foreach (var row in sheet.Descendants().Where(e => e.Name.LocalName == "row"))
        {
            row.Attribute("r")!.Remove();
            var previous = 0;
            foreach (var cell in row.Elements().Where(e => e.Name.LocalName == "c"))
            {
                var column = cell.Attribute("r")!.Value.TakeWhile(char.IsLetter).Aggregate(0, (n, letter) => n * 26 + letter - 'A' + 1);
                if (column == previous + 1) cell.Attribute("r")!.Remove();
                previous = column;
            }
        }
        return sheet.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }

    [Fact]
    public async Task Rows_And_Cells_Without_Their_References_Are_Read_Where_They_Stand()
    {
        var reporter = await CreateReporterAsync();
        var filled = Fill(await TemplateAsync(Admin, reporter), SeedStrings());
        var bare = Tampered(filled, WithoutReferences);
        using (var zip = new ZipArchive(new MemoryStream(bare)))
        using (var sheet = new StreamReader(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Open()))
            Assert.DoesNotContain(" r=\"E", sheet.ReadToEnd());

        async Task<string> Values(byte[] workbook)
        {
            var response = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").GetRawText();
        }
        Assert.Equal(await Values(filled), await Values(bare));
        var stored = await Admin.PostAsync("/v1/submissions", Xlsx(bare), Ct);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal(SeedStrings().Count(v => v.Value is not null), (await stored.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").GetArrayLength());
    }

    [Theory]
    [InlineData("c_4")]
    [InlineData("c_total")]
    [InlineData("C_1.1")]
    public async Task A_Persons_Own_Name_Starting_With_C_Does_Not_Change_How_A_2014_Workbook_Is_Read(string name)
    {
        var reporter = await CreateReporterAsync();
        using var stream = new MemoryStream();
        stream.Write(Fill(await TemplateAsync(Admin, reporter), SeedStrings()));
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            doc.WorkbookPart!.Workbook.DefinedNames!.Append(new DefinedName($"{SubmissionWorkbook.SheetName}!$E$52") { Name = name });
            doc.Save();
        }

        var response = await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(SeedStrings().Count(v => v.Value is not null), (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").GetArrayLength());
    }

    [Fact]
    public async Task A_Figure_On_A_Row_Whose_Code_Cell_Was_Merged_Away_Is_400_Naming_The_Cell_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter);
        var row31 = Read(template).Single(c => c.Key.StartsWith('C') && c.Value == "3.1").Key[1..];
        // Merging B:D keeps B's content only: the 代码 cell is gone, the figure in E stays.
        var merged = Tampered(Fill(template, SeedStrings()), x => System.Text.RegularExpressions.Regex.Replace(x, $"<x:c r=\"C{row31}\"[^>]*>.*?</x:c>", ""));

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(merged), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal($"Sheet {SubmissionWorkbook.SheetName}, cell E{row31}", error.GetProperty("name").GetString());
        Assert.Contains($"“代码”格 C{row31} 是空的", error.GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_Formula_Whose_Result_Is_Empty_Text_Is_Read_As_Blank(bool savedWithItsValue)
    {
        var reporter = await CreateReporterAsync();
        var workbook = WithCell(Fill(await TemplateAsync(Admin, reporter), SeedStrings()), r => new Cell
        {
            CellReference = r, DataType = CellValues.String, CellFormula = new CellFormula("IF(TRUE,\"\",1)"), CellValue = savedWithItsValue ? new CellValue("") : null,
        });

        var response = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var values = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray().Select(v => v.GetProperty("code").GetString()).ToList();
        Assert.DoesNotContain("1.1", values);
        Assert.Contains("1.2.1", values);
    }

    [Fact]
    public async Task A_Password_Protected_Workbook_Is_400_Telling_The_Person_To_Remove_The_Password()
    {
        // An encrypted .xlsx is an OLE compound file holding a stream named EncryptedPackage.
        var encrypted = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(encrypted, 0);
        System.Text.Encoding.Unicode.GetBytes("EncryptedPackage").CopyTo(encrypted, 1024);

        var detail = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(encrypted), Ct), 400)).GetProperty("detail").GetString()!;

        Assert.Contains("用密码进行加密", detail);
        Assert.Contains("password-protected", detail);
        Assert.DoesNotContain("另存为", detail);
    }

    [Theory]
    [InlineData("three rows inserted at the top")]
    [InlineData("a column inserted before A")]
    public async Task A_Header_Moved_By_Rows_Or_Columns_Inserted_Is_Still_Read(string edit)
    {
        var reporter = await CreateReporterAsync();
        var filled = Fill(await TemplateAsync(Admin, reporter), SeedStrings());
        // Rows inserted for a letterhead, say: each with something typed in it.
        var letterhead = string.Concat(Enumerable.Range(1, 3).Select(r => $"<x:row r=\"{r}\"><x:c r=\"A{r}\" t=\"inlineStr\"><x:is><x:t>某某镇人民政府</x:t></x:is></x:c></x:row>"));
        var moved = Tampered(filled, x => edit.StartsWith("three", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(x, "(<x:(?:row|c) r=\"[A-Z]*)([0-9]+)\"", m => $"{m.Groups[1].Value}{int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 3}\"")
                .Replace("<x:sheetData>", "<x:sheetData>" + letterhead, StringComparison.Ordinal)
            : System.Text.RegularExpressions.Regex.Replace(x, "<x:c r=\"([A-Z])([0-9]+)\"", m => $"<x:c r=\"{(char)(m.Groups[1].Value[0] + 1)}{m.Groups[2].Value}\""));
        Assert.NotEqual(filled, moved);

        var response = await Admin.PostAsync("/v1/submissions", Xlsx(moved), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((reporter, "2014"), (created.GetProperty("reporter").GetString(), created.GetProperty("period").GetString()));
        Assert.Equal(SeedStrings().Count(v => v.Value is not null), created.GetProperty("values").GetArrayLength());
    }

    [Fact]
    public async Task A_Code_Given_Twice_Names_Both_Of_Its_Cells()
    {
        var reporter = await CreateReporterAsync();
        var template = await TemplateAsync(Admin, reporter);
        var row31 = uint.Parse(Read(template).Single(c => c.Key.StartsWith('C') && c.Value == "3.1").Key[1..], System.Globalization.CultureInfo.InvariantCulture);
        using var stream = new MemoryStream();
        stream.Write(Fill(template, SeedStrings()));
        uint copy;
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            // The row of 3.1 copied below the table.
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
            var data = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!;
            copy = data.Elements<Row>().Max(r => r.RowIndex!.Value) + 1;
            var row = (Row)data.Elements<Row>().Single(r => r.RowIndex!.Value == row31).CloneNode(true);
            row.RowIndex = copy;
            foreach (var cell in row.Elements<Cell>()) cell.CellReference = string.Concat(cell.CellReference!.Value!.TakeWhile(char.IsLetter)) + copy;
            data.Append(row);
            doc.Save();
        }

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", Xlsx(stream.ToArray()), Ct), 422);

        var duplicate = problem.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "duplicate-code");
        Assert.Equal([$"E{row31}", $"E{copy}"], duplicate.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("cell").GetString()));
        Assert.Contains($"工作表“填报表”E{row31}〔", duplicate.GetProperty("messageZh").GetString());
        Assert.EndsWith($"、E{copy}）", duplicate.GetProperty("messageZh").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }
}
