using System.Globalization;
using Disclosure.Api.Features.Aggregates;
using Disclosure.Catalogue;
using DocumentFormat.OpenXml.Spreadsheet;
using CatalogueCell = Disclosure.Catalogue.Cell;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;

namespace Disclosure.Api.Features.Templates;

/// <summary>One reporter's column of a 分单位填报 workbook: the registered reporter its id cell names, and what it holds.</summary>
public sealed record ReporterColumn(string Reporter, string Name, string Column, int? MadeFromRevision, IReadOnlyList<Submissions.ValueItem> Values);

/// <summary>A filled-in 分单位填报 workbook: the catalogue and period it names, and each reporter's column, left to right.</summary>
public sealed record ReportersSheet(string Catalogue, string Period, IReadOnlyList<ReporterColumn> Columns);

/// <summary>
/// A reporter's column to write: its latest revision (0: none) and that revision's figures; of a year without a table of its
/// own, how many quarterly tables its year is added up from (<paramref name="Quarters"/>), said where the revision would be.
/// </summary>
public sealed record ReporterFigures(string Reporter, string Name, int Revision, IReadOnlyDictionary<string, decimal> Values, int Quarters = 0);

/// <summary>
/// 分单位填报: one sheet with the catalogue's cells down the side (as 导出分单位明细 lists them: a row, or a row × column cell
/// of a 2021 table) and a column per reporter, for the district office to enter or paste many reporters' tables at once —
/// the summary spreadsheet it compiled by hand before this service, last year's included. Under each reporter's name, its
/// id and the revision its figures were filled in from; the reading gives each column as a submission body's values, for
/// <c>POST /v1/submissions</c> to judge and store one reporter at a time. Those cells can be typed over (the period, to
/// reuse last quarter's workbook; a column pasted in from another), so each column's revision is also kept in a hidden
/// defined name with the table it is of (<see cref="RevisionName"/>), and is only read as the revision of that table.
/// </summary>
public static class ReportersWorkbook
{
    public const string SheetName = "分单位填报";
    private const string CatalogueLabel = "统计表 catalogue";
    private const string PeriodLabel = "统计期 period";
    private const string ReporterLabel = "填报单位代码 reporter";
    private const string RevisionLabel = "据第几次修订 revision";
    private const string CodeHeading = "代码";
    /// <summary>The headings of the columns that describe the rows, left of the reporters' columns.</summary>
    private static readonly string[] Headings = ["序号", CodeHeading, "指标名称", "单位"];

    /// <summary>
    /// The prefix of the hidden workbook-level defined names, one per reporter column (<c>disclosure_revision_1</c> …), each
    /// <c>"reporter/catalogue/period/revision"</c>: the revision the column was filled in from, and the table it is of.
    /// </summary>
    public const string RevisionName = "disclosure_revision_";

