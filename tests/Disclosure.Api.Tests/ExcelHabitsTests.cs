using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Features.Templates;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>
/// What Excel and WPS do to a town's template that the person does not see: a number typed into a cell formatted as text,
/// which Excel's SUM leaves out, and a 填报说明 typed over the hint beside its cell.
/// </summary>
public sealed class ExcelHabitsTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<byte[]> BlankTemplateAsync(string reporter) =>
        await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}", Ct);

    private static ByteArrayContent Xlsx(byte[] workbook)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        return content;
    }

    /// <summary>
    /// The template edited on 填报表 by <paramref name="edit"/>, given each row by its 代码 (column C) or, for the rows above the
    /// table, by its number after #, and the shared-string table to add text to, as Excel keeps what is typed into a text cell.
    /// </summary>
    private static byte[] Edited(byte[] template, Action<Func<string, Row>, Func<string, int>> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
            var rows = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
            var strings = (part.SharedStringTablePart ?? part.AddNewPart<SharedStringTablePart>());
            strings.SharedStringTable ??= new SharedStringTable();
            Row RowOf(string code) => code.StartsWith('#')
                ? rows.Single(r => r.RowIndex!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == code[1..])
                : rows.Single(r => r.Elements<Cell>().Any(c => c.CellReference!.Value!.StartsWith('C') && c.InnerText == code));
            int Shared(string text)
            {
                strings.SharedStringTable.Append(new SharedStringItem(new Text(text)));
                return strings.SharedStringTable.Elements<SharedStringItem>().Count() - 1;
            }
            edit(RowOf, Shared);
            doc.Save();
        }
        return stream.ToArray();
    }

    /// <summary>Puts <paramref name="cell"/> at its reference in <paramref name="row"/>, in column order, in place of what was there.</summary>
    private static void Put(Row row, Cell cell)
    {
        var reference = cell.CellReference!.Value!;
        var old = row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == reference);
        if (old is not null) old.InsertAfterSelf(cell);
        else row.Append(cell);
        old?.Remove();
    }

    [Fact]
    public async Task A_Part_Kept_As_Text_Under_A_Sum_Formula_Is_Named_In_The_Refusal_With_What_Excel_Counted()
    {
        var reporter = await CreateReporterAsync("town");
        var workbook = Edited(await BlankTemplateAsync(reporter), (row, shared) =>
        {
            var (whole, first, second, last) = (row("3.1").RowIndex!.Value, row("3.1.1").RowIndex!.Value, row("3.1.2").RowIndex!.Value, row("3.1.5").RowIndex!.Value);
            Put(row("1.1"), new Cell { CellReference = $"E{row("1.1").RowIndex!.Value}", CellValue = new CellValue("80") });
            // 3.1.1 formatted as text and 2 typed in it: a shared string, which SUM leaves out; the formula's saved value is 5.
            Put(row("3.1.1"), new Cell { CellReference = $"E{first}", DataType = CellValues.SharedString, CellValue = new CellValue(shared("2").ToString(System.Globalization.CultureInfo.InvariantCulture)) });
            Put(row("3.1.2"), new Cell { CellReference = $"E{second}", CellValue = new CellValue("5") });
            Put(row("3.1"), new Cell { CellReference = $"E{whole}", CellFormula = new CellFormula($"SUM(E{first}:E{last})"), CellValue = new CellValue("5") });
        });

        var response = await Admin.PostAsync("/v1/submissions/validate", Xlsx(workbook), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        var sum = Assert.Single(verdict.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "sum");
        var text = sum.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "3.1.1").GetProperty("cell").GetString();
        var whole = sum.GetProperty("cells")[0].GetProperty("cell").GetString();
        Assert.Contains($"{text}（3.1.1）是“以文本形式存储的数字”", sum.GetProperty("messageZh").GetString());
        Assert.Contains($"Excel 的求和公式不计它，所以 {whole} 的公式在 Excel 中算得 5；本系统按它显示的数字计入，分项合计为 7", sum.GetProperty("messageZh").GetString());
        Assert.Contains("Convert to Number", sum.GetProperty("message").GetString());
        // The same figures typed as numbers are refused without the hint: nothing there was kept as text.
        var typed = Edited(workbook, (row, _) => Put(row("3.1.1"), new Cell { CellReference = $"E{row("3.1.1").RowIndex!.Value}", CellValue = new CellValue("2") }));
        var plain = await (await Admin.PostAsync("/v1/submissions/validate", Xlsx(typed), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.DoesNotContain("文本", Assert.Single(plain.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "sum").GetProperty("messageZh").GetString());
    }

    [Fact]
    public async Task A_Note_Typed_Over_The_Hint_Beside_Its_Cell_Is_The_Note()
    {
        var reporter = await CreateReporterAsync("town");
        var template = await BlankTemplateAsync(reporter);
        var noteAt = WorkbookRoundTripTests.Read(template).Single(c => c.Value == "填报说明 note").Key[1..];
        var noteRow = "#" + noteAt;
        Cell Inline(string reference, string text) => new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };
        var workbook = Edited(template, (row, _) =>
        {
            Put(row("13.1"), new Cell { CellReference = $"E{row("13.1").RowIndex!.Value}", CellValue = new CellValue("2") });
            Put(row(noteRow), Inline($"C{noteAt}", "1.1 比上年多，因网站改版。"));
        });

        var stored = await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct);

        Assert.True(stored.StatusCode == HttpStatusCode.Created, await stored.Content.ReadAsStringAsync(Ct));
        Assert.Equal("1.1 比上年多，因网站改版。", (await stored.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString());
        // Typed in both cells, both are kept, in their order; the hint left as it was is no note.
        var both = Edited(workbook, (row, _) => Put(row(noteRow), Inline($"B{noteAt}", "已核对。")));
        using var again = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = Xlsx(both) };
        again.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var second = await Admin.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("已核对。\n1.1 比上年多，因网站改版。", (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString());
        var other = await CreateReporterAsync("town");
        var hinted = await Admin.PostAsync("/v1/submissions", Xlsx(Edited(await BlankTemplateAsync(other), (row, _) =>
            Put(row("13.1"), new Cell { CellReference = $"E{row("13.1").RowIndex!.Value}", CellValue = new CellValue("2") }))), Ct);
        Assert.Equal(HttpStatusCode.Created, hinted.StatusCode);
        Assert.False((await hinted.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("note", out _));
    }

    [Theory]
    [InlineData("{0}。新网站上线", "新网站上线")]
    [InlineData("{0} \n 13.1 已核对", "13.1 已核对")]
    [InlineData("{0}：", null)]
    [InlineData("见{0}", "见{0}")]
    public async Task A_Note_Typed_On_After_The_Hint_Is_What_Was_Typed_Without_The_Hint(string typed, string? note)
    {
        var reporter = await CreateReporterAsync("town");
        var template = await BlankTemplateAsync(reporter);
        var cells = WorkbookRoundTripTests.Read(template);
        var noteAt = cells.Single(c => c.Value == "填报说明 note").Key[1..];
        // The hint as the template writes it, in the cell beside the note's.
        var (hintAt, hint) = cells.Single(c => c.Key == $"C{noteAt}") is var h ? (h.Key, h.Value) : default;
        Assert.StartsWith("选填", hint, StringComparison.Ordinal);
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, typed, hint);
        var workbook = Edited(template, (row, _) =>
        {
            Put(row("13.1"), new Cell { CellReference = $"E{row("13.1").RowIndex!.Value}", CellValue = new CellValue("2") });
            Put(row("#" + noteAt), new Cell { CellReference = hintAt, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) });
        });

        var stored = await Admin.PostAsync("/v1/submissions", Xlsx(workbook), Ct);

        Assert.True(stored.StatusCode == HttpStatusCode.Created, await stored.Content.ReadAsStringAsync(Ct));
        var body = await stored.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(note is null ? null : string.Format(System.Globalization.CultureInfo.InvariantCulture, note, hint),
            body.TryGetProperty("note", out var n) ? n.GetString() : null);
    }
}
