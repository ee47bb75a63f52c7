using Disclosure.Api.Infrastructure;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>
/// Writes worksheets that print like the paper form: ruled cells, A4 fitted to the page width, the title and column
/// header repeated on every page and frozen on screen, 其中 rows indented. Used by the exports and the Excel template.
/// The label columns are 序号, 代码, 统计指标 and 单位; figures start in column E. A <paramref name="publication"/> sheet, the table
/// as a report publishes it, has 统计指标 and 单位 alone, figures from column C.
/// </summary>
public sealed class PrintedSheet(string name, int figureWidth, bool publication = false)
{
    /// <summary>The label columns of the form (序号, 代码, 统计指标, 单位), which the templates fill in.</summary>
    public const int LabelColumns = 4;
    private const int MaxIndent = 6;

    // Cell formats, in the order Stylesheet() lists them.
    public const uint Plain = 0, Title = 1, Subtitle = 2, Heading = 3, Centered = 4, Figure = 5, Footer = 6, Input = 7;
    private const uint NameBase = 8, SectionBase = NameBase + MaxIndent;
    /// <summary>A <see cref="Footer"/> line that wraps: a wide sheet's lines under the table, merged over its first page only.</summary>
    private const uint WrappedFooter = SectionBase + MaxIndent;
    /// <summary>A <see cref="Figure"/> of an amount (万元) with a fraction, shown with every decimal it has and no more.</summary>
    public const uint FigureAmount = WrappedFooter + 1;
    /// <summary>A line of text to the right, unruled: a publication's date under the government.</summary>
    public const uint DateLine = FigureAmount + 1;
    /// <summary>A cell of text to fill in (a template's 填报说明): ruled and shaded as the figures to fill in are, left-aligned and wrapped.</summary>
    public const uint TextInput = DateLine + 1;

    /// <summary>
    /// The number format of an amount with a fraction: each decimal it has, up to the six an amount may have (1.5, 0.0035: 35 元
    /// is no 0.00), none added. Only such an amount takes it: Excel would print a whole one as <c>12.0</c>, which General prints 12.
    /// </summary>
    public const string AmountFormat = "0.0#####";

    /// <summary>The id of <see cref="AmountFormat"/>, the first a workbook's own formats may take.</summary>
    private const uint AmountFormatId = 164;

    /// <summary>The unit of amounts of money, whose figures may have decimals where counts have none.</summary>
    public const string AmountUnit = "万元";

    /// <summary>
    /// The style of a figure in <paramref name="unit"/>, <paramref name="value"/> where it is printed. A figure prints as it is, as
    /// the CSV and the printable page print it and the report's appended table does: an amount (万元) of 0 as 0, not 0.00; one
    /// with a fraction with its decimals (1.5, 5497.7, 0.0035), nothing padded and nothing rounded. A cell to fill in
    /// (<paramref name="input"/>) shows what is typed into it, as Excel's General does.
    /// </summary>
    public static uint FigureStyle(string? unit, bool input = false, decimal? value = null) =>
        input ? Input : unit == AmountUnit && value is { } v && v != decimal.Truncate(v) ? FigureAmount : Figure;

    public static uint Name(int depth) => NameBase + (uint)Math.Clamp(depth, 0, MaxIndent - 1);
    public static uint Section(int depth) => SectionBase + (uint)Math.Clamp(depth, 0, MaxIndent - 1);

    private readonly SheetData data = new();
    private readonly MergeCells merges = new();
    private readonly Dictionary<bool, List<string>> inputs = new() { [true] = [], [false] = [] };

    public string SheetName { get; } = name;
    /// <summary>The label columns of this sheet: <see cref="LabelColumns"/>, or 统计指标 and 单位 for a publication.</summary>
    private readonly int labelColumns = publication ? 2 : LabelColumns;

    /// <summary>Columns in use, labels and figures.</summary>
    public int Width { get; } = (publication ? 2 : LabelColumns) + Math.Max(1, figureWidth);
    /// <summary>The last row written.</summary>
    public uint Row { get; private set; }

    public Row NewRow()
    {
        var r = new Row { RowIndex = ++Row };
        data.Append(r);
        return r;
    }

