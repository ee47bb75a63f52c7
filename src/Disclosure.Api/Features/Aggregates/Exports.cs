using System.Globalization;
using System.Net;
using System.Text;
using Disclosure.Storage;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Features.Aggregates;

public enum ExportFormat { Json, Csv, Xlsx, Html }

/// <summary>The district table in the formats a district office prints and files: CSV for Excel/WPS, .xlsx, and a printable page.</summary>
public static class Exports
{
    public const string Csv = "text/csv";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Html = "text/html";

    private static readonly string[] KindHeaders = ["区政府本级", "区直部门", "乡镇街道"];

    private static readonly (ExportFormat Kind, Microsoft.Net.Http.Headers.MediaTypeHeaderValue Media)[] Offered =
    [
        (ExportFormat.Json, new("application/json")),
        (ExportFormat.Json, new("application/problem+json")),
        (ExportFormat.Csv, new(Csv)),
        (ExportFormat.Xlsx, new(Xlsx)),
        (ExportFormat.Html, new(Html)),
    ];

    /// <summary>
    /// Picks the format from <c>?format=</c> (any case) or, failing that, the Accept header by its q-values: for each
    /// format the most specific range that covers it gives its quality; the highest quality wins, then the more specific
    /// range, then the range listed first. Null when Accept excludes every format (406). No or an unreadable Accept is JSON.
    /// </summary>
    public static ExportFormat? Negotiate(string? format, string? accept)
    {
        if (format is not null)
            return format.ToLowerInvariant() switch
            {
                "json" => ExportFormat.Json, "csv" => ExportFormat.Csv, "xlsx" => ExportFormat.Xlsx, "html" => ExportFormat.Html, _ => null,
            };
        if (string.IsNullOrWhiteSpace(accept)
            || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParseList([accept], out var ranges) || ranges.Count == 0)
            return ExportFormat.Json;
        ExportFormat? best = null;
        (double Quality, int Specificity, int Position) bestRank = (0, -1, 0);
        foreach (var (kind, media) in Offered)
        {
            (double Quality, int Specificity, int Position)? rank = null;
            for (var i = 0; i < ranges.Count; i++)
            {
                var range = ranges[i];
                if (!media.IsSubsetOf(range)) continue;
                var specificity = range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
                if (rank is null || specificity > rank.Value.Specificity) rank = (range.Quality ?? 1, specificity, -i);
            }
            if (rank is { Quality: > 0 } r && r.CompareTo(bestRank) > 0)
            {
                best = kind;
                bestRank = r;
            }
        }
        return best;
    }

    /// <summary>The 406 for an Accept that no format satisfies.</summary>
    public static IResult NotAcceptable(HttpContext context) =>
        Infrastructure.Problems.Result(StatusCodes.Status406NotAcceptable, "not-acceptable", "Not acceptable",
            $"No format of this table satisfies Accept: {context.Request.Headers.Accept}. Offered: application/json, {Csv}, {Xlsx}, {Html}.", context);

    /// <summary>The period as a printed table names it: 2014年度, 2014年第3季度.</summary>
    public static string PeriodLabel(string period) =>
        period.Length == 6 ? $"{period[..4]}年第{period[5]}季度" : $"{period}年度";

