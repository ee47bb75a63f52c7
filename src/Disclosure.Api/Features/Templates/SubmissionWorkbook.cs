using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Disclosure.Catalogue;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;

namespace Disclosure.Api.Features.Templates;

/// <summary>A workbook that is not a filled-in template, named by its sheet and cell where one is to blame.</summary>
public sealed class WorkbookException(string message, string? where = null) : Exception(message)
{
    /// <summary>The sheet and cell, e.g. <c>填报表!E9</c>, or null for the workbook as a whole.</summary>
    public string? Where => where;
}

/// <summary>
/// The template a town or department fills in Excel or WPS, and the reading of it back into the JSON body of
/// <c>POST /v1/submissions</c>, so that a workbook is judged and stored exactly as the equivalent JSON (it is that JSON by
/// the time the endpoint binds it). One sheet: the catalogue, period and reporter in labelled cells at the top, then a
/// header row with 序号, 指标名称, 代码, 单位 and 填报数, and one row per indicator in table order.
/// </summary>
public static class SubmissionWorkbook
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string SheetName = "填报表";
    private const string CatalogueLabel = "统计表 catalogue";
    private const string PeriodLabel = "统计期 period";
    private const string ReporterLabel = "填报单位 reporter";
    private static readonly string[] Headings = ["序号", "指标名称", "代码", "单位", "填报数"];

    // A filled template is a few tens of KB; these bounds refuse a zip bomb before any part is inflated.
    private const int MaxEntries = 64;
    private const long MaxEntryBytes = 16L * 1024 * 1024;
    private const long MaxTotalBytes = 32L * 1024 * 1024;

    public static byte[] Template(Catalogue.Catalogue catalogue, string period, string reporterId, string reporterName, IReadOnlyDictionary<string, decimal> values)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint r = 0;
            void Line(params object?[] cells)
            {
                var row = new Row { RowIndex = ++r };
                for (var i = 0; i < cells.Length; i++)
                    if (cells[i] is { } value) row.Append(Make(i, r, value));
                data.Append(row);
            }
            Line($"{catalogue.Document.Title}（填报模板）");
            Line(CatalogueLabel, catalogue.Id);
            Line(PeriodLabel, period);
            Line(ReporterLabel, reporterId, reporterName);
            Line();
            Line([.. Headings]);
            var number = 0;
            foreach (var table in catalogue.Document.Tables)
                foreach (var row in table.Rows)
                {
                    if (row.Role == RowRole.Header) { Line(null, row.Name, row.Code); continue; }
                    var cellCodes = table.Columns.Count == 0
                        ? [row.Code]
                        : table.Columns.Select(c => Catalogue.Catalogue.CellCode(row.Code, c.Code)).Where(c => catalogue.TryGetCell(c, out _)).ToList();
                    foreach (var code in cellCodes)
                    {
                        catalogue.TryGetCell(code, out var cell);
                        Line(++number, cell.Name, cell.Code, cell.Unit, values.TryGetValue(code, out var v) ? v : null);
                    }
                }
            var worksheet = new Worksheet(new Columns(
                new Column { Min = 1, Max = 1, Width = 18, CustomWidth = true },
                new Column { Min = 2, Max = 2, Width = 60, CustomWidth = true },
                new Column { Min = 3, Max = 4, Width = 14, CustomWidth = true },
                new Column { Min = 5, Max = 5, Width = 14, CustomWidth = true }), data);
            sheetPart.Worksheet = worksheet;
            workbook.Workbook.AppendChild(new Sheets()).Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = SheetName });
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static Cell Make(int column, uint row, object value) => value switch
    {
        decimal d => new Cell { CellReference = $"{(char)('A' + column)}{row}", CellValue = new CellValue(d.ToString(CultureInfo.InvariantCulture)), DataType = CellValues.Number },
        int i => new Cell { CellReference = $"{(char)('A' + column)}{row}", CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture)), DataType = CellValues.Number },
        _ => new Cell { CellReference = $"{(char)('A' + column)}{row}", InlineString = new InlineString(new Text(value.ToString()!)), DataType = CellValues.InlineString },
    };

    /// <summary>The JSON submission body a filled template stands for; a <see cref="WorkbookException"/> for anything else.</summary>
    public static byte[] ToJson(byte[] workbook)
    {
        CheckArchive(workbook);
        try
        {
            using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
            var part = doc.WorkbookPart ?? throw new WorkbookException("The workbook has no sheets.");
            var sheet = part.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault(s => s.Name == SheetName)
                ?? throw new WorkbookException($"The workbook has no sheet named '{SheetName}': download the template (GET /v1/templates/…) and fill that in.");
            var rows = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()?.Elements<Row>().ToList() ?? [];
            var strings = part.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
            string Text(Cell c) => c.DataType?.Value == CellValues.SharedString && int.TryParse(c.CellValue?.Text, out var i) && i < strings.Count
                ? strings[i]
                : c.DataType?.Value == CellValues.InlineString ? c.InlineString?.InnerText ?? "" : c.CellValue?.Text ?? "";
            Dictionary<string, Cell> Cells(Row row) => row.Elements<Cell>().Where(c => c.CellReference?.Value is not null)
                .ToDictionary(c => new string([.. c.CellReference!.Value!.TakeWhile(char.IsLetter)]), c => c);

            string Label(string label)
            {
                foreach (var row in rows.Take(6))
                {
                    var cells = Cells(row);
                    if (cells.TryGetValue("A", out var a) && Text(a).Trim() == label && cells.TryGetValue("B", out var b) && Text(b).Trim() is { Length: > 0 } value)
                        return value;
                }
                throw new WorkbookException($"The template's '{label}' cell (column B beside it) is missing or empty.", $"{SheetName}!A1:B6");
            }
            var catalogue = Label(CatalogueLabel);
            var period = Label(PeriodLabel);
            var reporter = Label(ReporterLabel);

            var header = rows.FirstOrDefault(row => Cells(row).Values.Select(Text).Contains("代码") && Cells(row).Values.Select(Text).Contains("填报数"))
                ?? throw new WorkbookException("The sheet has no header row with the cells 代码 and 填报数.", SheetName);
            var headerCells = Cells(header);
            var codeColumn = headerCells.First(c => Text(c.Value) == "代码").Key;
            var valueColumn = headerCells.First(c => Text(c.Value) == "填报数").Key;

            using var json = new MemoryStream();
            using (var writer = new Utf8JsonWriter(json))
            {
                writer.WriteStartObject();
                writer.WriteString("reporter", reporter);
                writer.WriteString("period", period);
                writer.WriteString("catalogue", catalogue);
                writer.WriteStartArray("values");
                foreach (var row in rows.Where(r => r.RowIndex?.Value > header.RowIndex?.Value))
                {
                    var cells = Cells(row);
                    if (!cells.TryGetValue(codeColumn, out var codeCell) || Text(codeCell).Trim() is not { Length: > 0 } code) continue;
                    if (!cells.TryGetValue(valueColumn, out var valueCell)) continue;
                    var where = $"{SheetName}!{valueCell.CellReference?.Value}";
                    if (Number(valueCell, Text(valueCell), where) is not { } value) continue; // blank stays blank
                    writer.WriteStartObject();
                    writer.WriteString("code", code);
                    writer.WriteNumber("value", value);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return json.ToArray();
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException or System.Xml.XmlException)
        {
            throw new WorkbookException($"The body is not a readable .xlsx workbook ({e.Message}).");
        }
    }

    /// <summary>
    /// A cell's number, or null when it is blank. Excel keeps numbers as binary doubles: a number is read as the decimal
    /// Excel shows, its 15 significant digits, so a typed 0.3 is 0.3 and not 0.299999999999999988898.
    /// </summary>
    private static decimal? Number(Cell cell, string text, string where)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var isNumber = cell.DataType is null || cell.DataType.Value == CellValues.Number;
        if (isNumber && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            && decimal.TryParse(d.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var shown))
            return shown;
        if (!isNumber && decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var typed))
            return typed;
        throw new WorkbookException($"{where} holds '{text}', which is not a number: enter a number, or leave the cell empty for a blank.", where);
    }

    private static void CheckArchive(byte[] workbook)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
                throw new WorkbookException($"The workbook has {zip.Entries.Count} parts; a filled template has far fewer.");
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.Length > MaxEntryBytes || total > MaxTotalBytes)
                    throw new WorkbookException($"The workbook inflates past {MaxTotalBytes / (1024 * 1024)} MB ('{entry.FullName}'); a filled template is a few tens of KB.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new WorkbookException($"The body is not a readable .xlsx workbook ({e.Message}).");
        }
    }
}