    /// <summary>A new row of text cells from column A on, all in one style.</summary>
    public Row TextRow(uint style, params string[] texts)
    {
        var r = NewRow();
        for (var i = 0; i < texts.Length; i++) r.Append(Text(i, Row, texts[i], style));
        return r;
    }

    /// <summary>
    /// A line of text across the whole width (title, subtitle, a section title); across the first printed page of a wide
    /// sheet (<see cref="AddTo"/>), merged when the sheet is built.
    /// </summary>
    public void Line(string text, uint style)
    {
        var r = NewRow();
        r.Append(Text(0, Row, text, style));
        for (var i = 1; i < Width; i++) r.Append(Blank(i, Row, style));
        lines.Add((r, text, style));
    }

    // The rows of Line and the cells of Signatures, whose merges depend on whether the sheet is wide, which AddTo says.
    private readonly List<(Row Row, string Text, uint Style)> lines = [];
    private readonly List<(Row Row, Cell Left, Cell Right)> signatures = [];

    /// <summary>
    /// The figure columns a wide sheet's lines span besides its labels: with the labels, about what one landscape A4 page
    /// holds at full size (and a screen shows beside the frozen labels), so that its title and lines are read where the
    /// sheet opens and on its first printed page, not centred across hundreds of reporters' columns.
    /// </summary>
    internal const int FirstPageFigures = 6;

    /// <summary>The last column of the lines: the sheet's last, or a wide sheet's last on its first printed page.</summary>
    private int LineEnd(bool wide) => wide ? Math.Min(Width - 1, labelColumns + FirstPageFigures - 1) : Width - 1;

    public void Merge(int fromColumn, uint fromRow, int toColumn, uint toRow)
    {
        if (fromColumn == toColumn && fromRow == toRow) return;
        merges.Append(new MergeCell { Reference = $"{ColumnName(fromColumn)}{fromRow}:{ColumnName(toColumn)}{toRow}" });
    }

    /// <summary>
    /// The column header of a segment: the label headings down its full depth, the figure headings as grouped, and the
    /// last figure heading stretched to the sheet's width when the segment is narrower.
    /// </summary>
    private void Headings(PrintedSegment segment, string? note)
    {
        var first = Row + 1;
        var rows = Enumerable.Range(0, segment.HeadingRows).Select(_ => NewRow()).ToList();
        var cells = new SortedDictionary<(int Row, int Column), Cell>();
        for (var k = 0; k < rows.Count; k++)
            for (var c = 0; c < Width; c++)
                cells[(k, c)] = Blank(c, first + (uint)k, Heading);
        var indicator = note is null ? "统计指标" : $"统计指标\n{note}";
        string[] labels = publication ? [indicator, "单位"] : ["序号", "代码", indicator, "单位"];
        for (var i = 0; i < labelColumns; i++)
        {
            cells[(0, i)] = Text(i, first, labels[i], Heading);
            Merge(i, first, i, first + (uint)rows.Count - 1);
        }
        foreach (var h in segment.Headings)
        {
            var column = labelColumns + h.Column;
            var right = column + h.ColumnSpan - 1;
            if (h.Column + h.ColumnSpan == segment.Columns.Count) right = Width - 1;
            cells[(h.Row, column)] = Text(column, first + (uint)h.Row, h.Text, Heading);
            Merge(column, first + (uint)h.Row, right, first + (uint)(h.Row + h.RowSpan - 1));
        }
        foreach (var ((k, _), cell) in cells) rows[k].Append(cell);
    }

    /// <summary>
    /// A printed table, segment by segment under its own heading and column header. <paramref name="figure"/> gives the cell
    /// of a value row in a figure column, told the column's letter (the row is <see cref="Row"/>), or null for a blank.
    /// Gives the last row to repeat on every printed page (through the column header when the table has one segment, the
    /// title lines otherwise).
    /// </summary>
    public uint Table(PrintedTable printed, Func<PrintedRow, FigureColumn, string, Cell?> figure)
    {
        var titleRows = Row;
        foreach (var segment in printed.Segments)
        {
            if (segment.Title is not null) Line(segment.Title, Section(0));
            Headings(segment, printed.Note);
            if (printed.Segments.Count == 1) titleRows = Row;
            foreach (var line in segment.Rows) Body(segment, line, figure, printed.Table.Columns.Count == 0);
        }
        return titleRows;
    }