    /// <summary>
    /// The template of <paramref name="reporters"/>' tables side by side. <paramref name="closed"/>: what closes the period, said
    /// (in Chinese, with which columns it keeps from being sent) at the head of the instructions, so that the office knows before
    /// it fills anything in; null while open.
    /// <paramref name="scope"/>: which reporters a narrowed template holds, said (in Chinese) after them; null for every one that owes the period.
    /// <paramref name="newer"/>: what each column's submission would be warned of where a catalogue beginning later takes the period
    /// (<c>newer-catalogue</c>), said first: paper tables on the old layout keyed into the old edition are not in the district's table.
    /// </summary>
    public static byte[] Template(Catalogue.Catalogue catalogue, string period, IReadOnlyList<ReporterFigures> reporters, string? closed = null, string? scope = null,
        string? newer = null) =>
        PrintedSheet.Xlsx(workbook =>
        {
            var sheet = new PrintedSheet(SheetName, reporters.Count);
            sheet.Line($"{catalogue.Document.Title}（分单位填报模板）", PrintedSheet.Title);
            void Label(string label, string value)
            {
                sheet.NewRow().Append(PrintedSheet.Text(0, sheet.Row, label, PrintedSheet.Footer), PrintedSheet.Text(2, sheet.Row, value, PrintedSheet.Footer));
                sheet.Merge(0, sheet.Row, 1, sheet.Row);
            }
            Label(CatalogueLabel, catalogue.Id);
            Label(PeriodLabel, SubmissionWorkbook.PeriodCell(period));
            sheet.Line((newer is null ? "" : $"注意：{newer}") + (closed is null ? "" : $"注意：{closed}；要更正某单位的报表，可以先在报送情况中将其退回，" +
                "或重新开放统计期。") + "填写说明：每列一个填报单位，在浅色格中填写该单位的数字（可从原来的汇总表整列粘贴），空格即未填（不是 0）。" +
                "上传后，与下载时相同的列不会再次报送；下载后已有新修订的单位会提示，不会直接覆盖。不要改动第 5–7 行。" +
                (reporters.Any(r => r.Quarters > 0) ? "标“据季报”的单位没有年报，其年度数据由季报汇总，已计入汇总表，不是未报；在其列中填写即为该单位报送年报，代替季报汇总。" : "") + scope, PrintedSheet.Footer);
            // Headings has one heading per label column, so the reporters' names start at the first figure column.
            sheet.TextRow(PrintedSheet.Heading, [.. Headings, .. reporters.Select(r => r.Name)]);
            void Marks(string label, Func<ReporterFigures, string> mark)
            {
                var row = sheet.NewRow();
                row.Append(PrintedSheet.Text(0, sheet.Row, label, PrintedSheet.Footer));
                sheet.Merge(0, sheet.Row, PrintedSheet.LabelColumns - 1, sheet.Row);
                for (var i = 0; i < reporters.Count; i++) row.Append(PrintedSheet.Text(PrintedSheet.LabelColumns + i, sheet.Row, mark(reporters[i]), PrintedSheet.Centered));
            }
            Marks(ReporterLabel, r => r.Reporter);
            Marks(RevisionLabel, r => r.Quarters > 0 ? $"据季报（{r.Quarters} 个季度）" : r.Revision.ToString(CultureInfo.InvariantCulture));
            var titleRows = sheet.Row;

            var number = 0;
            foreach (var (cell, name) in Cells(catalogue))
            {
                var row = sheet.NewRow();
                row.Append(PrintedSheet.Text(0, sheet.Row, (++number).ToString(CultureInfo.InvariantCulture), PrintedSheet.Centered),
                    PrintedSheet.Text(1, sheet.Row, cell.Code, PrintedSheet.Plain), PrintedSheet.Text(2, sheet.Row, name, PrintedSheet.Name(0)),
                    PrintedSheet.Text(3, sheet.Row, cell.Unit ?? "", PrintedSheet.Centered));
                for (var i = 0; i < reporters.Count; i++)
                {
                    var figure = sheet.Placed(PrintedSheet.Number(reporters[i].Values.TryGetValue(cell.Code, out var v) ? v : null, PrintedSheet.FigureStyle(cell.Unit, input: true)),
                        PrintedSheet.ColumnName(PrintedSheet.LabelColumns + i));
                    row.Append(figure);
                    sheet.MarkInput(figure.CellReference!.Value!, cell.Decimals == 0);
                }
            }
            sheet.AddTo(workbook, titleRows, [5, catalogue.Document.Tables.Any(t => t.Columns.Count > 0) ? 18 : 9, 36, 6], wide: true);
            PrintedSheet.Define(workbook, reporters.Select((r, i) => new DefinedName(new WorkbookTable(r.Reporter, catalogue.Id, period).Formula(r.Revision.ToString(CultureInfo.InvariantCulture)))
                { Name = RevisionName + (i + 1).ToString(CultureInfo.InvariantCulture), Hidden = true }));
        });

    /// <summary>The catalogue's value cells in table order, each with its name (a 2021 cell's catalogue name, row · column).</summary>
    private static IEnumerable<(CatalogueCell Cell, string Name)> Cells(Catalogue.Catalogue catalogue)
    {
        foreach (var table in catalogue.Document.Tables)
            foreach (var row in table.Rows.Where(r => r.Role != RowRole.Header))
                if (table.Columns.Count == 0)
                {
                    if (catalogue.TryGetCell(row.Code, out var cell)) yield return (cell, row.Name);
                }
                else
                    foreach (var column in table.Columns)
                        if (catalogue.TryGetCell(Catalogue.Catalogue.CellCode(row.Code, column.Code), out var cell))
                            yield return (cell, cell.Name);
    }

