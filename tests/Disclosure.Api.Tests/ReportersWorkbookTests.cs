using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Features.Templates;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>分单位填报: every reporter's table side by side in one workbook, for the district office to fill and read back.</summary>
public sealed class ReportersWorkbookTests(ApiFactory factory) : ApiTest(factory)
{
    // A period no other test of this class's host writes to, so that each test's reporters are the only ones with tables.
    private static string NewYear() => (2015 + Random.Shared.Next(0, 5)).ToString(CultureInfo.InvariantCulture);

    private async Task<byte[]> TemplateAsync(HttpClient client, string period)
    {
        var response = await client.GetAsync($"/v1/templates/{Catalogue2014}/{period}/reporters", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SubmissionWorkbook.MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{Catalogue2014}-{period}-reporters.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private Task<HttpResponseMessage> ReadAsync(HttpClient client, byte[] workbook, string period)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        return client.PostAsync($"/v1/templates/{Catalogue2014}/{period}/reporters", content, Ct);
    }

    /// <summary>The sheet's rows, each as its cells' text by column letters.</summary>
    internal static List<Dictionary<string, string>> Rows(byte[] workbook)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var part = doc.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportersWorkbook.SheetName);
        return [.. ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>()
            .ToDictionary(c => new string([.. c.CellReference!.Value!.TakeWhile(char.IsLetter)]), c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? ""))];
    }

    /// <summary>The column letters under which the sheet names <paramref name="reporter"/>.</summary>
    internal static string ColumnOf(byte[] workbook, string reporter) =>
        Rows(workbook).Single(r => r.ContainsValue("填报单位代码 reporter")).Single(c => c.Value == reporter).Key;

    /// <summary>Types values into a reporter's column as a person would in Excel, each code's row found by its 代码 cell (column B).</summary>
    internal static byte[] Fill(byte[] workbook, string reporter, IReadOnlyDictionary<string, string?> values, bool asText = false)
    {
        var column = ColumnOf(workbook, reporter);
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportersWorkbook.SheetName);
            foreach (var row in ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>())
            {
                var code = row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == $"B{row.RowIndex!.Value}")?.InnerText;
                if (code is null || !values.TryGetValue(code, out var value)) continue;
                var reference = $"{column}{row.RowIndex!.Value}";
                var cell = row.Elements<Cell>().Single(c => c.CellReference!.Value == reference);
                cell.CellValue = value is null ? null : new CellValue(value);
                cell.InlineString = asText && value is not null ? new InlineString(new Text(value)) : null;
                cell.DataType = asText && value is not null ? CellValues.InlineString : null;
                if (asText) cell.CellValue = null;
            }
            doc.Save();
        }
        return stream.ToArray();
    }

    private static Dictionary<string, string?> SeedStrings() =>
        SeedTable.Values.ToDictionary(v => v.Key, v => v.Value?.ToString(CultureInfo.InvariantCulture));

    private static JsonElement ColumnIn(JsonElement read, string reporter) =>
        read.GetProperty("reporters").EnumerateArray().Single(c => c.GetProperty("reporter").GetString() == reporter);

    [Fact]
    public async Task The_Template_Has_A_Column_Per_Reporter_With_Its_Id_Its_Latest_Figures_And_The_Revision_They_Come_From()
    {
        var period = NewYear();
        var reported = await CreateReporterAsync("town");
        var missing = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reported, period, SeedTable.Values)).StatusCode);

        var template = await TemplateAsync(Admin, period);
        var rows = Rows(template);
        Assert.Equal(Catalogue2014, rows.Single(r => r.ContainsValue("统计表 catalogue"))["C"]);
        // The period as people read it, which an upload reads back as it reads the code an earlier build wrote there.
        Assert.Equal(Disclosure.Api.Infrastructure.AuditText.Period(period), rows.Single(r => r.ContainsValue("统计期 period"))["C"]);
        var (had, none) = (ColumnOf(template, reported), ColumnOf(template, missing));
        var header = rows.Single(r => r.TryGetValue("B", out var b) && b == "代码");
        Assert.Equal(("测试单位 " + reported, "测试单位 " + missing), (header[had], header[none]));
        var revisions = rows.Single(r => r.ContainsValue("据第几次修订 revision"));
        Assert.Equal(("1", "0"), (revisions[had], revisions[none]));
        var row31 = rows.Single(r => r.TryGetValue("B", out var b) && b == "3.1");
        Assert.Equal(("60", ""), (row31[had], row31.GetValueOrDefault(none, "")));
        Assert.Equal("件", row31["D"]);
        // Blank is not zero: a cell the reporter left blank stays empty under its name.
        Assert.Equal("", rows.Single(r => r.TryGetValue("B", out var b) && b == "3.1.2").GetValueOrDefault(had, ""));
    }

    [Fact]
    public async Task The_Same_Template_Is_The_Same_Bytes_Each_Time_And_Head_Gives_Its_Length()
    {
        var period = NewYear();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, await CreateReporterAsync("town"), period, SeedTable.Values)).StatusCode);
        var first = await TemplateAsync(Admin, period);
        Assert.Equal(first, await TemplateAsync(Admin, period));
        var head = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/templates/{Catalogue2014}/{period}/reporters"), Ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(first.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Read_Back_It_Says_Which_Columns_Changed_And_A_Changed_One_Submitted_With_Its_Revision_Is_Stored()
    {
        var period = NewYear();
        var reported = await CreateReporterAsync("town");
        var filled = await CreateReporterAsync("department");
        var left = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = reported, period, catalogue = Catalogue2014, note = "查阅点接待人数增加。",
            values = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        }, Ct)).StatusCode);

        var workbook = Fill(await TemplateAsync(Admin, period), filled, SeedStrings());
        var response = await ReadAsync(Admin, workbook, period);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((Catalogue2014, period), (read.GetProperty("catalogue").GetString(), read.GetProperty("period").GetString()));
        var same = ColumnIn(read, reported);
        Assert.Equal(("unchanged", 1, 1), (same.GetProperty("state").GetString(), same.GetProperty("madeFromRevision").GetInt32(), same.GetProperty("currentRevision").GetInt32()));
        // The current revision's 填报说明, to go on with a new one; none where there is no revision.
        Assert.Equal("查阅点接待人数增加。", same.GetProperty("note").GetString());
        Assert.False(ColumnIn(read, filled).TryGetProperty("note", out _));
        Assert.Equal("blank", ColumnIn(read, left).GetProperty("state").GetString());
        // Only a changed column carries its figures: an unchanged one's are its current revision's, a blank one has none.
        Assert.False(same.TryGetProperty("values", out _));
        Assert.False(ColumnIn(read, left).TryGetProperty("values", out _));
        var changed = ColumnIn(read, filled);
        Assert.Equal(("changed", 0, 0), (changed.GetProperty("state").GetString(), changed.GetProperty("madeFromRevision").GetInt32(), changed.GetProperty("currentRevision").GetInt32()));
        Assert.Equal("测试单位 " + filled, changed.GetProperty("name").GetString());
        var values = changed.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal());
        Assert.Equal(SeedTable.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value), values);
        // Nothing is stored by the reading.
        Assert.Equal(0, (await RevisionsAsync(filled, period)).GetArrayLength());

        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = filled, period, catalogue = Catalogue2014, values = changed.GetProperty("values"), expectedRevision = changed.GetProperty("madeFromRevision").GetInt32(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        // The same workbook read again: that column is now the reporter's current revision.
        var again = await (await ReadAsync(Admin, workbook, period)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("unchanged", 1), (ColumnIn(again, filled).GetProperty("state").GetString(), ColumnIn(again, filled).GetProperty("currentRevision").GetInt32()));
    }

    [Fact]
    public async Task A_Figure_Changed_In_A_Column_Makes_It_Changed_And_Its_Submission_Is_Judged_As_Any_Table()
    {
        var period = NewYear();
        var reporter = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, SeedTable.Values)).StatusCode);
        // 3.1.1 up by one without its parent: the sum rule refuses the table when it is submitted, not when it is read.
        var workbook = Fill(await TemplateAsync(Admin, period), reporter, new Dictionary<string, string?> { ["3.1.1"] = "53" });
        var column = ColumnIn(await (await ReadAsync(Admin, workbook, period)).Content.ReadFromJsonAsync<JsonElement>(Ct), reporter);
        Assert.Equal("changed", column.GetProperty("state").GetString());
        var refused = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period, catalogue = Catalogue2014, values = column.GetProperty("values"), expectedRevision = 1,
        }, Ct);
        var problem = await ProblemAsync(refused, 422);
        Assert.Contains(problem.GetProperty("violations").EnumerateArray(), v => v.GetProperty("codes").EnumerateArray().Any(c => c.GetString() == "3.1"));
    }

    [Fact]
    public async Task A_Cell_That_Is_Not_A_Number_Is_A_400_Naming_The_Sheet_Cell_And_Indicator()
    {
        var period = NewYear();
        var reporter = await CreateReporterAsync("town");
        var template = await TemplateAsync(Admin, period);
        var workbook = Fill(template, reporter, new Dictionary<string, string?> { ["3.1"] = "无" }, asText: true);
        var problem = await ProblemAsync(await ReadAsync(Admin, workbook, period), 400);
        var row = Rows(template).FindIndex(r => r.TryGetValue("B", out var b) && b == "3.1") + 1;
        var error = problem.GetProperty("errors")[0];
        Assert.Equal($"Sheet {ReportersWorkbook.SheetName}, cell {ColumnOf(template, reporter)}{row}", error.GetProperty("name").GetString());
        Assert.Contains("（指标 3.1）", error.GetProperty("reason").GetString());
        Assert.Contains("“无”", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Every_Cell_That_Is_Not_A_Number_Is_Named_In_One_400()
    {
        var period = NewYear();
        var (town, other) = (await CreateReporterAsync("town"), await CreateReporterAsync("town"));
        var template = await TemplateAsync(Admin, period);
        var workbook = Fill(Fill(template, town, new Dictionary<string, string?> { ["1.1"] = "五", ["3.1"] = "—" }, asText: true),
            other, new Dictionary<string, string?> { ["1.2.1"] = "十二" }, asText: true);
        var problem = await ProblemAsync(await ReadAsync(Admin, workbook, period), 400);
        string Cell(string reporter, string code) =>
            $"Sheet {ReportersWorkbook.SheetName}, cell {ColumnOf(template, reporter)}{Rows(template).FindIndex(r => r.TryGetValue("B", out var b) && b == code) + 1}";
        var errors = problem.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("reason").GetString()!);
        Assert.Equal(3, errors.Count);
        Assert.Contains("“五”", errors[Cell(town, "1.1")]);
        Assert.Contains("“—”", errors[Cell(town, "3.1")]);
        Assert.Contains("“十二”", errors[Cell(other, "1.2.1")]);
    }

    /// <summary>The workbook with the cell beside a label (column C) typed over, as the office reusing last year's file does.</summary>
    private static byte[] Retyped(byte[] workbook, string label, string text)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportersWorkbook.SheetName);
            var row = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().Single(r => r.Elements<Cell>().Any(c => c.InnerText == label));
            row.Elements<Cell>().Single(c => c.CellReference!.Value!.StartsWith('C')).InlineString = new InlineString(new Text(text));
            doc.Save();
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task Last_Years_Workbook_With_Its_Period_Typed_Over_Reads_Each_Column_As_Made_From_No_Revision_Of_This_Year()
    {
        var year = NewYear();
        var next = (int.Parse(year, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        var reporter = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, year, SeedTable.Values)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, next, [new("13.1", 2)])).StatusCode);
        var reused = Retyped(Fill(await TemplateAsync(Admin, year), reporter, new Dictionary<string, string?> { ["13.1"] = "7" }), "统计期 period", next);

        var response = await ReadAsync(Admin, reused, next);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var column = ColumnIn(await response.Content.ReadFromJsonAsync<JsonElement>(Ct), reporter);
        // Revision 1 of last year's table, the same number as this year's: read as this year's, it would pass for the current one.
        Assert.Equal(("changed", 0, 1), (column.GetProperty("state").GetString(), column.GetProperty("madeFromRevision").GetInt32(), column.GetProperty("currentRevision").GetInt32()));
        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = next, catalogue = Catalogue2014, values = column.GetProperty("values"), expectedRevision = column.GetProperty("madeFromRevision").GetInt32(),
        }, Ct);
        Assert.Equal(1, (await ProblemAsync(submitted, 409)).GetProperty("currentRevision").GetInt32());
        Assert.Equal(1, (await RevisionsAsync(reporter, next)).GetArrayLength());
    }

    [Theory]
    [InlineData("", "{0}年", "{0}")]
    [InlineData("", "{1}年度", "{0}")]
    [InlineData("", "{1}", "{0}")]
    [InlineData("Q3", "{0}年第三季度", "{0}Q3")]
    [InlineData("Q3", "{1}q3", "{0}Q3")]
    // The code, as a template of an earlier build wrote it (a template now writes 2014年度, 2014年第3季度).
    [InlineData("", "{0}", "{0}")]
    [InlineData("Q3", "{0}Q3", "{0}Q3")]
    public async Task A_Period_Typed_As_The_Pages_Take_It_Reads_As_That_Period(string quarter, string typedAs, string periodAs)
    {
        var year = NewYear();
        var fullWidth = new string([.. year.Select(d => (char)(d + 0xFEE0))]);
        var (typed, period) = (string.Format(CultureInfo.InvariantCulture, typedAs, year, fullWidth), string.Format(CultureInfo.InvariantCulture, periodAs, year));
        var reporter = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, SeedTable.Values)).StatusCode);
        var workbook = Retyped(await TemplateAsync(Admin, year + quarter), "统计期 period", typed);

        var response = await ReadAsync(Admin, workbook, period);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(period, read.GetProperty("period").GetString());
        // The period typed another way is the same period: the column is still revision 1 of the reporter's table, unchanged.
        Assert.Equal(("unchanged", 1), (ColumnIn(read, reporter).GetProperty("state").GetString(), ColumnIn(read, reporter).GetProperty("madeFromRevision").GetInt32()));
    }

    [Fact]
    public async Task A_Period_The_Pages_Would_Not_Take_Is_A_400_Naming_The_Cell_And_What_It_Holds()
    {
        var period = NewYear();
        var template = await TemplateAsync(Admin, period);
        var problem = await ProblemAsync(await ReadAsync(Admin, Retyped(template, "统计期 period", period + "年上半年"), period), 400);
        var row = Rows(template).FindIndex(r => r.ContainsValue("统计期 period")) + 1;
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal($"Sheet {ReportersWorkbook.SheetName}, cell C{row}", error.GetProperty("name").GetString());
        Assert.Contains($"“{period}年上半年”，不是统计期", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_Column_Whose_Reporter_Id_Was_Typed_Over_Is_Made_From_No_Revision_And_A_Workbook_Of_An_Earlier_Build_Reads_Its_Revision_Row()
    {
        var period = NewYear();
        var first = await CreateReporterAsync("town");
        var second = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, first, period, SeedTable.Values)).StatusCode);
        // A correction (the same table again would store nothing).
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, first, period,
            SeedTable.Values.Select(v => v.Key == "13.1" ? new KeyValuePair<string, decimal?>(v.Key, v.Value + 1) : v))).StatusCode);
        var template = await TemplateAsync(Admin, period);
        // The first reporter's column (revision 2) headed with another reporter's id, one the download did not hold.
        var stranger = await CreateReporterAsync("town");
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportersWorkbook.SheetName);
            ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>().Single(c => c.InnerText == first).InlineString = new InlineString(new Text(stranger));
            doc.Save();
        }
        var retyped = stream.ToArray();

        var read = await (await ReadAsync(Admin, retyped, period)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(0, ColumnIn(read, stranger).GetProperty("madeFromRevision").GetInt32());
        Assert.Equal(0, ColumnIn(read, second).GetProperty("madeFromRevision").GetInt32());

        // Without the hidden names (a workbook of the build before them), each column's revision row is read as it was.
        using var old = new MemoryStream();
        old.Write(template);
        using (var doc = SpreadsheetDocument.Open(old, true))
        {
            foreach (var name in doc.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Where(d => d.Name!.Value!.StartsWith(ReportersWorkbook.RevisionName)).ToList())
                name.Remove();
            doc.Save();
        }
        var earlier = await (await ReadAsync(Admin, old.ToArray(), period)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, ColumnIn(earlier, first).GetProperty("madeFromRevision").GetInt32());
        Assert.Equal(2, ColumnIn(await (await ReadAsync(Admin, template, period)).Content.ReadFromJsonAsync<JsonElement>(Ct), first).GetProperty("madeFromRevision").GetInt32());
    }

    /// <summary>
    /// The workbook with the id cell of <paramref name="reporter"/>'s column typed over with <paramref name="text"/>, or cleared
    /// (removed, as Excel's Delete leaves it) when null; and that cell's reference.
    /// </summary>
    private static (byte[] Workbook, string Cell) Headed(byte[] workbook, string reporter, string? text)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        string reference;
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportersWorkbook.SheetName);
            var cell = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>().Single(c => c.InnerText == reporter);
            reference = cell.CellReference!.Value!;
            if (text is null) cell.Remove();
            else cell.InlineString = new InlineString(new Text(text));
            doc.Save();
        }
        return (stream.ToArray(), reference);
    }

    private static string IdCell(string cell) => $"Sheet {ReportersWorkbook.SheetName}, cell {cell}";

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Figures_Under_An_Id_Cell_Cleared_Or_Left_With_Spaces_Are_A_400_Naming_The_Id_Cell(string? cleared)
    {
        var period = NewYear();
        var (reporter, idle) = (await CreateReporterAsync("town"), await CreateReporterAsync("town"));
        var template = await TemplateAsync(Admin, period);
        var (workbook, cell) = Headed(Fill(template, reporter, SeedStrings()), reporter, cleared);

        var problem = await ProblemAsync(await ReadAsync(Admin, workbook, period), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(IdCell(cell), error.GetProperty("name").GetString());
        var reason = error.GetProperty("reason").GetString()!;
        Assert.StartsWith($"工作表“{ReportersWorkbook.SheetName}”{cell} 格（填报单位代码）是空的", reason);
        Assert.Contains("没有填报单位的数字无法录入", reason);
        Assert.Contains("figures without a reporter cannot be entered", reason);
        Assert.Equal(0, (await RevisionsAsync(reporter, period)).GetArrayLength());
        // An id cleared above an empty column leaves nothing to enter: the column is not read, the others are.
        var (empty, _) = Headed(Fill(template, reporter, SeedStrings()), idle, cleared);
        var read = await (await ReadAsync(Admin, empty, period)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("changed", ColumnIn(read, reporter).GetProperty("state").GetString());
        Assert.DoesNotContain(read.GetProperty("reporters").EnumerateArray(), c => c.GetProperty("reporter").GetString() == idle);
    }

    [Fact]
    public async Task A_Reporters_Registered_Name_Or_Its_Id_In_Capitals_Typed_In_The_Id_Cell_Reads_As_Its_Id()
    {
        var period = NewYear();
        var (named, capitals) = (NewId(), await CreateReporterAsync("town"));
        var name = $"测试镇 Café {named}";
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = named, name, kind = "town" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, named, period, SeedTable.Values)).StatusCode);
        var template = await TemplateAsync(Admin, period);
        // The name with spaces around it, and its é decomposed (NFD), as some input methods and pasted text give it.
        var (byName, _) = Headed(template, named, $"  {name.Normalize(System.Text.NormalizationForm.FormD)}\u3000");
        var (workbook, _) = Headed(Fill(byName, capitals, new Dictionary<string, string?> { ["13.1"] = "4" }), capitals, capitals.ToUpperInvariant());

        var response = await ReadAsync(Admin, workbook, period);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // The same reporter's column, its figures those of revision 1: unchanged, not to be submitted again.
        var same = ColumnIn(read, named);
        Assert.Equal((name, "unchanged", 1), (same.GetProperty("name").GetString(), same.GetProperty("state").GetString(), same.GetProperty("madeFromRevision").GetInt32()));
        var changed = ColumnIn(read, capitals);
        Assert.Equal(("测试单位 " + capitals, "changed", 0), (changed.GetProperty("name").GetString(), changed.GetProperty("state").GetString(), changed.GetProperty("madeFromRevision").GetInt32()));
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = changed.GetProperty("reporter").GetString(), period, catalogue = Catalogue2014, values = changed.GetProperty("values"), expectedRevision = 0,
        }, Ct)).StatusCode);
    }

    [Fact]
    public async Task An_Id_Cell_That_Is_Neither_A_Reporters_Id_Nor_Its_Name_Is_A_400_Naming_The_Cell()
    {
        var period = NewYear();
        var reporter = await CreateReporterAsync("town");
        var (workbook, cell) = Headed(Fill(await TemplateAsync(Admin, period), reporter, SeedStrings()), reporter, "测试镇0");

        var problem = await ProblemAsync(await ReadAsync(Admin, workbook, period), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(IdCell(cell), error.GetProperty("name").GetString());
        Assert.StartsWith($"工作表“{ReportersWorkbook.SheetName}”{cell} 格（填报单位代码）填的是“测试镇0”，既不是已登记填报单位的代码，也不是其名称", error.GetProperty("reason").GetString());
        Assert.Equal(error.GetProperty("reason").GetString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Text_That_Is_One_Reporters_Name_And_Another_Reporters_Id_In_Capitals_Is_A_400_Naming_Both()
    {
        var period = NewYear();
        var reporter = await CreateReporterAsync("town");
        var (other, typed) = (NewId(), NewId().ToUpperInvariant());
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = other, name = typed, kind = "town" }, Ct)).StatusCode);
        // Registered before the service refused an id that is another reporter's name (reporter-id-name-clash): written to the store.
        var owner = await RegisteredBeforeTheRuleAsync(typed.ToLowerInvariant(), "测试单位 " + typed.ToLowerInvariant());
        var (workbook, cell) = Headed(await TemplateAsync(Admin, period), reporter, typed);

        var problem = await ProblemAsync(await ReadAsync(Admin, workbook, period), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(IdCell(cell), error.GetProperty("name").GetString());
        Assert.Contains($" {owner}（测试单位 {owner}），也可能是 {other}（{typed}）", error.GetProperty("reason").GetString());
    }

    /// <summary>
    /// A town as a store written before the service refused a name that is another reporter's id (or the reverse) may hold it:
    /// written to the store directly, past the registration's check (reporter-id-name-clash).
    /// </summary>
    private async Task<string> RegisteredBeforeTheRuleAsync(string id, string name)
    {
        var store = Factory.Services.GetRequiredService<Disclosure.Storage.IReporterStore>();
        var created = await store.CreateReporterAsync(new Disclosure.Storage.Reporter(id, name, Disclosure.Storage.ReporterKind.Town, DateTimeOffset.UtcNow), Ct);
        Assert.Equal(Disclosure.Storage.CreateStatus.Created, created.Status);
        return id;
    }

    [Fact]
    public async Task Text_That_Is_One_Reporters_Exact_Id_And_Another_Reporters_Name_Is_The_Reporter_Whose_Id_It_Is_And_Is_Named_So()
    {
        // The rule README states: the id is what the template writes, so a column left as it came reads back as made.
        var period = NewYear();
        var (owner, other) = (await CreateReporterAsync("town"), NewId());
        await RegisteredBeforeTheRuleAsync(other, owner);
        var workbook = Fill(await TemplateAsync(Admin, period), owner, SeedStrings());

        var read = await (await ReadAsync(Admin, workbook, period)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var column = ColumnIn(read, owner);
        Assert.Equal(("测试单位 " + owner, "changed"), (column.GetProperty("name").GetString(), column.GetProperty("state").GetString()));
        // The reporter the text names by name has its own column, read as its own.
        Assert.Equal("blank", ColumnIn(read, other).GetProperty("state").GetString());
    }

    [Fact]
    public async Task One_Reporter_In_Two_Columns_Is_A_400_Naming_Both_Id_Cells()
    {
        var period = NewYear();
        var (reporter, other, third) = (await CreateReporterAsync("town"), await CreateReporterAsync("town"), await CreateReporterAsync("town"));
        var template = await TemplateAsync(Admin, period);
        // Another column pasted over with the reporter's figures and its name; and a third column's figures not a number.
        var (pasted, second) = Headed(Fill(Fill(template, reporter, SeedStrings()), other, SeedStrings()), other, "测试单位 " + reporter);
        var workbook = Fill(pasted, third, new Dictionary<string, string?> { ["3.1"] = "无" }, asText: true);
        var first = $"{ColumnOf(template, reporter)}{Rows(template).FindIndex(r => r.ContainsValue("填报单位代码 reporter")) + 1}";

        var problem = await ProblemAsync(await ReadAsync(Admin, workbook, period), 400);

        var errors = problem.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("reason").GetString()!);
        Assert.Equal(3, errors.Count);
        Assert.StartsWith($"工作表“{ReportersWorkbook.SheetName}”{first} 格（填报单位代码）与 {second} 格是同一个填报单位 {reporter}（测试单位 {reporter}）", errors[IdCell(first)]);
        Assert.StartsWith($"工作表“{ReportersWorkbook.SheetName}”{second} 格（填报单位代码）与 {first} 格是同一个填报单位 {reporter}", errors[IdCell(second)]);
        // The figure that is not a number is named in the same round.
        Assert.Contains("“无”", errors[IdCell($"{ColumnOf(template, third)}{Rows(template).FindIndex(r => r.TryGetValue("B", out var b) && b == "3.1") + 1}")]);
        Assert.Equal("工作簿中有 3 个格需要改正，见 errors：请逐一改正后重新上传。The workbook has 3 cells to mend; each is listed in errors.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, period)).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_Of_Another_Period_Or_Not_This_Template_Is_Refused()
    {
        var reporter = await CreateReporterAsync("town");
        var mismatch = await ProblemAsync(await ReadAsync(Admin, await TemplateAsync(Admin, "2016"), "2017"), 422);
        Assert.Equal("workbook-mismatch", mismatch.GetProperty("violations")[0].GetProperty("rule").GetString());

        // A reporter's own template is not the district's sheet.
        var own = await Admin.GetAsync($"/v1/templates/{Catalogue2014}/2016?reporter={reporter}", Ct);
        var notThis = await ProblemAsync(await ReadAsync(Admin, await own.Content.ReadAsByteArrayAsync(Ct), "2016"), 400);
        Assert.Contains(ReportersWorkbook.SheetName, notThis.GetProperty("detail").GetString());

        var json = await Admin.PostAsJsonAsync($"/v1/templates/{Catalogue2014}/2016/reporters", new { reporter }, Ct);
        Assert.Contains(SubmissionWorkbook.MediaType, (await ProblemAsync(json, 415)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Client_That_Takes_Only_Json_Is_Told_Both_Templates_Are_Workbooks()
    {
        var reporter = await CreateReporterAsync("town");
        foreach (var path in new[] { $"/v1/templates/{Catalogue2014}/2016/reporters", $"/v1/templates/{Catalogue2014}/2016?reporter={reporter}" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("application/json");
            var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 406);
            Assert.Contains(SubmissionWorkbook.MediaType, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Only_The_District_Office_May_Download_Or_Read_It()
    {
        var reporter = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", reporter);
        using var town = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync($"/v1/templates/{Catalogue2014}/2016/reporters", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReadAsync(town, await TemplateAsync(Admin, "2016"), "2016")).StatusCode);
    }

    /// <summary>The reporter ids the template has a column for, left to right.</summary>
    private static List<string> Heads(byte[] workbook) =>
        [.. Rows(workbook).Single(r => r.ContainsValue("填报单位代码 reporter")).Where(c => c.Key.Length > 1 || c.Key[0] > 'D').OrderBy(c => (c.Key.Length, c.Key)).Select(c => c.Value)];

    private async Task<HttpResponseMessage> NarrowedAsync(string period, string query) =>
        await Admin.GetAsync($"/v1/templates/{Catalogue2014}/{period}/reporters?{query}", Ct);

    [Fact]
    public async Task Status_NotSubmitted_Gives_A_Column_Only_For_Reporters_Without_A_Table_Not_For_A_Returned_One()
    {
        var period = NewYear();
        var reported = await CreateReporterAsync("town");
        var returned = await CreateReporterAsync("town");
        var lateTown = await CreateReporterAsync("town");
        var lateDepartment = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reported, period, SeedTable.Values)).StatusCode);
        var sent = await SubmitAsync(Admin, returned, period, SeedTable.Values);
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = "12.2 与台账不符" }, Ct)).StatusCode);

        var response = await NarrowedAsync(period, "status=notSubmitted");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Named apart from the whole workbook, so that both can be downloaded side by side.
        Assert.Equal($"{Catalogue2014}-{period}-reporters-notSubmitted.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var template = await response.Content.ReadAsByteArrayAsync(Ct);
        var heads = Heads(template);
        // 未报 as the district table's completeness has it: those without a table; a returned table is a table, counted as submitted.
        // (Of a year, with those whose quarters are still to come: the overview's 未报 list.)
        var completeness = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{period}", Ct)).GetProperty("completeness");
        var missing = completeness.GetProperty("missing").EnumerateArray().Concat(completeness.GetProperty("incomplete").EnumerateArray()).Select(e => e.GetString()!);
        Assert.Equal(missing.Order(StringComparer.Ordinal), heads.Order(StringComparer.Ordinal));
        Assert.Contains(lateTown, heads);
        Assert.Contains(lateDepartment, heads);
        Assert.DoesNotContain(reported, heads);
        Assert.DoesNotContain(returned, heads);
        Assert.Contains(Rows(template), r => r.Values.Any(v => v.Contains("本模板只列出未报（没有本期报表）的填报单位")));
        // With a kind, the towns among them; the whole workbook still has every column and says nothing of a narrowing.
        var towns = Heads(await (await NarrowedAsync(period, "status=NOTSUBMITTED&kind=town")).Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains(lateTown, towns);
        Assert.DoesNotContain(lateDepartment, towns);
        var whole = await TemplateAsync(Admin, period);
        Assert.Superset(new HashSet<string> { reported, returned, lateTown, lateDepartment }, Heads(whole).ToHashSet());
        Assert.DoesNotContain(Rows(whole), r => r.Values.Any(v => v.Contains("本模板只列出")));
    }

    [Fact]
    public async Task Of_A_Year_Status_NotSubmitted_Takes_A_Reporter_With_Quarters_Still_To_Come_Not_One_With_All_Four()
    {
        var period = NewYear();
        var someQuarters = await CreateReporterAsync("town");
        var allQuarters = await CreateReporterAsync("town");
        for (var q = 1; q <= 4; q++)
            foreach (var reporter in q == 1 ? [someQuarters, allQuarters] : new[] { allQuarters })
                Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, $"{period}Q{q}",
                    new Dictionary<string, decimal?> { ["1.2.1"] = 100, ["3.1.1"] = 10, ["3.1.3"] = 5, ["12.2"] = 5 })).StatusCode);

        var heads = Heads(await (await NarrowedAsync(period, "status=notSubmitted")).Content.ReadAsByteArrayAsync(Ct));
        // 季报未报齐: no table of the year, and the overview lists it as 未报 with its quarters to come.
        Assert.Contains(someQuarters, heads);
        Assert.DoesNotContain(allQuarters, heads);
    }

    [Fact]
    public async Task Of_A_Year_A_Column_Added_Up_From_Quarters_Is_Marked_So_Not_Left_Blank_As_If_Nothing_Was_Sent()
    {
        var period = NewYear();
        var someQuarters = await CreateReporterAsync("town");
        var allQuarters = await CreateReporterAsync("town");
        var yearTable = await CreateReporterAsync("town");
        var nothing = await CreateReporterAsync("town");
        var figures = new Dictionary<string, decimal?> { ["1.2.1"] = 100, ["3.1.1"] = 10, ["3.1.3"] = 5, ["12.2"] = 5 };
        for (var q = 1; q <= 4; q++)
            foreach (var reporter in q < 4 ? [someQuarters, allQuarters] : new[] { allQuarters })
                Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, $"{period}Q{q}", figures)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, yearTable, period, SeedTable.Values)).StatusCode);

        var template = await TemplateAsync(Admin, period);
        var rows = Rows(template);
        var revisions = rows.Single(r => r.ContainsValue("据第几次修订 revision"));
        // As the overview's 版本 column says it: the year is its quarters', counted in the district table, not a column nobody sent.
        Assert.Equal(("据季报（3 个季度）", "据季报（4 个季度）", "1", "0"),
            (revisions[ColumnOf(template, someQuarters)], revisions[ColumnOf(template, allQuarters)], revisions[ColumnOf(template, yearTable)], revisions[ColumnOf(template, nothing)]));
        Assert.Contains(rows, r => r.Values.Any(v => v.Contains("标“据季报”的单位没有年报", StringComparison.Ordinal)));
        // Read back untouched, those columns are blank, submitting nothing; a quarter's workbook has no such mark.
        var read = await (await ReadAsync(Admin, template, period)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("blank", 0), (ColumnIn(read, allQuarters).GetProperty("state").GetString(), ColumnIn(read, allQuarters).GetProperty("madeFromRevision").GetInt32()));
        var quarter = Rows(await (await Admin.GetAsync($"/v1/templates/{Catalogue2014}/{period}Q1/reporters", Ct)).Content.ReadAsByteArrayAsync(Ct));
        Assert.DoesNotContain(quarter, r => r.Values.Any(v => v.Contains("据季报", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reporters_And_Kind_Narrow_The_Columns_As_They_Narrow_The_District_Table()
    {
        var period = NewYear();
        var town = await CreateReporterAsync("town");
        var otherTown = await CreateReporterAsync("town");
        var department = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, period, SeedTable.Values)).StatusCode);

        // In the template's order (by kind), whatever the list's; filled in as the whole workbook is.
        var named = await (await NarrowedAsync(period, $"reporters={town},{department}")).Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([department, town], Heads(named));
        Assert.Equal("60", Rows(named).Single(r => r.TryGetValue("B", out var b) && b == "3.1")[ColumnOf(named, town)]);
        Assert.Equal([town], Heads(await (await NarrowedAsync(period, $"reporters={town},{department}&kind=town")).Content.ReadAsByteArrayAsync(Ct)));
        Assert.DoesNotContain(otherTown, Heads(await (await NarrowedAsync(period, "kind=department")).Content.ReadAsByteArrayAsync(Ct)));
        // Nobody left: the template without columns, which reads back as nothing.
        var none = await NarrowedAsync(period, $"reporters={town}&status=notSubmitted");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        var empty = await none.Content.ReadAsByteArrayAsync(Ct);
        Assert.Empty(Heads(empty));
        Assert.Contains(Rows(empty).SelectMany(r => r.Values), v => v.EndsWith("本期没有这样的填报单位，本模板没有可填的列。", StringComparison.Ordinal));
        Assert.DoesNotContain(Rows(named).SelectMany(r => r.Values), v => v.Contains("没有可填的列", StringComparison.Ordinal));
        var read = await (await ReadAsync(Admin, empty, period)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(0, read.GetProperty("reporters").GetArrayLength());
    }

    [Theory]
    [InlineData("status=late", "status")]
    [InlineData("status=missing", "status")]
    [InlineData("status=", "status")]
    [InlineData("reporters=a-town,,b-town", "reporters")]
    [InlineData("reporters=", "reporters")]
    [InlineData("reporter=a-town", "reporter")]
    public async Task A_Narrowing_That_Makes_No_Sense_Is_A_400_Naming_The_Parameter(string query, string name)
    {
        var problem = await ProblemAsync(await NarrowedAsync(NewYear(), query), 400);
        Assert.Equal(name, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Status_Given_Twice_Is_Said_To_Be_Given_Twice_Not_To_Be_A_Wrong_Value()
    {
        var problem = await ProblemAsync(await NarrowedAsync(NewYear(), "status=notSubmitted&status=notSubmitted"), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("status", error.GetProperty("name").GetString());
        Assert.Contains("只能给出一次", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reporters_Naming_One_Not_Registered_Is_422_Unknown_Reporter_As_For_The_District_Table()
    {
        var town = await CreateReporterAsync("town");
        var stranger = NewId("nobody");
        var problem = await ProblemAsync(await NarrowedAsync(NewYear(), $"reporters={town},{stranger}"), 422);
        var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
        Assert.Equal("unknown-reporter", violation.GetProperty("rule").GetString());
        Assert.Contains(stranger, violation.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_Narrowed_Template_Filled_And_Read_Back_Gives_Its_Columns_And_Nothing_For_The_Reporters_Left_Out()
    {
        var period = NewYear();
        var reported = await CreateReporterAsync("town");
        var late = await CreateReporterAsync("town");
        var lateLeftBlank = await CreateReporterAsync("department");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reported, period, SeedTable.Values)).StatusCode);

        var template = await (await NarrowedAsync(period, "status=notSubmitted")).Content.ReadAsByteArrayAsync(Ct);
        var response = await ReadAsync(Admin, Fill(template, late, SeedStrings()), period);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // Its columns, read by the hidden names of their own columns (the first column of the sheet is no longer the first reporter's).
        Assert.Equal(Heads(template), read.GetProperty("reporters").EnumerateArray().Select(c => c.GetProperty("reporter").GetString()));
        var changed = ColumnIn(read, late);
        Assert.Equal(("changed", 0), (changed.GetProperty("state").GetString(), changed.GetProperty("madeFromRevision").GetInt32()));
        Assert.Equal(SeedTable.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value),
            changed.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal()));
        Assert.Equal("blank", ColumnIn(read, lateLeftBlank).GetProperty("state").GetString());
        // The reporter left out of the workbook is not among the columns read, so nothing is offered to submit for it.
        Assert.DoesNotContain(read.GetProperty("reporters").EnumerateArray(), c => c.GetProperty("reporter").GetString() == reported);

        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = late, period, catalogue = Catalogue2014, values = changed.GetProperty("values"), expectedRevision = changed.GetProperty("madeFromRevision").GetInt32(),
        }, Ct)).StatusCode);
        Assert.Equal(1, (await RevisionsAsync(late, period)).GetArrayLength());
        Assert.Equal(1, (await RevisionsAsync(reported, period)).GetArrayLength());
        Assert.Equal(0, (await RevisionsAsync(lateLeftBlank, period)).GetArrayLength());
        // Now reported, it has no column in the next 未报 workbook.
        Assert.DoesNotContain(late, Heads(await (await NarrowedAsync(period, "status=notSubmitted")).Content.ReadAsByteArrayAsync(Ct)));
    }

    [Fact]
    public async Task The_Reading_Takes_No_Narrowing()
    {
        var problem = await ProblemAsync(await Admin.PostAsync($"/v1/templates/{Catalogue2014}/2016/reporters?kind=town",
            new ByteArrayContent(await TemplateAsync(Admin, "2016")) { Headers = { ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType) } }, Ct), 400);
        Assert.Equal("kind", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }
}