    /// <summary>
    /// A table row: 序号, code (not in a publication), name indented by depth, unit, then one cell per figure column (null =
    /// blank). In a table of rows alone (2014) an item of the first level is bold whether it has figures (四、行政复议数量) or
    /// not (一、主动公开情况), as the form prints its thirteen items alike.
    /// </summary>
    private void Body(PrintedSegment segment, PrintedRow line, Func<PrintedRow, FigureColumn, string, Cell?> figure, bool rowsAlone)
    {
        var r = NewRow();
        var label = 0;
        if (!publication)
        {
            r.Append(Placed(Number(line.Number, Centered), ColumnName(0)));
            r.Append(Text(1, Row, line.Row.Code, Centered));
            label = 2;
        }
        r.Append(Text(label, Row, line.Row.Name, line.IsHeader || (rowsAlone && line.Depth == 0) ? Section(line.Depth) : Name(line.Depth)));
        r.Append(line.IsHeader ? Blank(label + 1, Row, Centered) : Text(label + 1, Row, line.Row.Unit ?? "", Centered));
        for (var i = 0; i < segment.Columns.Count; i++)
        {
            var column = ColumnName(labelColumns + i);
            r.Append(Placed((line.IsHeader ? null : figure(line, segment.Columns[i], column)) ?? Number(null, Figure), column));
        }
        for (var c = labelColumns + segment.Columns.Count; c < Width; c++) r.Append(Blank(c, Row, Figure));
        if (segment.Columns.Count > 0 && segment.Columns.Count < Width - labelColumns)
            Merge(labelColumns + segment.Columns.Count - 1, Row, Width - 1, Row);
    }

    /// <summary>A cell of <see cref="Number"/> put in the given column of the last row.</summary>
    public Cell Placed(Cell cell, string column)
    {
        cell.CellReference = column + Row;
        return cell;
    }

    /// <summary>
    /// Marks a cell to be filled in: Excel and WPS then refuse text or a negative number as it is typed, with the reason
    /// in Chinese, instead of the upload refusing it later. Whole numbers for a unit without decimals.
    /// </summary>
    public void MarkInput(string reference, bool whole) => inputs[whole].Add(reference);

    /// <summary>
    /// The signature block the form prints under the table: 填报单位 and 报出日期 filled in, 单位负责人 and 填表人 left for
    /// a hand, as on paper.
    /// </summary>
    public void Signatures(string unit, string date)
    {
        NewRow();
        foreach (var (left, right) in new[] { ($"填报单位（盖章）：{unit}", $"报出日期：{date}"), ("单位负责人：", "填表人：") })
        {
            var row = NewRow();
            // The right half's column is chosen when the sheet is built (SignatureHalf).
            var (l, r) = (Text(0, Row, left, Footer), Text(1, Row, right, Footer));
            row.Append(l, r);
            signatures.Add((row, l, r));
        }
    }

    /// <summary>
    /// The column of the signatures' right half. On a wide sheet, the last label column (单位), so that 报出日期 and 填表人 are
    /// read beside 填报单位 rather than hundreds of columns to the right. Otherwise chosen by the columns' widths, not their
    /// count (统计指标 alone is wider than the rest): of the splits, the one whose halves take the fewest lines for the longest
    /// of the signature lines (a reporter's long name beside 报出日期), and of those the nearest the middle.
    /// </summary>
    private int SignatureHalf(bool wide, Func<int, double> widthOf)
    {
        if (wide) return labelColumns - 1;
        var end = LineEnd(wide);
        double Across(int from, int to) => Enumerable.Range(from, to - from + 1).Sum(widthOf);
        var total = Across(0, end);
        return Enumerable.Range(1, end)
            .OrderBy(half => signatures.Max(s => Math.Max(LinesOf(TextOf(s.Left), Across(0, half - 1)), LinesOf(TextOf(s.Right), Across(half, end)))))
            .ThenBy(half => Math.Abs(Across(0, half - 1) - total / 2)).First();
    }

    private static string TextOf(Cell cell) => cell.InlineString?.InnerText ?? "";

