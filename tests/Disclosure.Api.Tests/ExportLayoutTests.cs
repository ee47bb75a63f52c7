using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Disclosure.Api.Tests;

/// <summary>The exports as the printed form has them: ruled, print setup, frozen header, names, 序号, indented 其中 rows, grouped 2021 headers, the footer.</summary>
public sealed class ExportLayoutTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Catalogue2021 = "gov-info-disclosure-2021";

    /// <summary>A reporter whose name does not contain its id, so that a name printed is not an id printed.</summary>
    private async Task<(string Id, string Name)> NamedReporterAsync(string kind = "town")
    {
        var id = NewId();
        var name = $"榴园镇{Random.Shared.Next(100000, 999999)}号人民政府";
        var response = await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (id, name);
    }

    private async Task<byte[]> ExportAsync(string path, string format)
    {
        var response = await Admin.GetAsync($"{path}{(path.Contains('?') ? '&' : '?')}format={format}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>The day of the latest submission in the table, as the footer prints it (China Standard Time).</summary>
    private async Task<string> ReportDateAsync(string path)
    {
        var table = await Admin.GetFromJsonAsync<JsonElement>(path, Ct);
        var latest = table.GetProperty("completeness").GetProperty("reporters").EnumerateArray()
            .SelectMany(r => r.GetProperty("submissions").EnumerateArray()).Max(s => s.GetProperty("receivedAt").GetDateTimeOffset());
        return latest.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
    }

    /// <summary>One sheet of a workbook: its cells by reference, and its styles and layout elements.</summary>
    private sealed class SheetView(Worksheet worksheet, Stylesheet styles, Workbook workbook, string name)
    {
        public Worksheet Worksheet => worksheet;
        public Dictionary<string, Cell> Cells { get; } = worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        public string Text(string reference) => Cells.TryGetValue(reference, out var c) ? c.InlineString?.InnerText ?? c.CellValue?.Text ?? "" : "";
        public CellFormat Format(string reference) => styles.CellFormats!.Elements<CellFormat>().ElementAt((int)(Cells[reference].StyleIndex?.Value ?? 0));
        public Border Border(string reference) => styles.Borders!.Elements<Border>().ElementAt((int)(Format(reference).BorderId?.Value ?? 0));
        public bool Ruled(string reference) => Border(reference) is var b
            && new BorderPropertiesType?[] { b.LeftBorder, b.RightBorder, b.TopBorder, b.BottomBorder }.All(p => p?.Style?.Value == BorderStyleValues.Thin);
        public uint Indent(string reference) => Format(reference).Alignment?.Indent?.Value ?? 0;
        public string RowOf(string code) => Cells.Single(c => c.Key.StartsWith('B') && char.IsDigit(c.Key[1]) && Text(c.Key) == code).Key[1..];
        public string? Find(Func<string, bool> text) => Cells.Keys.FirstOrDefault(k => text(Text(k)));
        public IReadOnlyList<string> Merges => [.. worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!)];
        public string? PrintTitles => workbook.DefinedNames?.Elements<DefinedName>()
            .SingleOrDefault(d => d.Name == "_xlnm.Print_Titles" && workbook.Sheets!.Elements<Sheet>().ElementAt((int)d.LocalSheetId!.Value).Name == name)?.Text;
    }

    private static Dictionary<string, SheetView> Open(byte[] bytes, out IReadOnlyList<string> order)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var part = doc.WorkbookPart!;
        var sheets = part.Workbook.Sheets!.Elements<Sheet>().ToList();
        order = [.. sheets.Select(s => s.Name!.Value!)];
        return sheets.ToDictionary(s => s.Name!.Value!, s => new SheetView(
            (Worksheet)((WorksheetPart)part.GetPartById(s.Id!)).Worksheet.CloneNode(true),
            (Stylesheet)part.WorkbookStylesPart!.Stylesheet.CloneNode(true), (Workbook)part.Workbook.CloneNode(true), s.Name!.Value!));
    }

    [Fact]
    public async Task The_2014_Xlsx_Is_Ruled_Set_Up_For_A4_Frozen_Numbered_Indented_With_Names_And_A_Footer()
    {
        var (town, townName) = await NamedReporterAsync();
        var (idle, idleName) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var path = $"/v1/aggregates/{Catalogue2014}/2014?reporters={town},{idle}";
        var sheet = Open(await ExportAsync(path, "xlsx"), out var order)["统计表"];
        Assert.Equal(["统计表"], order);

        // Title, the subtitle naming the reporters, then the column header; frozen below it and repeated on every page.
        Assert.Contains("政府信息公开工作情况统计表", sheet.Text("A1"));
        Assert.Contains(townName, sheet.Text("A2"));
        Assert.Equal(["序号", "代码", "统计指标", "单位", "统计数", "区政府本级", "区直部门", "乡镇街道"], new[] { "A3", "B3", "C3", "D3", "E3", "F3", "G3", "H3" }.Select(sheet.Text));
        var pane = sheet.Worksheet.Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(3D, pane.VerticalSplit!.Value);
        Assert.Equal("A4", pane.TopLeftCell!.Value);
        Assert.Equal("'统计表'!$1:$3", sheet.PrintTitles);
        var setup = sheet.Worksheet.GetFirstChild<PageSetup>()!;
        Assert.Equal(9U, setup.PaperSize!.Value); // A4
        Assert.Equal(1U, setup.FitToWidth!.Value);
        Assert.Equal(0U, setup.FitToHeight!.Value);
        Assert.True(sheet.Worksheet.GetFirstChild<SheetProperties>()!.PageSetupProperties!.FitToPage!.Value);

        // Ruled cells, figures and blanks alike; a blank stays blank.
        var row31 = sheet.RowOf("3.1");
        var blank = sheet.RowOf("3.1.2");
        Assert.Equal("60", sheet.Text($"E{row31}"));
        Assert.Null(sheet.Cells[$"E{blank}"].CellValue);
        foreach (var reference in new[] { "A3", "E3", $"A{row31}", $"C{row31}", $"E{row31}", $"H{row31}", $"E{blank}" })
            Assert.True(sheet.Ruled(reference), $"{reference} has no border");

        // 序号 numbers the value rows 1, 2, 3 … and leaves title rows unnumbered.
        Assert.Equal("", sheet.Text($"A{sheet.RowOf("1")}"));
        var numbers = SeedTable.Rows.Where(r => r.Role == "value").Select(r => sheet.Text($"A{sheet.RowOf(r.Code)}")).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(n => n.ToString(CultureInfo.InvariantCulture)), numbers);

        // 其中 rows sit deeper than their whole, by their depth in the catalogue tree.
        Assert.Equal(0U, sheet.Indent($"C{sheet.RowOf("1")}"));
        Assert.Equal(1U, sheet.Indent($"C{sheet.RowOf("1.1")}"));
        Assert.Equal(2U, sheet.Indent($"C{sheet.RowOf("1.1.a")}"));
        Assert.Equal(3U, sheet.Indent($"C{sheet.RowOf("3.3.4.a")}"));

        // Under the table: who is missing, by name, and the signature lines of the form.
        var missing = sheet.Find(t => t.StartsWith("应报", StringComparison.Ordinal))!;
        Assert.Contains($"未报：{idleName}", sheet.Text(missing));
        Assert.DoesNotContain(idle, sheet.Text(missing));
        var date = await ReportDateAsync(path);
        Assert.NotNull(sheet.Find(t => t == $"报出日期：{date}"));
        Assert.NotNull(sheet.Find(t => t.StartsWith("填报单位", StringComparison.Ordinal)));
        Assert.NotNull(sheet.Find(t => t == "单位负责人："));
        Assert.NotNull(sheet.Find(t => t == "填表人："));
    }

    [Fact]
    public async Task The_District_Table_Names_The_Government_Of_Its_Period_As_Its_Reporting_Unit()
    {
        // The government's office reorganised twice: the first retired from 2016, the second registered after it and retired
        // from 2018Q3, mid-year, the third registered after that. A year's table is signed by the government in office at its
        // end: 2018's by the third, though the second still owes the year 2018, which began in its time.
        var (first, firstName) = await NamedReporterAsync("government");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/v1/reporters/{first}", new { retiredFrom = "2016" }, Ct)).StatusCode);
        var (second, secondName) = await NamedReporterAsync("government");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/v1/reporters/{second}", new { retiredFrom = "2018Q3" }, Ct)).StatusCode);
        // 2020 is closed while no government is in office: its table is left to sign by hand, and a government registered
        // since does not change what the closed table printed; reopened, the table is signed by it.
        var closed2020 = $"/v1/aggregates/{Catalogue2014}/2020";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2020/close", null, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var (_, thirdName) = await NamedReporterAsync("government");
        Assert.StartsWith("（　　　　　　）", Open(await ExportAsync(closed2020, "xlsx"), out _)["统计表"].Text("A2"));
        Assert.Contains("<p class=\"period\">（　　　　　　）", Encoding.UTF8.GetString(await ExportAsync(closed2020, "html")));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2020/reopen", null, Ct)).StatusCode);
        Assert.StartsWith($"（{thirdName}）", Open(await ExportAsync(closed2020, "xlsx"), out _)["统计表"].Text("A2"));

        foreach (var (period, name) in new[]
        {
            ("2015", firstName), ("2016", secondName), ("2017Q4", secondName), ("2017", secondName),
            ("2018Q2", secondName), ("2018Q3", thirdName), ("2018", thirdName), ("2019", thirdName),
        })
        {
            var path = $"/v1/aggregates/{Catalogue2014}/{period}";
            Assert.Contains($"填报单位（盖章）：{name},", Encoding.UTF8.GetString(await ExportAsync(path, "csv")));
            Assert.Contains($"填报单位（盖章）：{name}<", Encoding.UTF8.GetString(await ExportAsync(path, "html")));
            Assert.NotNull(Open(await ExportAsync(path, "xlsx"), out _)["统计表"].Find(t => t == $"填报单位（盖章）：{name}"));
        }
    }

    [Fact]
    public async Task One_Reporters_Table_Names_It_As_Its_Reporting_Unit()
    {
        var (town, townName) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var sheet = Open(await ExportAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}", "xlsx"), out _)["统计表"];
        Assert.StartsWith($"（{townName}）", sheet.Text("A2"));
        Assert.NotNull(sheet.Find(t => t == $"填报单位（盖章）：{townName}"));
        Assert.Null(sheet.Find(t => t.Contains(town, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task One_Reporters_Stamped_Form_Has_No_Completeness_Line_Which_The_District_Table_Keeps()
    {
        var (town, _) = await NamedReporterAsync();
        var (idle, _) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var own = $"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}";
        foreach (var format in new[] { "html", "csv" })
        {
            var text = Encoding.UTF8.GetString(await ExportAsync(own, format));
            Assert.Contains("填报单位（盖章）：", text);
            Assert.DoesNotContain("应报", text);
        }
        Assert.Null(Open(await ExportAsync(own, "xlsx"), out _)["统计表"].Find(t => t.StartsWith("应报", StringComparison.Ordinal)));
        // The district's table of two still says who reported.
        Assert.Contains("应报 2 个单位，已报 1 个", Encoding.UTF8.GetString(await ExportAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters={town},{idle}", "html")));
    }

    [Fact]
    public async Task Amounts_In_Wan_Yuan_Print_As_They_Are_In_Every_Format_Zero_As_The_Report_Prints_It()
    {
        // The report's appended table prints 十一、依申请公开信息收取的费用 as 0 (万元), not 0.00: so does every export, and an
        // amount with a fraction prints the decimals it has, none added (a sum's trailing zero, 0.25 + 0.25 = 0.50, included).
        var (one, _) = await NamedReporterAsync();
        var (two, _) = await NamedReporterAsync();
        foreach (var town in new[] { one, two })
        {
            var values = SeedTable.Values.Where(v => v.Key is not ("11" or "12.4")).Append(new("11", 0m)).Append(new("12.4", 0.25m));
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", values)).StatusCode);
        }
        var district = $"/v1/aggregates/{Catalogue2014}/2014?reporters={one},{two}";
        foreach (var (path, layout) in new[] { (district, "form"), (district, "publication"), ($"/v1/aggregates/{Catalogue2014}/2014/reporters/{one}", "form") })
        {
            var sum = path == district;
            var asked = $"{path}{(path.Contains('?') ? '&' : '?')}layout={layout}";
            var (fee, fund) = ("0", sum ? "0.5" : "0.25");

            var csv = Encoding.UTF8.GetString(await ExportAsync(asked, "csv")).Split("\r\n");
            string CsvFigure(string name) => csv.Single(l => l.Contains(name, StringComparison.Ordinal)).Split(',')[layout == "publication" ? 2 : 4];
            Assert.Equal((fee, fund), (CsvFigure("依申请公开信息收取的费用"), CsvFigure("政府信息公开专项经费")));

            var html = Encoding.UTF8.GetString(await ExportAsync(asked, "html"));
            Assert.Matches($"data-code=\"11\">.*?<td class=\"n\">{fee}</td>", html);
            Assert.Matches($"data-code=\"12.4\">.*?<td class=\"n\">{fund.Replace(".", "\\.", StringComparison.Ordinal)}</td>", html);
            Assert.Matches($"data-code=\"3.1\">.*?<td class=\"n\">{(sum ? 2 : 1) * SeedTable.Value("3.1")}</td>", html);

            // In the workbook a number, shown so: a whole amount as General shows it (0), one with a fraction by the workbook's
            // own format, every decimal it has and none added; a count as General shows it.
            var xlsx = await ExportAsync(asked, "xlsx");
            var sheet = Open(xlsx, out _)["统计表"];
            // A publication has no 代码: its rows are found by name.
            var names = new Dictionary<string, string> { ["11"] = "十一、依申请公开信息收取的费用", ["12.4"] = "（四）政府信息公开专项经费", ["3.1"] = "（一）收到申请数" };
            var row = (string code) => layout == "publication"
                ? sheet.Cells.Single(c => c.Key.StartsWith('A') && sheet.Text(c.Key).StartsWith(names[code], StringComparison.Ordinal)).Key[1..]
                : sheet.RowOf(code);
            var column = layout == "publication" ? "C" : "E";
            uint NumberFormat(string code) => sheet.Format(column + row(code)).NumberFormatId?.Value ?? 0;
            Assert.Equal((fee, fund), (sheet.Text(column + row("11")), sheet.Text(column + row("12.4"))));
            Assert.Equal((0u, 164u, 0u), (NumberFormat("11"), NumberFormat("12.4"), NumberFormat("3.1")));
            Assert.Equal("0.0#####", AmountFormatCode(xlsx));
        }

        // The 2021 template's fee cells (本年收费金额, 万元) show what is typed, as its counts do: 0 is 0 there too.
        var response = await Admin.GetAsync($"/v1/templates/{Catalogue2021}/2021?reporter={one}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var template = await response.Content.ReadAsByteArrayAsync(Ct);
        var workbook = Open(template, out _);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(template), false);
        var named = doc.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Where(d => d.Name!.Value!.StartsWith("c_", StringComparison.Ordinal))
            .Select(d => (Name: d.Name!.Value!, At: d.Text.Split('!'))).ToList();
        uint FormatOf((string Name, string[] At) cell) =>
            workbook[cell.At[0].Trim('\'')].Format(cell.At[1].Replace("$", "", StringComparison.Ordinal)).NumberFormatId?.Value ?? 0;
        Assert.Contains(named, n => n.Name.EndsWith("_003afees", StringComparison.Ordinal));
        Assert.All(named, f => Assert.Equal(0u, FormatOf(f)));
    }

    /// <summary>The workbook's own number format 164, the one its 万元 cells take.</summary>
    private static string? AmountFormatCode(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        return doc.WorkbookPart!.WorkbookStylesPart!.Stylesheet!.NumberingFormats?.Elements<NumberingFormat>()
            .SingleOrDefault(f => f.NumberFormatId?.Value == 164)?.FormatCode?.Value;
    }

    /// <summary>
    /// Whether a cell's text is whole on screen and paper: the columns it is merged over are as wide as its text (Excel's
    /// unit: a digit, a Chinese character two), or it wraps in a row tall enough for its lines.
    /// </summary>
    private static void AssertWhole(SheetView sheet, string reference)
    {
        var text = sheet.Text(reference);
        var row = uint.Parse(new string([.. reference.SkipWhile(char.IsLetter)]), CultureInfo.InvariantCulture);
        var merge = sheet.Merges.SingleOrDefault(m => m.Split(':')[0] == reference) ?? $"{reference}:{reference}";
        static int Column(string r) => r.TakeWhile(char.IsLetter).Aggregate(0, (n, ch) => n * 26 + ch - 'A' + 1);
        var columns = sheet.Worksheet.Descendants<Column>().ToList();
        var across = Enumerable.Range(Column(merge.Split(':')[0]), Column(merge.Split(':')[1]) - Column(merge.Split(':')[0]) + 1)
            .Sum(i => columns.Single(c => c.Min!.Value <= i && i <= c.Max!.Value).Width!.Value);
        var units = text.Sum(c => c >= '\u2E80' ? 2 : 1);
        if (sheet.Format(reference).Alignment?.WrapText?.Value != true)
        {
            Assert.True(units <= across, $"{reference} \"{text}\" is {units} wide over {merge}, {across} wide, without wrapping.");
            return;
        }
        var lines = (int)Math.Ceiling(units / (across - 1));
        var height = sheet.Worksheet.Descendants<Row>().Single(r => r.RowIndex!.Value == row).Height?.Value ?? 14.25;
        Assert.True(height >= lines * 14.25, $"{reference} \"{text}\" wraps to {lines} lines over {merge} in a row {height} points tall.");
    }

    [Fact]
    public async Task A_Long_Reporting_Unit_Is_Printed_Whole_Beside_The_Report_Date_In_The_Xlsx()
    {
        var id = NewId();
        const string name = "峄城区大数据中心（区政务服务中心管理办公室）";
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = "department" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, id, "2014", SeedTable.Values)).StatusCode);
        var sheet = Open(await ExportAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{id}", "xlsx"), out _)["统计表"];
        AssertWhole(sheet, sheet.Find(t => t == $"填报单位（盖章）：{name}")!);
        AssertWhole(sheet, sheet.Find(t => t.StartsWith("报出日期：", StringComparison.Ordinal))!);
    }

    [Fact]
    public async Task The_2021_Xlsx_Has_A_Sheet_Per_Table_With_The_Grouped_Column_Header_Merged_As_Printed()
    {
        var (reporter, _) = await NamedReporterAsync("department");
        var sample = Catalogue2021RoundTripTests.Sample();
        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2021", catalogue = Catalogue2021,
            values = sample.Where(v => v.Key != "3.1:research").Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var sheets = Open(await ExportAsync($"/v1/aggregates/{Catalogue2021}/2021?reporters={reporter}", "xlsx"), out var order);
        Assert.Equal(["表2", "表3", "表4"], order);

        // 表三: 申请人情况 over all seven columns; 法人或其他组织 over its five; 自然人 and 总计 down two rows.
        var t3 = sheets["表3"];
        Assert.Equal("三、收到和处理政府信息公开申请情况", t3.Text("A3"));
        Assert.Equal("申请人情况", t3.Text("E4"));
        Assert.Equal("自然人", t3.Text("E5"));
        Assert.Equal("法人或其他组织", t3.Text("F5"));
        Assert.Equal(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], new[] { "F6", "G6", "H6", "I6", "J6" }.Select(t3.Text));
        Assert.Equal("总计", t3.Text("K5"));
        Assert.Contains("E4:K4", t3.Merges);
        Assert.Contains("F5:J5", t3.Merges);
        Assert.Contains("E5:E6", t3.Merges);
        Assert.Contains("K5:K6", t3.Merges);
        Assert.Contains("A4:A6", t3.Merges);
        Assert.Contains("勾稽关系", t3.Text("C4"));
        Assert.Equal(6D, t3.Worksheet.Descendants<Pane>().Single().VerticalSplit!.Value);
        Assert.Equal("'表3'!$1:$6", t3.PrintTitles);
        Assert.Equal(OrientationValues.Landscape, t3.Worksheet.GetFirstChild<PageSetup>()!.Orientation!.Value);

        var row = t3.RowOf("3.1");
        Assert.Equal(sample["3.1:natural"].ToString(CultureInfo.InvariantCulture), t3.Text($"E{row}"));
        Assert.Null(t3.Cells[$"G{row}"].CellValue); // research left out: blank, not 0
        Assert.True(t3.Ruled($"G{row}"));
        Assert.Equal(2U, t3.Indent($"C{t3.RowOf("3.3.3.1")}"));
        Assert.Equal(1U, t3.Indent($"C{t3.RowOf("3.3.3")}"));

        // 表二 is printed in sections, each under its 第二十条 item with only its own columns, the last stretched to the width.
        var t2 = sheets["表2"];
        var first = t2.Find(t => t == "第二十条第（一）项")!;
        var headingRow = int.Parse(first[1..], CultureInfo.InvariantCulture) + 1;
        Assert.Equal(["本年制发件数", "本年废止件数", "现行有效件数"], new[] { "E", "F", "G" }.Select(c => t2.Text($"{c}{headingRow}")));
        var fifth = int.Parse(t2.Find(t => t == "第二十条第（五）项")![1..], CultureInfo.InvariantCulture) + 1;
        Assert.Equal("本年处理决定数量", t2.Text($"E{fifth}"));
        Assert.Contains($"E{fifth}:G{fifth}", t2.Merges);
        Assert.Equal(sample["2.5.1:decisions"].ToString(CultureInfo.InvariantCulture), t2.Text($"E{t2.RowOf("2.5.1")}"));
    }

    [Fact]
    public async Task The_Html_Page_Prints_Grouped_Headers_Numbers_Indentation_Names_And_The_Footer()
    {
        var (reporter, name) = await NamedReporterAsync("department");
        var (idle, idleName) = await NamedReporterAsync();
        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2021", catalogue = Catalogue2021,
            values = Catalogue2021RoundTripTests.Sample().Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var path = $"/v1/aggregates/{Catalogue2021}/2021?reporters={reporter},{idle}";
        var html = Encoding.UTF8.GetString(await ExportAsync(path, "html"));
        Assert.Contains("<th rowspan=\"1\" colspan=\"7\">申请人情况</th>", html);
        Assert.Contains("<th rowspan=\"1\" colspan=\"5\">法人或其他组织</th>", html);
        Assert.Contains("<th rowspan=\"2\" colspan=\"1\">自然人</th>", html);
        Assert.Contains("<th rowspan=\"3\">序号</th>", html);
        Assert.Contains("<tr data-code=\"3.3.3.1\"><td class=\"s\">", html);
        Assert.Contains("<td class=\"d2\">1.属于国家秘密</td>", html);
        Assert.Contains("@page{size:A4 landscape", html);
        Assert.Contains(name, html);
        Assert.Contains($"未报：{idleName}", html);
        Assert.DoesNotContain(idle, html);
        Assert.Contains($"报出日期：{await ReportDateAsync(path)}", html);
        Assert.Contains("单位负责人：", html);
    }

    [Fact]
    public async Task The_Csv_Puts_Each_Header_Level_On_A_Line_Above_The_Leaf_Names_And_Ends_With_The_Footer()
    {
        var (reporter, _) = await NamedReporterAsync("department");
        var (idle, idleName) = await NamedReporterAsync();
        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2021", catalogue = Catalogue2021,
            values = Catalogue2021RoundTripTests.Sample().Where(v => v.Key != "3.2:legal").Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var text = Encoding.UTF8.GetString((await ExportAsync($"/v1/aggregates/{Catalogue2021}/2021?reporters={reporter},{idle}", "csv"))[3..]);
        var lines = text.Split("\r\n");
        var leaves = Array.IndexOf(lines, "序号,代码,统计指标,单位,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计");
        Assert.Equal(",,,,,法人或其他组织,,,,,", lines[leaves - 1]);
        Assert.Equal(",,,,申请人情况,,,,,,", lines[leaves - 2]);
        Assert.Matches(@"^\d+,3\.2,二、上年结转政府信息公开申请数量,件,\d+,\d+,\d+,\d+,,\d+,\d+$", lines.Single(l => l.Contains(",3.2,", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains($"未报：{idleName}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("单位负责人：", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_Title_Reads_As_The_Form_Has_It_With_The_Year_And_The_Government_Under_It()
    {
        // One reporter's table names it where the district's names its government: the same line (the class's tests leave
        // the government to the test of the reporting unit).
        var (town, governmentName) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var path = $"/v1/aggregates/{Catalogue2014}/2014?reporters={town}";

        var sheet = Open(await ExportAsync(path, "xlsx"), out _)["统计表"];
        Assert.Equal("2014年度政府信息公开工作情况统计表", sheet.Text("A1"));
        Assert.StartsWith($"（{governmentName}）", sheet.Text("A2"));
        Assert.DoesNotContain("统计期", sheet.Text("A2"));
        var html = Encoding.UTF8.GetString(await ExportAsync(path, "html"));
        Assert.Contains("<title>2014年度政府信息公开工作情况统计表</title>", html);
        Assert.Contains("<h1>2014年度政府信息公开工作情况统计表</h1>", html);
        Assert.Contains($"<p class=\"period\">（{governmentName}）", html);
        Assert.DoesNotContain("年版", html);

        // A quarter names its quarter; the 2021 form its own title, without its edition.
        Assert.Equal("2014年第3季度政府信息公开工作情况统计表", Open(await ExportAsync($"/v1/aggregates/{Catalogue2014}/2014Q3?reporters={town}", "xlsx"), out _)["统计表"].Text("A1"));
        Assert.Contains("<h1>2021年度政府信息公开工作年度报告统计表</h1>",
            Encoding.UTF8.GetString(await ExportAsync($"/v1/aggregates/{Catalogue2021}/2021?reporters={town}", "html")));
        // The catalogue list keeps the edition, which tells the editions apart.
        var catalogue = await Admin.GetFromJsonAsync<JsonElement>($"/v1/catalogues/{Catalogue2014}", Ct);
        Assert.Contains("2014年版", catalogue.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_Publication_Layout_Is_The_Reports_Appendix_Table_Without_The_Forms_Columns_Or_Footer()
    {
        var (town, governmentName) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var path = $"/v1/aggregates/{Catalogue2014}/2014?reporters={town}&layout=publication";
        var twice = SeedTable.Value("3.1")!.Value.ToString(CultureInfo.InvariantCulture);

        var sheet = Open(await ExportAsync(path, "xlsx"), out _)["统计表"];
        Assert.Equal("2014年度政府信息公开工作情况统计表", sheet.Text("A1"));
        Assert.Equal($"（{governmentName}）", sheet.Text("A2"));
        Assert.Equal(["统计指标", "单位", "统计数", ""], new[] { "A3", "B3", "C3", "D3" }.Select(sheet.Text));
        var row31 = sheet.Cells.Single(c => c.Key.StartsWith('A') && sheet.Text(c.Key) == "（一）收到申请数").Key[1..];
        Assert.Equal(["件", twice], new[] { $"B{row31}", $"C{row31}" }.Select(sheet.Text));
        Assert.Null(sheet.Find(t => t is "序号" or "代码" || t.StartsWith("应报", StringComparison.Ordinal) || t.StartsWith("填报单位", StringComparison.Ordinal)
            || t.StartsWith("单位负责人", StringComparison.Ordinal) || t.StartsWith("填表人", StringComparison.Ordinal) || t.StartsWith("报出日期", StringComparison.Ordinal)));
        Assert.Equal("'统计表'!$1:$3", sheet.PrintTitles);

        var html = Encoding.UTF8.GetString(await ExportAsync(path, "html"));
        Assert.Contains("<h1>2014年度政府信息公开工作情况统计表</h1>", html);
        Assert.Contains($"<p class=\"period\">（{governmentName}）</p>", html);
        Assert.Contains("<tr><th rowspan=\"1\">统计指标</th><th rowspan=\"1\">单位</th><th rowspan=\"1\" colspan=\"1\">统计数</th></tr>", html);
        Assert.Contains($"<tr data-code=\"3.1\"><td class=\"d1\">（一）收到申请数</td><td class=\"u\">件</td><td class=\"n\">{twice}</td></tr>", html);
        foreach (var absent in new[] { "序号", "应报", "填报单位", "单位负责人", "填表人", "报出日期", "区政府本级", "class=\"s\"" })
            Assert.DoesNotContain(absent, html);

        var csv = Encoding.UTF8.GetString((await ExportAsync(path, "csv"))[3..]).Split("\r\n");
        Assert.Equal(["2014年度政府信息公开工作情况统计表", $"（{governmentName}）", "统计指标,单位,统计数", "一、主动公开情况,,"], csv[..4]);
        Assert.Contains($"（一）收到申请数,件,{twice}", csv);
        Assert.DoesNotContain(csv, l => l.StartsWith("应报", StringComparison.Ordinal) || l.StartsWith("填报单位", StringComparison.Ordinal) || l.StartsWith("单位负责人", StringComparison.Ordinal));

        // The form is still the default, and a layout that is neither is a 400 naming it.
        Assert.Contains("填表人：", Encoding.UTF8.GetString(await ExportAsync(path.Replace("&layout=publication", "", StringComparison.Ordinal), "html")));
        var problem = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?format=xlsx&layout=appendix", Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "layout");
    }

    [Fact]
    public async Task The_Office_Dates_The_Signed_Form_With_A_Report_Date()
    {
        var (town, _) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var path = $"/v1/aggregates/{Catalogue2014}/2014?reporters={town},{(await NamedReporterAsync()).Id}";

        Assert.Contains($"报出日期：{await ReportDateAsync(path)}", Encoding.UTF8.GetString(await ExportAsync(path, "html")));
        var dated = $"{path}&reportDate=2015-01-14";
        Assert.Contains("报出日期：2015年1月14日", Encoding.UTF8.GetString(await ExportAsync(dated, "html")));
        Assert.Contains("报出日期：2015年1月14日", Encoding.UTF8.GetString(await ExportAsync(dated, "csv")));
        Assert.NotNull(Open(await ExportAsync(dated, "xlsx"), out _)["统计表"].Find(t => t == "报出日期：2015年1月14日"));

        // Given empty, a parameter is a 400 naming it, not read as absent (README): leave it out to let the table date itself.
        var empty = await ProblemAsync(await Admin.GetAsync($"{path}&format=html&reportDate=&layout=", Ct), 400);
        Assert.Equal(["reportDate", "layout"], empty.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var problem = await ProblemAsync(await Admin.GetAsync($"{path}&format=html&reportDate=2015-1-14", Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "reportDate");
        // Dated before the year it reports ended: refused, naming it; its last day is taken.
        var early = await ProblemAsync(await Admin.GetAsync($"{path}&format=html&reportDate=2014-06-01", Ct), 400);
        Assert.StartsWith("报出日期（reportDate）2014-06-01 早于2014年度的最后一天",
            Assert.Single(early.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "reportDate").GetProperty("reason").GetString());
        Assert.Contains("报出日期：2014年12月31日", Encoding.UTF8.GetString(await ExportAsync($"{path}&reportDate=2014-12-31", "html")));

        // The breakdown, a sheet the office files with the same footer, is dated alike; it has no publication layout.
        var breakdown = path.Replace("/2014?", "/2014/breakdown?", StringComparison.Ordinal);
        Assert.Contains("报出日期：2015年1月14日", Encoding.UTF8.GetString(await ExportAsync($"{breakdown}&reportDate=2015-01-14", "html")));
        var publication = await ProblemAsync(await Admin.GetAsync($"{breakdown}&format=xlsx&layout=publication", Ct), 400);
        Assert.Contains(publication.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "layout");
    }

    [Fact]
    public async Task The_Publication_Is_Dated_Under_The_Government_With_The_Report_Date_Given_And_Undated_Without()
    {
        // The report's appendix is dated (the seed's 二O一五年一月十四日): the office's 报出日期 dates 发布版 too, as it dates the form.
        var (town, name) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        foreach (var path in new[] { $"/v1/aggregates/{Catalogue2014}/2014?reporters={town}&layout=publication", $"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}?layout=publication" })
        {
            var dated = $"{path}&reportDate=2015-01-14";
            var html = Encoding.UTF8.GetString(await ExportAsync(dated, "html"));
            Assert.Contains($"<p class=\"period\">（{name}）</p>\n<p class=\"date\">2015年1月14日</p>\n", html);
            Assert.DoesNotContain("报出日期", html);
            var csv = Encoding.UTF8.GetString((await ExportAsync(dated, "csv"))[3..]).Split("\r\n");
            Assert.Equal(["2014年度政府信息公开工作情况统计表", $"（{name}）", "2015年1月14日", "统计指标,单位,统计数"], csv[..4]);
            var sheet = Open(await ExportAsync(dated, "xlsx"), out _)["统计表"];
            Assert.Equal(["2014年度政府信息公开工作情况统计表", $"（{name}）", "2015年1月14日", "统计指标"], new[] { "A1", "A2", "A3", "A4" }.Select(sheet.Text));
            Assert.Equal(HorizontalAlignmentValues.Right, sheet.Format("A3").Alignment?.Horizontal?.Value);
            Assert.Equal("'统计表'!$1:$4", sheet.PrintTitles);

            // Without a date it prints none: not the day the period was closed, which is not the report's.
            Assert.DoesNotContain("class=\"date\"", Encoding.UTF8.GetString(await ExportAsync(path, "html")));
            Assert.Equal("统计指标,单位,统计数", Encoding.UTF8.GetString((await ExportAsync(path, "csv"))[3..]).Split("\r\n")[2]);
        }
    }

    [Fact]
    public async Task A_Report_Date_After_Today_In_Beijing_Is_Refused_Wherever_A_Form_Is_Dated()
    {
        var (town, _) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        // Today as the district reads it, on the service's clock.
        var today = DateOnly.FromDateTime(Factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var shown = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var path in new[] { $"/v1/aggregates/{Catalogue2014}/2014?reporters={town}", $"/v1/aggregates/{Catalogue2014}/2014/breakdown?reporters={town}",
            $"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}" })
        {
            var query = path.Contains('?') ? "&" : "?";
            foreach (var ahead in new[] { today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "2099-01-01" })
            {
                var problem = await ProblemAsync(await Admin.GetAsync($"{path}{query}format=html&reportDate={ahead}", Ct), 400);
                Assert.StartsWith($"报出日期（reportDate）{ahead} 晚于今天（北京时间 {shown}）：",
                    Assert.Single(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "reportDate").GetProperty("reason").GetString());
                Assert.Contains($"reportDate {ahead} is after today ({shown}, Beijing time)", problem.GetProperty("detail").GetString());
            }
            // Today is a day the office may sign on.
            Assert.Contains($"报出日期：{today.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}", Encoding.UTF8.GetString(await ExportAsync($"{path}{query}reportDate={shown}", "html")));
        }
    }

    [Fact]
    public async Task One_Reporters_Own_Table_Is_Printed_In_A_Layout_And_Dated_As_The_District_Table_Narrowed_To_It()
    {
        var (town, name) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var own = $"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}";
        var narrowed = $"/v1/aggregates/{Catalogue2014}/2014?reporters={town}";

        // The same form, dated the same day, from either path, in every format.
        foreach (var format in new[] { "html", "csv" })
        {
            var dated = Encoding.UTF8.GetString(await ExportAsync($"{own}?reportDate=2015-01-14", format));
            Assert.Contains("报出日期：2015年1月14日", dated);
            Assert.Equal(Encoding.UTF8.GetString(await ExportAsync($"{narrowed}&reportDate=2015-01-14", format)), dated);
        }
        var sheet = Open(await ExportAsync($"{own}?reportDate=2015-01-14", "xlsx"), out _)["统计表"];
        Assert.NotNull(sheet.Find(t => t == "报出日期：2015年1月14日"));

        // The reporter's own annual report publishes its table: its name in brackets under the title, no form around it.
        var publication = Encoding.UTF8.GetString(await ExportAsync($"{own}?layout=publication", "html"));
        Assert.Contains("<h1>2014年度政府信息公开工作情况统计表</h1>", publication);
        Assert.Contains($"（{name}）", publication);
        Assert.DoesNotContain("报出日期", publication);
        Assert.Equal(Encoding.UTF8.GetString(await ExportAsync($"{narrowed}&layout=publication", "html")), publication);
        var response = await Admin.GetAsync($"{own}?layout=publication&format=csv", Ct);
        Assert.Equal($"{Catalogue2014}-2014-{town}-publication.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        // Refused as the district table refuses them: a layout that is neither, a day before the year ended, each named.
        var problem = await ProblemAsync(await Admin.GetAsync($"{own}?format=html&layout=appendix&reportDate=2014-06-01", Ct), 400);
        Assert.Equal(["layout", "reportDate"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("reason").GetString()!.StartsWith("报出日期（reportDate）2014-06-01 早于2014年度的最后一天", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_Printable_Page_Keeps_An_Item_With_Its_Parts_And_Prints_The_First_Level_Bold()
    {
        var (town, _) = await NamedReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var html = Encoding.UTF8.GetString(await ExportAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters={town}", "html"));

        // 3.1 and its five parts are one row group, kept on one page; 三、 is a heading group kept with the group after it.
        var groups = html.Split("<tbody").Skip(1).Select(g => g[..g.IndexOf("</tbody>", StringComparison.Ordinal)]).ToList();
        var group31 = groups.Single(g => g.Contains("data-code=\"3.1\"", StringComparison.Ordinal));
        Assert.Equal(["3.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5"],
            System.Text.RegularExpressions.Regex.Matches(group31, "data-code=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.StartsWith(" class=\"h\">", groups.Single(g => g.Contains("data-code=\"3\"", StringComparison.Ordinal)));
        Assert.Contains("tbody{break-inside:avoid}", html);
        Assert.Contains("tbody.h{break-after:avoid}", html);
        // 四、 to 十一、 are items of the first level as 一、 is: bold.
        Assert.Contains("<tr class=\"t\" data-code=\"4\">", html);
        Assert.Contains("<tr class=\"t\" data-code=\"11\">", html);
        Assert.Contains("tr.t td{font-weight:bold}", html.Replace("tr.h td,tr.t td", "tr.t td", StringComparison.Ordinal));
        var sheet = Open(await ExportAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters={town}", "xlsx"), out _)["统计表"];
        Assert.Equal(sheet.Format($"C{sheet.RowOf("1")}").FontId!.Value, sheet.Format($"C{sheet.RowOf("4")}").FontId!.Value);
        Assert.NotEqual(sheet.Format($"C{sheet.RowOf("4.1")}").FontId!.Value, sheet.Format($"C{sheet.RowOf("4")}").FontId!.Value);
    }

    [Fact]
    public void Text_That_Excel_Would_Run_As_A_Formula_Is_Written_As_Text_In_The_Csv_And_Numbers_Stay_Numbers()
    {
        var catalogue = Disclosure.Catalogue.Catalogue.Compile(new Disclosure.Catalogue.CatalogueDocument
        {
            Id = "formula-test", Title = "测试表", TitleEn = "test",
            Periods = new() { FromYear = 2020, Granularities = [Disclosure.Catalogue.Granularity.Year] },
            Units = [new() { Code = "件", NameEn = "cases" }],
            Tables = [new() { Id = "1", Title = "一", Rows = [new() { Code = "1", Role = Disclosure.Catalogue.RowRole.Value, Unit = "件", OverTime = Disclosure.Catalogue.OverTime.Flow, Name = "=HYPERLINK(\"http://x\",\"点我\")" }] }],
        });
        var table = new Disclosure.Api.Features.Aggregates.AggregateTable
        {
            Catalogue = "formula-test", Title = "测试表", Period = "2020",
            Rows = [new() { Table = "1", Code = "1", Name = "=HYPERLINK(\"http://x\",\"点我\")", Role = Disclosure.Catalogue.RowRole.Value, Unit = "件", Total = -3 }],
            Completeness = new() { Expected = 0, Submitted = 0, NotExpected = 0, Incomplete = [], Missing = [], ClosedWithYear = [], Closed = false, Reporters = [], Names = new Dictionary<string, string>() },
            Violations = [],
        };
        var lines = Encoding.UTF8.GetString(Disclosure.Api.Features.Aggregates.Exports.ToCsv(Disclosure.Api.Features.Aggregates.Exports.PrintoutOf(table, catalogue))[3..]).Split("\r\n");
        Assert.Equal("1,1,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",件,-3,,,", lines[1]);
    }

    [Fact]
    public void A_Tables_Sheet_Name_Is_One_Excel_And_Xml_Can_Carry_Whatever_The_Table_Id()
    {
        var names = Disclosure.Api.Features.Aggregates.PrintedSheet.TableSheetNames(["2", "a\u0001b", new string('x', 26) + "😀", "[x]:*?/"]);

        Assert.Equal("表2", names[0]);
        Assert.All(names, name =>
        {
            Assert.InRange(name.Length, 1, 31);
            Assert.True(Disclosure.Catalogue.PrintableText.IsPrintable(name), name);
            Assert.DoesNotContain(name, c => ":\\/?*[]".Contains(c));
        });
    }
}
