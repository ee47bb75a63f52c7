using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>
/// 分单位明细表 (<c>GET /v1/aggregates/{catalogue}/{period}/breakdown</c>): every reporter's figures side by side with the
/// district total, as JSON and as the sheets the office files. Each test owns its period or narrows to its own reporters.
/// </summary>
public sealed class AggregateBreakdownTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Catalogue2021 = "gov-info-disclosure-2021";

    /// <summary>The registry with some reporters gone from it, as one removed from the store's registry (or never in it) is.</summary>
    private sealed class Without(Disclosure.Storage.IReporterStore store, params string[] gone) : Disclosure.Storage.IReporterStore
    {
        public Task<Disclosure.Storage.CreateResult> CreateReporterAsync(Disclosure.Storage.Reporter reporter, CancellationToken ct) => store.CreateReporterAsync(reporter, ct);
        public async Task<Disclosure.Storage.Reporter?> GetReporterAsync(string id, CancellationToken ct) => gone.Contains(id) ? null : await store.GetReporterAsync(id, ct);
        public async Task<IReadOnlyList<Disclosure.Storage.Reporter>> ListReportersAsync(CancellationToken ct) => [.. (await store.ListReportersAsync(ct)).Where(r => !gone.Contains(r.Id))];
        public Task<Disclosure.Storage.UpdateResult> UpdateReporterAsync(string id, Disclosure.Storage.ReporterChange change, CancellationToken ct) => store.UpdateReporterAsync(id, change, ct);
    }

    [Fact]
    public async Task A_Reporter_No_Longer_Registered_Comes_Last_Of_Its_Kind_In_The_Breakdown_And_In_The_Completeness_Lists_Alike()
    {
        // The first registered of three towns is gone from the registry; its table still adds up into the district's.
        var towns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            towns.Add((await NamedReporterAsync("town", $"排序镇{i} {Guid.NewGuid():N}"[..14])).Id);
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, towns[i], "2014", SeedTable.Values)).StatusCode);
        }
        var services = Factory.Services;
        var aggregates = new Disclosure.Api.Features.Aggregates.AggregateService(
            services.GetRequiredService<Disclosure.Storage.ISubmissionStore>(), new Without(services.GetRequiredService<Disclosure.Storage.IReporterStore>(), towns[0]),
            services.GetRequiredService<Disclosure.Storage.IPeriodStore>(), services.GetRequiredService<Disclosure.Storage.IKeyStore>(),
            services.GetRequiredService<Disclosure.Catalogue.CatalogueRegistry>());
        Assert.True(services.GetRequiredService<Disclosure.Catalogue.CatalogueRegistry>().TryGet(Catalogue2014, out var catalogue));

        var (district, columns) = await aggregates.BreakdownAsync(catalogue, Disclosure.Catalogue.Period.Parse("2014"), towns, null, Ct);

        Assert.Equal([towns[1], towns[2], towns[0]], columns.Select(c => c.Reporter.Id));
        Assert.Equal(columns.Select(c => c.Reporter.Id), district.Completeness.Reporters.Select(r => r.Reporter));
    }

    private static string Breakdown(string catalogue, string period, string query = "") => $"/v1/aggregates/{catalogue}/{period}/breakdown{query}";

    /// <summary>A reporter whose name does not contain its id, registered a second after the one before it.</summary>
    private async Task<(string Id, string Name)> NamedReporterAsync(string kind, string name, string? id = null)
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        id ??= NewId(kind[..1]);
        if (kind == "government") await RetireGovernmentsAsync();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, Ct)).StatusCode);
        return (id, name);
    }

    private static Dictionary<string, JsonElement> Lines(JsonElement breakdown) =>
        breakdown.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("code").GetString()!);

    private static decimal? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();

    private async Task<byte[]> BytesAsync(string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await Admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Fact]
    public async Task The_Seed_Split_Across_32_Reporters_Shows_What_Each_Submitted_Blanks_Blank_And_The_District_Total()
    {
        const string period = "2013";
        var shares = SeedSplit.Create();
        var ids = new List<string>();
        // What each reporter's latest revision holds: the values it gave, and the sum parents the service derived for it.
        var stored = new List<Dictionary<string, decimal>>();
        async Task<Dictionary<string, decimal>> SubmitShareAsync(string id, Dictionary<string, decimal?> values)
        {
            var response = await SubmitAsync(Admin, id, period, values);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var table = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values").EnumerateArray()
                .ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal());
            Assert.All(values.Where(v => v.Value is not null), v => Assert.Equal(v.Value, table[v.Key]));
            return table;
        }
        foreach (var share in shares)
        {
            var (id, _) = await NamedReporterAsync(share.Kind, $"{share.Kind}单位{share.Index:D2}", $"z{shares.Count - ids.Count:D2}-{share.Kind}-{Guid.NewGuid():N}"[..24]);
            ids.Add(id);
            stored.Add(await SubmitShareAsync(id, share.Values));
        }
        // A town's earlier revision is replaced by its latest.
        var town = shares[^1];
        stored[^1] = await SubmitShareAsync(ids[^1], new Dictionary<string, decimal?>(town.Values) { ["10"] = (town.Values["10"] ?? 0) + 4 });

        var breakdown = await Admin.GetFromJsonAsync<JsonElement>(Breakdown(Catalogue2014, period), Ct);
        var district = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}", Ct);

        // Columns: the government, the 24 departments, the 7 towns, each kind in the order registered (the ids sort the other way).
        var columns = breakdown.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(ids, columns.Select(c => c.GetProperty("reporter").GetString()));
        Assert.Equal(shares.Select(s => s.Kind), columns.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal("department单位00", columns[1].GetProperty("name").GetString());

        // Lines: the catalogue's rows in table order; each value line holds what each reporter submitted, blank as null.
        var lines = breakdown.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(SeedTable.Rows.Select(r => r.Code), lines.Select(l => l.GetProperty("code").GetString()));
        var districtRows = district.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!);
        foreach (var line in lines.Where(l => l.GetProperty("role").GetString() == "value"))
        {
            var code = line.GetProperty("code").GetString()!;
            var values = line.GetProperty("values").EnumerateArray().Select(Number).ToList();
            Assert.Equal(stored.Select(s => s.TryGetValue(code, out var v) ? v : (decimal?)null), values);
            var total = Number(line.GetProperty("total"));
            Assert.Equal(Number(districtRows[code].GetProperty("total")), total);
            Assert.Equal(values.Any(v => v is not null) ? values.Sum() : null, total);
        }
        var byCode = Lines(breakdown);
        Assert.False(byCode["1"].TryGetProperty("values", out _)); // a header line has no figures
        // Blank is not zero: 3.1.2 was left blank by everyone, 4 was given as 0 by the government alone.
        Assert.All(byCode["3.1.2"].GetProperty("values").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        Assert.Equal(JsonValueKind.Null, byCode["3.1.2"].GetProperty("total").ValueKind);
        var four = byCode["4"].GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(0m, four[0].GetDecimal());
        Assert.All(four.Skip(1), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        Assert.Equal(SeedTable.Value("10") + 4, Number(byCode["10"].GetProperty("total")));
        Assert.Equal(32, breakdown.GetProperty("completeness").GetProperty("submitted").GetInt32());

        // ?kind= narrows the columns and the total as it narrows the district table.
        var towns = await Admin.GetFromJsonAsync<JsonElement>(Breakdown(Catalogue2014, period, "?kind=town"), Ct);
        var districtTowns = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}?kind=town", Ct))
            .GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, r => Number(r.GetProperty("total")));
        Assert.Equal(ids.TakeLast(SeedSplit.Towns), towns.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("reporter").GetString()));
        foreach (var (code, line) in Lines(towns).Where(l => l.Value.GetProperty("role").GetString() == "value"))
            Assert.Equal(districtTowns[code], Number(line.GetProperty("total")));
    }

    [Fact]
    public async Task The_Xlsx_Opens_With_Each_Reporter_Under_Its_Kind_A_Known_Cell_And_Blanks_Blank()
    {
        var (town, townName) = await NamedReporterAsync("town", $"榴园镇{Random.Shared.Next(100000, 999999)}");
        var (gov, govName) = await NamedReporterAsync("government", "峄城区人民政府办公室");
        var (dept, deptName) = await NamedReporterAsync("department", "区教育局");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, gov, "2014", [new("7.1", 2), new("7.2", 3)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, dept, "2014", [new("7.1", 0)])).StatusCode);

        var response = await Admin.GetAsync(Breakdown(Catalogue2014, "2014", $"?reporters={town},{gov},{dept}&format=xlsx"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        // Narrowed to three reporters, so not saved under the whole breakdown's name (DownloadNameTests has the names themselves).
        Assert.StartsWith("gov-info-disclosure-2014-2014-breakdown-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var workbook = doc.WorkbookPart!;
        var sheet = Assert.Single(workbook.Workbook.Sheets!.Elements<Sheet>());
        Assert.Equal("分单位明细", sheet.Name!.Value);
        var worksheet = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
        var cells = worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        string Text(string reference) => cells.TryGetValue(reference, out var c) ? c.InlineString?.InnerText ?? c.CellValue?.Text ?? "" : "";
        string RowOf(string code) => cells.Keys.Single(k => k.StartsWith('B') && char.IsDigit(k[1]) && Text(k) == code)[1..];

        // The title, then the kinds over the reporters' names, government first, then 合计 down both header rows.
        Assert.Contains("分单位明细", Text("A1"));
        Assert.Contains("2014年度", Text("A1"));
        Assert.Equal(["区政府本级", "区直部门", "乡镇街道", "合计"], new[] { "E3", "F3", "G3", "H3" }.Select(Text));
        Assert.Equal(["序号", "代码", "统计指标", "单位", govName, deptName, townName], new[] { "A3", "B3", "C3", "D3", "E4", "F4", "G4" }.Select(Text));
        var merges = worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value).ToList();
        Assert.Contains("H3:H4", merges);
        Assert.Contains("A3:A4", merges);

        // Known cells: the town's 3.1, the government's 7 (derived from its parts) beside the department's explicit 0, and blanks.
        var row31 = RowOf("3.1");
        Assert.Equal("60", Text($"G{row31}"));
        Assert.Null(cells[$"E{row31}"].CellValue);
        Assert.Equal("60", Text($"H{row31}"));
        var row71 = RowOf("7.1");
        Assert.Equal(["2", "0", SeedTable.Value("7.1")!.Value.ToString(CultureInfo.InvariantCulture)], new[] { "E", "F", "G" }.Select(c => Text($"{c}{row71}")));
        Assert.Equal((2 + SeedTable.Value("7.1")!.Value).ToString(CultureInfo.InvariantCulture), Text($"H{row71}"));
        Assert.Null(cells[$"F{RowOf("7.2")}"].CellValue);

        // Wide: the labels stay in view and on every printed page, printed at full size rather than squeezed to one page.
        var pane = worksheet.Descendants<Pane>().Single();
        Assert.Equal((4D, 4D, "E5"), (pane.HorizontalSplit!.Value, pane.VerticalSplit!.Value, pane.TopLeftCell!.Value));
        var titles = workbook.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == "_xlnm.Print_Titles");
        Assert.Equal("'分单位明细'!$A:$D,'分单位明细'!$1:$4", titles.Text);
        Assert.False(worksheet.GetFirstChild<SheetProperties>()!.PageSetupProperties!.FitToPage!.Value);

        var footer = cells.Keys.Single(k => Text(k).StartsWith("应报", StringComparison.Ordinal));
        Assert.Contains("已报 3 个", Text(footer));
    }

    [Fact]
    public async Task A_Wide_Xlsx_Keeps_Its_Title_And_Signatures_Within_The_First_Page_By_The_Labels()
    {
        var towns = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var (town, _) = await NamedReporterAsync("town", $"宽表镇{i:D2}{Guid.NewGuid():N}"[..12]);
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("7.1", i)])).StatusCode);
            towns.Add(town);
        }
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await BytesAsync(Breakdown(Catalogue2014, "2014", $"?reporters={string.Join(',', towns)}&format=xlsx"))), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var worksheet = doc.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var cells = worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        string Text(string reference) => cells.TryGetValue(reference, out var c) ? c.InlineString?.InnerText ?? c.CellValue?.Text ?? "" : "";
        var merges = worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToList();

        // 17 columns (4 labels, 12 towns, 合计): the title and the government line span the labels and six figures, as one
        // landscape page prints them and the sheet opens, not the 17 columns.
        Assert.Contains("分单位明细", Text("A1"));
        Assert.Contains("A1:J1", merges);
        Assert.Contains("A2:J2", merges);
        Assert.DoesNotContain(merges, m => m.EndsWith(":Q1", StringComparison.Ordinal) || m.EndsWith(":Q2", StringComparison.Ordinal));
        // 报出日期 and 填表人 beside 填报单位, by the labels, not half the sheet to the right.
        var unit = cells.Keys.Single(k => Text(k).StartsWith("填报单位（盖章）", StringComparison.Ordinal));
        var row = unit[1..];
        Assert.Equal("A" + row, unit);
        Assert.StartsWith("报出日期：", Text("D" + row));
        Assert.Contains($"A{row}:C{row}", merges);
        Assert.Contains($"D{row}:J{row}", merges);
        Assert.Equal("填表人：", Text($"D{int.Parse(row, CultureInfo.InvariantCulture) + 1}"));
    }

    [Fact]
    public async Task A_Wide_Xlsx_Wraps_A_Long_Completeness_Line_In_A_Row_As_Tall_As_Its_Text()
    {
        // Twelve towns sent their tables, eight with long names did not: the line under the table names the eight (未报).
        var towns = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var (town, _) = await NamedReporterAsync("town", $"未报名称很长的乡镇街道办事处{i:D2}号{Guid.NewGuid():N}"[..20]);
            if (i < 12) Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("7.1", i)])).StatusCode);
            towns.Add(town);
        }
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await BytesAsync(Breakdown(Catalogue2014, "2014", $"?reporters={string.Join(',', towns)}&format=xlsx"))), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var worksheet = doc.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var formats = doc.WorkbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var cell = worksheet.Descendants<Cell>().Single(c => c.InlineString?.InnerText.StartsWith("应报", StringComparison.Ordinal) == true);
        var text = cell.InlineString!.InnerText;
        Assert.Contains("未报", text);
        var row = (Row)cell.Parent!;
        Assert.Contains($"A{row.RowIndex!.Value}:J{row.RowIndex.Value}", worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!));

        // Merged over A:J (5 + 9 + 40 + 6 + 6 × 10 = 120 wide), a Chinese character two: it wraps, in a row of as many lines.
        Assert.True(formats[(int)cell.StyleIndex!.Value].Alignment?.WrapText?.Value, "The line under the table does not wrap.");
        var lines = (int)Math.Ceiling(text.Sum(c => c >= '\u2E80' ? 2 : 1) / 119D);
        Assert.True(lines >= 2, text);
        Assert.True(row.CustomHeight?.Value);
        Assert.Equal(lines * 14.25, row.Height!.Value, 3);
    }

    [Fact]
    public async Task The_Csv_Has_A_Bom_The_Kinds_Above_The_Names_And_Blank_Fields_For_Blanks()
    {
        var (gov, govName) = await NamedReporterAsync("government", "区政府办公室;本级");
        var (town, townName) = await NamedReporterAsync("town", "=阴平镇");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, gov, "2014", SeedTable.Values)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("13.1", 5)])).StatusCode);

        var bytes = await BytesAsync(Breakdown(Catalogue2014, "2014", $"?reporters={gov},{town}"), "text/csv");

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(",,,,区政府本级,乡镇街道,", lines[0]);
        // A name Excel would run as a formula is made inert; one holding ';' is quoted, which Excel splits at where ';' separates lists.
        Assert.Equal($"序号,代码,统计指标,单位,\"{govName}\",'{townName},合计", lines[1]);
        Assert.Single(lines, l => l.EndsWith(",3.1,（一）收到申请数,件,60,,60", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains(",13.1,", StringComparison.Ordinal) && l.EndsWith($",{SeedTable.Value("13.1")},5,{SeedTable.Value("13.1") + 5}", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains(",3.1.2,", StringComparison.Ordinal) && l.EndsWith("件,,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("应报", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_2021_Table_Has_A_Line_Per_Cell_In_Json_Csv_And_One_Sheet_Per_Table()
    {
        const string period = "2022";
        var sample = Catalogue2021RoundTripTests.Sample();
        var (dept, deptName) = await NamedReporterAsync("department", "区司法局");
        var (town, _) = await NamedReporterAsync("town", "坛山街道");
        foreach (var (reporter, values) in new[] { (dept, sample), (town, sample.Where(v => v.Key != "3.1:research").ToDictionary()) })
        {
            var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter, period, catalogue = Catalogue2021, values = values.Select(v => new { code = v.Key, value = v.Value }).ToArray(),
            }, Ct);
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }

        var breakdown = await Admin.GetFromJsonAsync<JsonElement>(Breakdown(Catalogue2021, period), Ct);
        var district = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/{period}", Ct);

        var lines = Lines(breakdown);
        var natural = lines["3.1:natural"];
        Assert.Equal(("3", "3.1", "natural", "件"), (natural.GetProperty("table").GetString(), natural.GetProperty("row").GetString(),
            natural.GetProperty("column").GetString(), natural.GetProperty("unit").GetString()));
        Assert.Contains("自然人", natural.GetProperty("name").GetString());
        Assert.Equal([sample["3.1:natural"], sample["3.1:natural"]], natural.GetProperty("values").EnumerateArray().Select(v => v.GetDecimal()));
        var research = lines["3.1:research"].GetProperty("values").EnumerateArray().ToList();
        Assert.Equal((JsonValueKind.Number, JsonValueKind.Null), (research[0].ValueKind, research[1].ValueKind));
        var districtCells = district.GetProperty("rows").EnumerateArray()
            .SelectMany(r => r.TryGetProperty("cells", out var c) ? c.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .ToDictionary(c => c.GetProperty("code").GetString()!, c => Number(c.GetProperty("total")));
        Assert.Equal(districtCells.Keys.Order(StringComparer.Ordinal), lines.Where(l => l.Value.GetProperty("role").GetString() == "value").Select(l => l.Key).Order(StringComparer.Ordinal));
        foreach (var (code, total) in districtCells) Assert.Equal(total, Number(lines[code].GetProperty("total")));
        Assert.Equal(2 * sample["2.8.1:fees"], Number(lines["2.8.1:fees"].GetProperty("total")));

        var csv = Encoding.UTF8.GetString((await BytesAsync(Breakdown(Catalogue2021, period, "?format=CSV")))[3..]);
        Assert.Contains($"1,3.1:natural,一、本年新收政府信息公开申请数量 · 自然人,件,{sample["3.1:natural"]},{sample["3.1:natural"]},{2 * sample["3.1:natural"]}", csv);

        using var doc = SpreadsheetDocument.Open(new MemoryStream(await BytesAsync(Breakdown(Catalogue2021, period, "?format=xlsx"))), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var sheets = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["表2", "表3", "表4"], sheets.Select(s => s.Name!.Value));
        var t3 = ((WorksheetPart)doc.WorkbookPart.GetPartById(sheets[1].Id!)).Worksheet.Descendants<Cell>()
            .ToDictionary(c => c.CellReference!.Value!, c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "");
        var row = t3.Single(c => c.Key.StartsWith('B') && c.Value == "3.1:natural").Key[1..];
        Assert.Equal(deptName, t3["E5"]);
        Assert.Equal(sample["3.1:natural"].ToString(CultureInfo.InvariantCulture), t3[$"E{row}"]);
        Assert.Equal((2 * sample["3.1:natural"]).ToString(CultureInfo.InvariantCulture), t3[$"G{row}"]);
    }

    [Fact]
    public async Task An_Unchanged_Breakdown_Answers_304_To_Its_ETag_Until_A_Reporter_Submits()
    {
        var (town, _) = await NamedReporterAsync("town", "古邵镇");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2016", [new("13.1", 1)])).StatusCode);
        var url = Breakdown(Catalogue2014, "2016", $"?reporters={town}&format=xlsx");
        var etag = (await Admin.GetAsync(url, Ct)).Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2016", [new("13.1", 2)])).StatusCode);
        var changed = new HttpRequestMessage(HttpMethod.Get, url);
        changed.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(changed, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Reporter_Key_May_Not_Read_It_A_Viewer_May_And_Unknown_Catalogues_Periods_And_Reporters_Are_Named()
    {
        var (town, _) = await NamedReporterAsync("town", "底阁镇");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2015", [new("13.1", 1)])).StatusCode);
        var (_, key) = await CreateKeyAsync("reporter", town);
        var (_, viewer) = await CreateKeyAsync("viewer");

        // Even its own figures: the breakdown holds every other reporter's.
        await ProblemAsync(await Factory.Client(key).GetAsync(Breakdown(Catalogue2014, "2015"), Ct), 403);
        await ProblemAsync(await Factory.Client(key).GetAsync(Breakdown(Catalogue2014, "2015", $"?reporters={town}"), Ct), 403);
        Assert.Equal(HttpStatusCode.OK, (await Factory.Client(viewer).GetAsync(Breakdown(Catalogue2014, "2015", $"?reporters={town}"), Ct)).StatusCode);
        await ProblemAsync(await Factory.Client().GetAsync(Breakdown(Catalogue2014, "2015"), Ct), 401);

        Assert.Contains("no-such-catalogue", (await ProblemAsync(await Admin.GetAsync(Breakdown("no-such-catalogue", "2015"), Ct), 404)).GetProperty("detail").GetString());
        Assert.Contains("2030", (await ProblemAsync(await Admin.GetAsync(Breakdown(Catalogue2014, "2030"), Ct), 404)).GetProperty("detail").GetString());
        await ProblemAsync(await Admin.GetAsync(Breakdown(Catalogue2021, "2015"), Ct), 404);
        var unknown = await ProblemAsync(await Admin.GetAsync(Breakdown(Catalogue2014, "2015", $"?reporters={town},nobody-here"), Ct), 422);
        Assert.Equal("unknown-reporter", Assert.Single(unknown.GetProperty("violations").EnumerateArray()).GetProperty("rule").GetString());
        await ProblemAsync(await Admin.GetAsync(Breakdown(Catalogue2014, "2015", "?kind=village"), Ct), 400);
        await ProblemAsync(await Admin.GetAsync(Breakdown(Catalogue2014, "2015", "?format=pdf"), Ct), 400);
        var png = new HttpRequestMessage(HttpMethod.Get, Breakdown(Catalogue2014, "2015"));
        png.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        await ProblemAsync(await Admin.SendAsync(png, Ct), 406);
    }

    [Fact]
    public async Task A_Quarterly_Reporter_Shows_Its_Year_From_Its_Quarters_As_Written_And_A_Renamed_One_Its_New_Name()
    {
        const string period = "2017";
        var (quarterly, _) = await NamedReporterAsync("town", "吴林街道");
        var (yearly, _) = await NamedReporterAsync("town", "峨山镇");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, quarterly, "2017Q1", [new("11", 0.35m), new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, quarterly, "2017Q2", [new("11", 0.15m), new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, yearly, period, [new("11", 0.5m)])).StatusCode);
        var query = $"?reporters={quarterly},{yearly}";
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync(Breakdown(Catalogue2014, period, query), Ct)).StatusCode); // cached before the rename
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/v1/reporters/{yearly}", new { name = "峨山镇人民政府" }, Ct)).StatusCode);

        var json = await Admin.GetStringAsync(Breakdown(Catalogue2014, period, query), Ct);
        var breakdown = JsonDocument.Parse(json).RootElement;
        var district = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}{query}", Ct);

        Assert.Equal([(quarterly, "吴林街道", "quarters"), (yearly, "峨山镇人民政府", "submission")], breakdown.GetProperty("columns").EnumerateArray()
            .Select(c => (c.GetProperty("reporter").GetString(), c.GetProperty("name").GetString(), c.GetProperty("source").GetString())));
        // 0.35 + 0.15 written as a figure is written everywhere else, not as 0.50.
        Assert.Contains("\"code\":\"11\",\"name\":\"十一、依申请公开信息收取的费用\",\"role\":\"value\",\"unit\":\"万元\",\"values\":[0.5,0.5],\"total\":1", json);
        var lines = Lines(breakdown);
        Assert.Equal([3m, null], lines["13.1"].GetProperty("values").EnumerateArray().Select(Number));
        var districtRows = district.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, r => Number(r.GetProperty("total")));
        Assert.Equal((districtRows["11"], districtRows["13.1"]), (Number(lines["11"].GetProperty("total")), Number(lines["13.1"].GetProperty("total"))));
        var csv = Encoding.UTF8.GetString((await BytesAsync(Breakdown(Catalogue2014, period, query + "&format=csv")))[3..]).Split("\r\n");
        // The sheets say which column is a year added up from quarterly tables, and which quarters it lacks; the JSON says it in `source` and `completeness`.
        Assert.Equal("序号,代码,统计指标,单位,吴林街道（据季报，缺第三、四季度）,峨山镇人民政府,合计", csv[1]);
        Assert.Single(csv, l => l.EndsWith(",11,十一、依申请公开信息收取的费用,万元,0.5,0.5,1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Period_Nobody_Reported_Has_No_Reporter_Columns_And_Blank_Totals()
    {
        var breakdown = await Admin.GetFromJsonAsync<JsonElement>(Breakdown(Catalogue2014, "2009"), Ct);
        Assert.Empty(breakdown.GetProperty("columns").EnumerateArray());
        var line = Lines(breakdown)["3.1"];
        Assert.Empty(line.GetProperty("values").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("total").ValueKind);
        var csv = Encoding.UTF8.GetString((await BytesAsync(Breakdown(Catalogue2014, "2009", "?format=csv")))[3..]).Split("\r\n");
        Assert.Equal("序号,代码,统计指标,单位,合计", csv[0]);
    }
}