    /// <summary>The merges of the lines and signatures, now that the sheet is known to be wide or not.</summary>
    private void MergeLines(bool wide, Func<int, double> widthOf)
    {
        foreach (var (row, _, _) in lines) Merge(0, row.RowIndex!.Value, LineEnd(wide), row.RowIndex.Value);
        // Under a wide sheet's table the lines span its first page only: one naming hundreds of reporters (未报, 季报未报齐)
        // wraps there, in a row as tall as its text takes, rather than running clipped into the columns beyond.
        if (wide)
        {
            var across = Enumerable.Range(0, LineEnd(wide) + 1).Sum(widthOf);
            foreach (var (row, text, _) in lines.Where(l => l.Style == Footer))
            {
                foreach (var cell in row.Elements<Cell>()) cell.StyleIndex = WrappedFooter;
                var count = LinesOf(text, across);
                if (count > 1) (row.Height, row.CustomHeight) = (Math.Min(409, count * LineHeight), true); // 409 points: Excel's tallest row
            }
        }
        if (signatures.Count == 0) return;
        var half = SignatureHalf(wide, widthOf);
        var last = Math.Max(half, LineEnd(wide));
        foreach (var (row, left, right) in signatures)
        {
            var at = row.RowIndex!.Value;
            right.CellReference = $"{ColumnName(half)}{at}";
            Merge(0, at, half - 1, at);
            Merge(half, at, last, at);
            // A name longer than its half wraps there, in a row as tall as it takes, rather than being cut off by 报出日期.
            var count = Math.Max(LinesOf(TextOf(left), Enumerable.Range(0, half).Sum(widthOf)), LinesOf(TextOf(right), Enumerable.Range(half, last - half + 1).Sum(widthOf)));
            left.StyleIndex = right.StyleIndex = WrappedFooter;
            if (count > 1) (row.Height, row.CustomHeight) = (Math.Min(409, count * LineHeight), true);
        }
    }

    /// <summary>The height of a line of 11-point 宋体 in points, as Excel draws a row of one.</summary>
    internal const double LineHeight = 14.25;

    /// <summary>
    /// The lines <paramref name="text"/> takes wrapped across columns <paramref name="across"/> wide (Excel's width unit, one
    /// digit's width): a Chinese character or full-width mark is two, others one, a line break starts another.
    /// </summary>
    internal static int LinesOf(string text, double across) =>
        text.Split('\n').Sum(part => Math.Max(1, (int)Math.Ceiling(part.Sum(c => c >= '\u2E80' ? 2 : 1) / Math.Max(1, across - 1))));

    /// <summary>An .xlsx package in the styles of these sheets, its sheets added by <paramref name="addSheets"/>.</summary>
    public static byte[] Xlsx(Action<WorkbookPart> addSheets) =>
        XlsxPackage.Write(workbook =>
        {
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>(XlsxPackage.NextId(workbook)).Stylesheet = Stylesheet();
            addSheets(workbook);
            workbook.Workbook.Save();
        });