    /// <summary>
    /// Each reporter's column of a filled-in 分单位填报 workbook, left to right, under the reporter its id cell names among
    /// <paramref name="registered"/> (<see cref="Meant"/>). A <see cref="WorkbookException"/> naming the sheet and cell for a
    /// workbook that is not one, and, all in one, for each cell that holds something other than a number, an id cell that names no
    /// reporter (or two) or one that another column has, and an empty id cell above figures.
    /// </summary>
    public static ReportersSheet Read(byte[] workbook, IReadOnlyCollection<Storage.Reporter> registered) => SubmissionWorkbook.Reading(workbook, book =>
    {
        var sheet = book.Sheet(SheetName) ??
            throw new WorkbookException($"工作簿中没有名为“{SheetName}”的工作表：请下载分单位填报模板填写。The workbook has no sheet named '{SheetName}': download the template of every reporter (GET /v1/templates/{{catalogue}}/{{period}}/reporters) and fill that in.");
        book.RefuseCopies(SheetName, [CatalogueLabel, PeriodLabel, ReporterLabel]);
        var rows = book.Rows(sheet);
        // The row whose cell reads label, and that row's cells after it (by column letters, left to right, text not empty).
        (Row Row, List<(string Column, string Text)> After)? Find(string label)
        {
            foreach (var row in rows)
                if (book.Column(row, label) is { } at)
                    return (row, [.. CellsOf(row).Where(c => Position(c.Key) > Position(at)).Select(c => (c.Key, book.Text(c.Value).Trim()))
                        .Where(c => c.Item2.Length > 0).OrderBy(c => Position(c.Key))]);
            return null;
        }
        WorkbookException Missing(string label) =>
            new($"工作表“{SheetName}”中找不到“{label}”一行：请不要改动表头几行，或重新下载模板。The sheet {SheetName} has no row labelled '{label}': download the template again.", $"Sheet {SheetName}");
        (string Text, string Cell) Value(string label) => Find(label) is { After: [var (column, text), ..] } found
            ? (text, CellsOf(found.Row)[column].CellReference!.Value!)
            : throw Missing(label);

        var catalogue = Value(CatalogueLabel).Text;
        var period = SubmissionWorkbook.TypedPeriod(SheetName, Value(PeriodLabel));
        var ids = Find(ReporterLabel) ?? throw Missing(ReporterLabel);
        var revisions = Find(RevisionLabel)?.After.ToDictionary(c => c.Column, c => c.Text) ?? [];
        var recorded = (book.Part.Workbook.DefinedNames?.Elements<DefinedName>() ?? [])
            .Where(d => d.LocalSheetId is null && d.Name?.Value?.StartsWith(RevisionName, StringComparison.OrdinalIgnoreCase) == true)
            .Select(d => WorkbookTable.Parse(d.Text, more: 1)).OfType<WorkbookTable>().ToList();
        // The revision a column was filled in from: the one the workbook recorded for the table it now names (its reporter's
        // table of the sheet's catalogue and period), else none (0) — a column retyped or pasted in, or a period typed over, was
        // not made from any revision of that table. A workbook of an earlier build records none: its revision row, as before.
        int? MadeFrom(string column, string reporter) => recorded.Count == 0
            ? revisions.TryGetValue(column, out var r) && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var made) ? made : null
            : recorded.FirstOrDefault(t => t.Is(reporter, catalogue, period)) is { } table
              && int.TryParse(table.Rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kept) ? kept : 0;
        var header = rows.FirstOrDefault(r => book.Column(r, CodeHeading) is not null) ?? throw Missing(CodeHeading);
        var codeColumn = book.Column(header, CodeHeading)!;
        var first = Math.Max(ids.Row.RowIndex?.Value ?? 0, header.RowIndex?.Value ?? 0);
        // A reporter's column is any right of the reporter label but those headed 代码, 指标名称 and the like.
        var labelColumn = book.Column(ids.Row, ReporterLabel)!;
        var described = CellsOf(header).Where(c => Headings.Contains(book.Text(c.Value).Trim())).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        string IdCell(string column) => $"{column}{ids.Row.RowIndex?.Value}";

        var values = ids.After.ToDictionary(c => c.Column, _ => new List<Submissions.ValueItem>());
        // The first filled cell of each column that has figures but no id: they belong to no reporter.
        var unheaded = new Dictionary<string, string>(StringComparer.Ordinal);
        var refused = new List<WorkbookException>();
        foreach (var row in rows.Where(r => r.RowIndex?.Value > first))
        {
            var cells = CellsOf(row);
            if (!cells.TryGetValue(codeColumn, out var codeCell) || book.Text(codeCell).Trim() is not { Length: > 0 } code) continue;
            foreach (var (column, list) in values)
                if (cells.TryGetValue(column, out var cell) && book.Number(cell, SheetName, cell.CellReference?.Value ?? column, code, refused) is { } value)
                    list.Add(new() { Code = code, Value = value }); // blank stays blank
            foreach (var (column, cell) in cells)
                if (!values.ContainsKey(column) && !described.Contains(column) && Position(column) > Position(labelColumn)
                    && !unheaded.ContainsKey(column) && book.Text(cell).Trim().Length > 0)
                    unheaded[column] = cell.CellReference?.Value ?? $"{column}{row.RowIndex?.Value}";
        }

        var byId = registered.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var byName = registered.ToLookup(r => Storage.Reporter.NormaliseName(r.Name), StringComparer.Ordinal);
        var columns = new List<ReporterColumn>();
        var headings = new List<(string Column, WorkbookException Refusal)>();
        foreach (var (column, text) in ids.After)
        {
            var meant = Meant(text, byId, byName);
            if (meant is [var reporter])
                columns.Add(new ReporterColumn(reporter.Id, reporter.Name, column, MadeFrom(column, reporter.Id), values[column]));
            else
                headings.Add((column, meant.Count == 0 ? Unknown(IdCell(column), text) : Ambiguous(IdCell(column), text, meant)));
        }
        foreach (var twice in columns.GroupBy(c => c.Reporter, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (var column in twice)
                headings.Add((column.Column, Twice(IdCell(column.Column), [.. twice.Where(c => c != column).Select(c => IdCell(c.Column))], column)));
        foreach (var (column, figure) in unheaded)
            headings.Add((column, Unheaded(IdCell(column), figure)));

        WorkbookException.ThrowAny([.. headings.OrderBy(h => Position(h.Column)).Select(h => h.Refusal), .. refused]);
        return new ReportersSheet(catalogue, period, columns);

        static Dictionary<string, Cell> CellsOf(Row row) => SubmissionWorkbook.Opened.Cells(row);
    });

    /// <summary>
    /// The reporters an id cell may mean: the one with that id, as the template writes it; else the one whose id it is in
    /// capitals or full-width letters (ids are lower-case), and the one whose registered name it is (<see cref="Storage.Reporter.NormaliseName"/>),
    /// which is what a clerk types. More than one only when a name reads as another reporter's id in capitals. The exact id comes
    /// first and alone, though another reporter's name be the same text: it is what the template writes, so a cell left as it came
    /// reads back as made, and it is the one text that names its reporter for certain (refused, that reporter could not be named).
    /// </summary>
    internal static List<Storage.Reporter> Meant(string text, Dictionary<string, Storage.Reporter> byId, ILookup<string, Storage.Reporter> byName)
    {
        if (byId.TryGetValue(text, out var exact)) return [exact];
        var meant = new List<Storage.Reporter>();
        if (byId.TryGetValue(Reporters.ReporterNames.AsId(text), out var folded)) meant.Add(folded);
        meant.AddRange(byName[Storage.Reporter.NormaliseName(text)].Where(r => !meant.Contains(r)));
        return meant;
    }

    private static WorkbookException IdRefused(string cell, string zh, string en) =>
        new($"工作表“{SheetName}”{cell} 格（填报单位代码）{zh} Sheet {SheetName}, cell {cell} (reporter) {en}", $"Sheet {SheetName}, cell {cell}");

    private static WorkbookException Unknown(string cell, string text) => IdRefused(cell,
        $"填的是“{text}”，既不是已登记填报单位的代码，也不是其名称：请改为该单位的代码或登记的名称（见“填报单位”页）；新的单位请先登记。",
        $"holds '{text}', which is neither a registered reporter's id nor its name: enter the reporter's id or registered name, and register a new reporter first.");

    private static WorkbookException Ambiguous(string cell, string text, List<Storage.Reporter> meant) => IdRefused(cell,
        $"填的“{text}”可能是{string.Join("，也可能是", meant.Select(r => $" {r.Id}（{r.Name}）"))}：请改为所指单位的代码。",
        $"holds '{text}', which may be {string.Join(" or ", meant.Select(r => $"reporter {r.Id} ({r.Name})"))}: enter the id of the one meant.");

    private static WorkbookException Twice(string cell, List<string> others, ReporterColumn column) => IdRefused(cell,
        $"与 {string.Join("、", others)} 格是同一个填报单位 {column.Reporter}（{column.Name}）：每个单位只占一列，请删去多余的一列，或改正其代码。",
        $"names reporter {column.Reporter} ({column.Name}), as {string.Join(", ", others)} {(others.Count == 1 ? "does" : "do")}: a reporter has one column; delete the extra one, or correct its id.");

    private static WorkbookException Unheaded(string cell, string figure) => IdRefused(cell,
        $"是空的，但这一列填有数字（如 {figure} 格）：没有填报单位的数字无法录入。请填上该单位的代码或登记的名称；不录入的，请清空这一列。",
        $"is empty, but its column holds figures ({figure} and on): figures without a reporter cannot be entered. Enter the reporter's id or registered name, or clear the column.");

    /// <summary>A column's letters as a number (A = 1, AA = 27), to order columns as they stand.</summary>
    private static int Position(string letters) => SubmissionWorkbook.Opened.ColumnNumber(letters);
}