    private static string Number(decimal? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>One line of the printed layout: 序号, code, name, unit, then the figures across.</summary>
    private sealed record Line(int? Number, string Code, string Name, string Unit, bool Header, IReadOnlyList<decimal?> Figures);

    /// <summary>
    /// The table as printed. A table without columns: 统计数 then one column per reporter kind. A table with columns
    /// (the 2021 format): the table's own value columns across, district totals in each.
    /// </summary>
    private static IEnumerable<(string? Title, IReadOnlyList<string> Headings, IReadOnlyList<Line> Lines)> Blocks(AggregateTable t, Catalogue.Catalogue catalogue)
    {
        foreach (var table in catalogue.Document.Tables)
        {
            var rows = t.Rows.Where(r => r.Table == table.Id).ToList();
            var n = 0;
            if (table.Columns.Count == 0)
            {
                var lines = rows.Select(r => r.Role == Catalogue.RowRole.Header
                    ? new Line(null, r.Code, r.Name, "", true, [])
                    : new Line(++n, r.Code, r.Name, r.Unit ?? "", false, [r.Total, r.Government, r.Department, r.Town])).ToList();
                yield return (catalogue.Document.Tables.Count > 1 ? table.Title : null, ["统计数", .. KindHeaders], lines);
            }
            else
            {
                var columns = table.Columns.Where(c => c.Role == Catalogue.RowRole.Value).ToList();
                var lines = rows.Select(r => r.Role == Catalogue.RowRole.Header || r.Cells is null
                    ? new Line(null, r.Code, r.Name, "", true, [])
                    : new Line(++n, r.Code, r.Name, r.Unit ?? "", false,
                        [.. columns.Select(col => r.Cells.FirstOrDefault(c => c.Column == col.Code)?.Total)])).ToList();
                yield return (table.Title, [.. columns.Select(c => c.Name)], lines);
            }
        }
    }

    /// <summary>UTF-8 with a byte-order mark, so that Excel and WPS open the Chinese text correctly.</summary>
    public static byte[] ToCsv(AggregateTable t, Catalogue.Catalogue catalogue)
    {
        var sb = new StringBuilder();
        foreach (var (title, headings, lines) in Blocks(t, catalogue))
        {
            if (title is not null) sb.Append(Field(title)).Append("\r\n");
            sb.Append(string.Join(",", new[] { "序号", "代码", "统计指标", "单位" }.Concat(headings).Select(Field))).Append("\r\n");
            foreach (var l in lines)
                sb.Append(string.Join(",", new[] { l.Number?.ToString(CultureInfo.InvariantCulture) ?? "", l.Code, l.Name, l.Unit }
                    .Concat(headings.Select((_, i) => i < l.Figures.Count ? Number(l.Figures[i]) : "")).Select(Field))).Append("\r\n");
        }
        var preamble = Encoding.UTF8.GetPreamble();
        var body = Encoding.UTF8.GetBytes(sb.ToString());
        return [.. preamble, .. body];
    }

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>An .xlsx workbook laid out like the printed 统计表: title, headings, unit column, blank cells left blank.</summary>
    public static byte[] ToXlsx(AggregateTable t, Catalogue.Catalogue catalogue)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var merges = new MergeCells();
            uint r = 0;
            var width = 4 + Blocks(t, catalogue).Max(b => b.Headings.Count);

            Row NewRow() => new() { RowIndex = ++r };
            void Merge(uint row, int columns) =>
                merges.Append(new MergeCell { Reference = $"A{row}:{ColumnName(columns - 1)}{row}" });

            var title = NewRow();
            title.Append(TextCell(0, r, $"{t.Title}（{PeriodLabel(t.Period)}）", 1));
            data.Append(title);
            Merge(r, width);

            foreach (var (blockTitle, headings, lines) in Blocks(t, catalogue))
            {
                if (blockTitle is not null)
                {
                    var bt = NewRow();
                    bt.Append(TextCell(0, r, blockTitle, 2));
                    data.Append(bt);
                    Merge(r, width);
                }
                var head = NewRow();
                string[] names = ["序号", "代码", "统计指标", "单位", .. headings];
                for (var i = 0; i < names.Length; i++) head.Append(TextCell(i, r, names[i], 2));
                data.Append(head);
                foreach (var l in lines)
                {
                    var row = NewRow();
                    if (l.Number is { } num) row.Append(NumberCell(0, r, num));
                    row.Append(TextCell(1, r, l.Code, 0));
                    row.Append(TextCell(2, r, l.Name, l.Header ? 2u : 0u));
                    if (!l.Header) row.Append(TextCell(3, r, l.Unit, 0));
                    for (var i = 0; i < l.Figures.Count; i++)
                        if (l.Figures[i] is { } v) row.Append(NumberCell(4 + i, r, v));
                    data.Append(row);
                }
            }

            var worksheet = new Worksheet();
            worksheet.Append(new Columns(
                new Column { Min = 1, Max = 1, Width = 6, CustomWidth = true },
                new Column { Min = 2, Max = 2, Width = 10, CustomWidth = true },
                new Column { Min = 3, Max = 3, Width = 60, CustomWidth = true },
                new Column { Min = 4, Max = 4, Width = 8, CustomWidth = true },
                new Column { Min = 5, Max = (uint)width, Width = 14, CustomWidth = true }));
            worksheet.Append(data);
            worksheet.Append(merges);
            sheetPart.Worksheet = worksheet;
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "统计表" });
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26) name = (char)('A' + (i - 1) % 26) + name;
        return name;
    }

    private static Cell TextCell(int column, uint row, string text, uint style) => new()
    {
        CellReference = ColumnName(column) + row,
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(text)),
        StyleIndex = style,
    };

    private static Cell NumberCell(int column, uint row, decimal value) => new()
    {
        CellReference = ColumnName(column) + row,
        DataType = CellValues.Number,
        CellValue = new CellValue(value.ToString(CultureInfo.InvariantCulture)),
    };

    // Style 0: plain; 1: title (bold, large); 2: heading (bold).
    private static Stylesheet Stylesheet() => new(
        new Fonts(
            new Font(new FontSize { Val = 11 }),
            new Font(new Bold(), new FontSize { Val = 16 }),
            new Font(new Bold(), new FontSize { Val = 11 })),
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
        new Borders(new Border()),
        new CellFormats(
            new CellFormat { FontId = 0 },
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { FontId = 2, ApplyFont = true }));

    /// <summary>A printable page in the layout of the report's appendix table.</summary>
    public static string ToHtml(AggregateTable t, Catalogue.Catalogue catalogue)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<title>").Append(E($"{t.Title}（{PeriodLabel(t.Period)}）")).Append("</title>\n")
          .Append("<style>body{font-family:'SimSun','Songti SC',serif;margin:2em}h1{text-align:center;font-size:1.4em}p.period{text-align:center}")
          .Append("table{border-collapse:collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #000;padding:.25em .5em}")
          .Append("td.n{text-align:right;white-space:nowrap}td.u{text-align:center}tr.h td{font-weight:bold}")
          .Append("@media print{body{margin:0}}</style>\n</head>\n<body>\n")
          .Append("<h1>").Append(E(t.Title)).Append("</h1>\n")
          .Append("<p class=\"period\">").Append(E($"统计期：{PeriodLabel(t.Period)}")).Append("</p>\n");
        foreach (var (title, headings, lines) in Blocks(t, catalogue))
        {
            if (title is not null) sb.Append("<h2>").Append(E(title)).Append("</h2>\n");
            sb.Append("<table>\n<thead><tr><th>统计指标</th><th>单位</th>");
            foreach (var h in headings) sb.Append("<th>").Append(E(h)).Append("</th>");
            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var l in lines)
            {
                sb.Append(l.Header ? "<tr class=\"h\" data-code=\"" : "<tr data-code=\"").Append(E(l.Code)).Append("\"><td>").Append(E(l.Name)).Append("</td>");
                sb.Append("<td class=\"u\">").Append(E(l.Unit)).Append("</td>");
                for (var i = 0; i < headings.Count; i++)
                    sb.Append("<td class=\"n\">").Append(i < l.Figures.Count ? Number(l.Figures[i]) : "").Append("</td>");
                sb.Append("</tr>\n");
            }
            sb.Append("</tbody>\n</table>\n");
        }
        var c = t.Completeness;
        sb.Append("<p>").Append(E($"应报 {c.Expected} 个单位，已报 {c.Submitted} 个")).Append(c.Missing.Count > 0 ? E($"，未报：{string.Join("、", c.Missing)}") : "").Append("。</p>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    public static string KindName(ReporterKind kind) => KindHeaders[(int)kind];
}