    /// <summary>
    /// Adds the sheet to the workbook, with its first <paramref name="titleRows"/> rows frozen and printed on every page
    /// (the print titles). Landscape when the figures are many, as the 2021 form is printed. A <paramref name="wide"/> sheet (a
    /// figure column per reporter) also keeps its label columns frozen and printed on every page, and prints at full size
    /// across as many pages as it takes: fitted to one page's width, 30 columns would print too small to read.
    /// </summary>
    public void AddTo(WorkbookPart workbook, uint titleRows, int[]? widths = null, bool wide = false)
    {
        var part = workbook.AddNewPart<WorksheetPart>(XlsxPackage.NextId(workbook));
        part.Worksheet = Build(titleRows, widths, wide);
        var sheets = workbook.Workbook.GetFirstChild<Sheets>() ?? workbook.Workbook.AppendChild(new Sheets());
        var index = sheets.Elements<Sheet>().Count();
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)index + 1, Name = SheetName });
        if (titleRows == 0) return;
        var labels = wide ? $"{Quoted(SheetName)}!$A:${ColumnName(labelColumns - 1)}," : "";
        Define(workbook, [new DefinedName($"{labels}{Quoted(SheetName)}!$1:${titleRows}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)index }]);
    }

    /// <summary>Adds defined names to the workbook, beside any already there (the sheets' print titles, the templates' marks).</summary>
    public static void Define(WorkbookPart workbook, IEnumerable<DefinedName> names) =>
        (workbook.Workbook.GetFirstChild<DefinedNames>() ?? workbook.Workbook.AppendChild(new DefinedNames())).Append(names);

    private Worksheet Build(uint titleRows, int[]? widths, bool wide)
    {
        var figures = Width - labelColumns;
        widths ??= publication ? [figures > 4 ? 50 : 66, 8] : [5, 9, figures > 4 ? 40 : 56, 6];
        var figureWidth = figures > 4 ? 10 : 13;
        MergeLines(wide, i => i < widths.Length ? widths[i] : figureWidth);
        var columns = new Columns();
        for (var i = 0; i < Width; i++)
            columns.Append(new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = i < widths.Length ? widths[i] : figureWidth, CustomWidth = true });
        var view = new SheetView { WorkbookViewId = 0 };
        if (titleRows > 0)
        {
            // ySplit (VerticalSplit in the SDK's naming) freezes rows, xSplit (HorizontalSplit) columns.
            var first = wide ? $"{ColumnName(labelColumns)}{titleRows + 1}" : $"A{titleRows + 1}";
            var pane = wide ? PaneValues.BottomRight : PaneValues.BottomLeft;
            view.Append(
                new Pane { HorizontalSplit = wide ? labelColumns : null, VerticalSplit = titleRows, TopLeftCell = first, ActivePane = pane, State = PaneStateValues.Frozen },
                new Selection { Pane = pane, ActiveCell = first, SequenceOfReferences = new ListValue<StringValue> { InnerText = first } });
        }
        var worksheet = new Worksheet(new SheetProperties(new PageSetupProperties { FitToPage = !wide }), new SheetViews(view), columns, data);
        if (merges.HasChildren) worksheet.Append(merges);
        var validations = inputs.Where(i => i.Value.Count > 0).Select(i => new DataValidation(new Formula1("0"))
        {
            Type = i.Key ? DataValidationValues.Whole : DataValidationValues.Decimal,
            Operator = DataValidationOperatorValues.GreaterThanOrEqual,
            AllowBlank = true, ShowErrorMessage = true, ErrorTitle = "请填写数字",
            Error = i.Key ? "这里填不小于 0 的整数；不填即为空白（不是 0）。" : "这里填不小于 0 的数；不填即为空白（不是 0）。",
            SequenceOfReferences = new ListValue<StringValue> { InnerText = string.Join(' ', i.Value) },
        }).ToList();
        if (validations.Count > 0) worksheet.Append(new DataValidations(validations) { Count = (uint)validations.Count });
        worksheet.Append(
            new PrintOptions { HorizontalCentered = true },
            new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            new PageSetup { PaperSize = 9, Orientation = figures > 4 ? OrientationValues.Landscape : OrientationValues.Portrait, FitToWidth = wide ? null : 1U, FitToHeight = wide ? null : 0U },
            new HeaderFooter(new OddFooter("&C第 &P 页，共 &N 页")));
        return worksheet;
    }

    /// <summary>
    /// The sheet of a catalogue table, 表 and the table's id (表2, 表3 …), kept to what Excel allows in a sheet name
    /// (31 characters, none of : \ / ? * [ ], nothing XML cannot carry) and numbered when two tables would share one.
    /// </summary>
    public static IReadOnlyList<string> TableSheetNames(IEnumerable<string> tableIds)
    {
        var names = new List<string>();
        foreach (var id in tableIds)
        {
            var name = new string([.. ("表" + id).Select(c => ":\\/?*[]".Contains(c) ? '_' : c)]).Trim('\'');
            name = Disclosure.Catalogue.PrintableText.Printable(name.Length > 28 ? name[..28] : name); // a cut may halve a surrogate pair
            var unique = name;
            for (var n = 2; names.Contains(unique, StringComparer.OrdinalIgnoreCase); n++) unique = $"{name}_{n}";
            names.Add(unique);
        }
        return names;
    }

    /// <summary>A sheet name as a formula writes it: quoted, a quote doubled.</summary>
    public static string Quoted(string sheet) => $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'";

    public static string ColumnName(int index)
    {
        var name = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26) name = (char)('A' + (i - 1) % 26) + name;
        return name;
    }

    public static Cell Text(int column, uint row, string text, uint style) => new()
    {
        CellReference = ColumnName(column) + row,
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(Disclosure.Catalogue.PrintableText.PrintableLines(text)) { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = style,
    };

    public static Cell Blank(int column, uint row, uint style) => new() { CellReference = ColumnName(column) + row, StyleIndex = style };

    /// <summary>A number cell, or a blank one for null, to be put in its column by <see cref="Placed"/>.</summary>
    public static Cell Number(decimal? value, uint style) => value is { } v
        ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(v), StyleIndex = style }
        : new Cell { StyleIndex = style };

    private static Stylesheet Stylesheet()
    {
        static Font Font(double size, bool bold) => bold
            ? new Font(new Bold(), new FontSize { Val = size }, new FontName { Val = "宋体" })
            : new Font(new FontSize { Val = size }, new FontName { Val = "宋体" });
        static Border Ruled()
        {
            static T Thin<T>() where T : BorderPropertiesType, new() => new() { Style = BorderStyleValues.Thin, Color = new Color { Indexed = 64 } };
            return new Border(Thin<LeftBorder>(), Thin<RightBorder>(), Thin<TopBorder>(), Thin<BottomBorder>(), new DiagonalBorder());
        }
        // An amount with a fraction (万元) shows the decimals it has (AmountFormat); a custom format, since Excel's built-in 0.00 (2)
        // would round 0.0035 to 0.00, and General rounds a long figure to the column's width.
        static CellFormat Format(uint font, uint border, Alignment? alignment, uint fill = 0, uint numberFormat = 0)
        {
            var format = new CellFormat
            {
                FontId = font, FillId = fill, BorderId = border, NumberFormatId = numberFormat,
                ApplyFont = font != 0, ApplyBorder = border != 0, ApplyFill = fill != 0, ApplyAlignment = alignment is not null,
                ApplyNumberFormat = numberFormat != 0 ? true : null,
            };
            if (alignment is not null) format.Append(alignment);
            return format;
        }
        static Alignment Align(HorizontalAlignmentValues h, bool wrap = false, uint indent = 0) =>
            new() { Horizontal = h, Vertical = VerticalAlignmentValues.Center, WrapText = wrap ? true : null, Indent = indent == 0 ? null : indent };

        var formats = new CellFormats(
            Format(0, 0, null),
            Format(1, 0, Align(HorizontalAlignmentValues.Center)),
            Format(0, 0, Align(HorizontalAlignmentValues.Center)),
            Format(2, 1, Align(HorizontalAlignmentValues.Center, wrap: true)),
            Format(0, 1, Align(HorizontalAlignmentValues.Center)),
            Format(0, 1, Align(HorizontalAlignmentValues.Right)),
            Format(0, 0, Align(HorizontalAlignmentValues.Left)),
            Format(0, 1, Align(HorizontalAlignmentValues.Right), fill: 2));
        for (uint i = 0; i < MaxIndent; i++) formats.Append(Format(0, 1, Align(HorizontalAlignmentValues.Left, wrap: true, indent: i)));
        for (uint i = 0; i < MaxIndent; i++) formats.Append(Format(2, 1, Align(HorizontalAlignmentValues.Left, wrap: true, indent: i)));
        formats.Append(Format(0, 0, new Alignment { Horizontal = HorizontalAlignmentValues.Left, Vertical = VerticalAlignmentValues.Top, WrapText = true }));
        formats.Append(Format(0, 1, Align(HorizontalAlignmentValues.Right), numberFormat: AmountFormatId), Format(0, 0, Align(HorizontalAlignmentValues.Right)));
        formats.Append(Format(0, 1, Align(HorizontalAlignmentValues.Left, wrap: true), fill: 2));
        return new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = AmountFormatId, FormatCode = AmountFormat }) { Count = 1 },
            new Fonts(Font(11, false), Font(16, true), Font(11, true)),
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFF8DC" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid })),
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Ruled()),
            formats);
    }
}
