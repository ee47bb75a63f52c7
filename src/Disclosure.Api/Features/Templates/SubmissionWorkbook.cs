using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Disclosure.Api.Features.Aggregates;
using Disclosure.Catalogue;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;

namespace Disclosure.Api.Features.Templates;

/// <summary>
/// A workbook that is not a filled-in template, named by its sheet and cell where one is to blame; or every cell of it that
/// could not be read (<see cref="Each"/>), so that a town mends them all in one round.
/// </summary>
public sealed class WorkbookException : Exception
{
    public WorkbookException(string message, string? where = null) : base(message)
    {
        Where = where;
        Each = [this];
    }

    private WorkbookException(IReadOnlyList<WorkbookException> each)
        : base($"工作簿中有 {each.Count} 个格需要改正，见 errors：请逐一改正后重新上传。The workbook has {each.Count} cells to mend; each is listed in errors.")
    {
        Each = each;
    }

    /// <summary>The sheet and cell, e.g. <c>填报表!E9</c>, or null for the workbook as a whole (or for several cells).</summary>
    public string? Where { get; }

    /// <summary>Each refusal: this one, or every cell to mend (figures that are not numbers, cells merged away, id cells of 分单位填报 …).</summary>
    public IReadOnlyList<WorkbookException> Each { get; }

    /// <summary>Throws the cells' refusals together, one exception for one of them; nothing when there are none.</summary>
    internal static void ThrowAny(List<WorkbookException> cells)
    {
        if (cells.Count == 1) throw cells[0];
        if (cells.Count > 1) throw new WorkbookException(cells);
    }

    /// <summary>The 400 a client gets for it: a validation problem with an error naming each sheet and cell (or the body).</summary>
    public IResult Problem(HttpContext context)
    {
        var problem = (Microsoft.AspNetCore.Mvc.ProblemDetails)Infrastructure.Problems.Validation(
            [.. Each.Select(e => new FluentValidation.Results.ValidationFailure(e.Where ?? "body", e.Message))], context, StatusCodes.Status400BadRequest);
        problem.Detail = Message;
        return TypedResults.Problem(problem);
    }
}

/// <summary>A workbook read back: the JSON body it stands for, and where it came from and where its cells are.</summary>
public sealed record WorkbookBody(byte[] Json, WorkbookOrigin Origin);

/// <summary>
/// The template a town or department fills in Excel or WPS, and the reading of it back into the JSON body of
/// <c>POST /v1/submissions</c>, so that a workbook is judged and stored exactly as that JSON. The sheet 填报表 names the
/// catalogue, period and reporter in labelled cells at the top. A catalogue of rows only (2014) is filled on that sheet, one
/// row per indicator; one of rows × columns (2021) on one sheet per table laid out as printed, each value cell carrying a
/// workbook-level defined name that spells its code (<see cref="CellName"/>), which Excel and WPS move with the cell when
/// rows or columns are inserted. Hidden defined names, which no editing of a sheet reaches, record the revision the
/// template was filled in from and the table it is of (<see cref="RevisionName"/>, <see cref="TableName"/>).
/// </summary>
public static class SubmissionWorkbook
{
    public const string MediaType = Exports.Xlsx;
    public const string SheetName = "填报表";
    private const string CatalogueLabel = "统计表 catalogue";
    private const string PeriodLabel = "统计期 period";
    private const string ReporterLabel = "填报单位 reporter";
    /// <summary>The optional 填报说明 (<c>note</c>), beside its label on 填报表; a template of an earlier build has none.</summary>
    private const string NoteLabel = "填报说明 note";
    private const string NoteHint = "选填，最多 500 字：如某项与上年相差较大的原因";
    private static readonly string[] Headings = ["序号", "指标名称", "代码", "单位", "填报数"];

    // Bounds that refuse a zip bomb, counted on the bytes actually inflated, well above the largest part of any template
    // (分单位填报 for a thousand reporters). What the XML inside may hold is WorkbookShape's.
    private const int MaxEntries = 64;
    private const long MaxEntryBytes = 16L * 1024 * 1024;
    private const long MaxTotalBytes = 32L * 1024 * 1024;

    /// <summary>The rows an Excel sheet has.</summary>
    private const uint MaxRows = 1_048_576;

    /// <summary>The columns an Excel sheet has (A to XFD).</summary>
    private const int MaxColumns = 16_384;

    /// <summary>The prefix of the defined names that carry a value cell's code.</summary>
    public const string CellNamePrefix = "c_";

    /// <summary>
    /// The hidden workbook-level defined name whose value is the revision the template was filled in from (0: blank, nothing
    /// was submitted yet). A defined name rather than a cell: sorting, inserting, deleting or typing over cells leaves it be.
    /// </summary>
    public const string RevisionName = "disclosure_revision";

    /// <summary>
    /// The hidden workbook-level defined name whose value is the table <see cref="RevisionName"/> is a revision of,
    /// <c>"reporter/catalogue/period"</c> (<see cref="WorkbookTable"/>): a town that reuses last quarter's file and retypes
    /// the period cell sends a workbook whose revision is of another table. A template of an earlier build has none.
    /// </summary>
    public const string TableName = "disclosure_table";

    /// <summary>
    /// The template filled in with <paramref name="values"/> and <paramref name="note"/>, those of revision
    /// <paramref name="revision"/> (0 and none for a blank one). <paramref name="closing"/>: the closed period that keeps the
    /// table from being sent (the period, or a quarter's closed year), said on 填报表 before anyone fills it in; null while open.
    /// <paramref name="returned"/>: the table was returned (退回) in that closed period, so it may be corrected once all the same.
    /// <paramref name="fromQuarters"/>: a quarter closed with its year by a reporter that sent quarters of it (<see cref="Periods.ClosedPeriods.Said"/>).
    /// <paramref name="newer"/>: what a submission would be warned of where a catalogue beginning later takes the period (<c>newer-catalogue</c>).
    /// </summary>
    public static byte[] Template(Catalogue.Catalogue catalogue, string period, string reporterId, string reporterName, IReadOnlyDictionary<string, decimal> values, int revision,
        string? note = null, string? closing = null, bool returned = false, bool fromQuarters = false, string? newer = null) =>
        catalogue.Document.Tables.Any(t => t.Columns.Count > 0)
            ? PrintedTemplate(catalogue, period, reporterId, reporterName, values, revision, note, closing, returned, fromQuarters, newer)
            : FlatTemplate(catalogue, period, reporterId, reporterName, values, revision, note, closing, returned, fromQuarters, newer);

    /// <summary>
    /// A stored table's figures by code as the reporter typed them, to fill a template in with; none for no table. A sum the
    /// service derived is left blank, as it was sent: written as a number it would come back typed, and a part corrected in
    /// Excel would then be refused for a sum the person never typed.
    /// </summary>
    internal static Dictionary<string, decimal> Figures(Storage.Submission? table)
    {
        var figures = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var v in table?.Values ?? []) if (!v.Derived) figures[v.Code] = v.Value;
        return figures;
    }

    private static readonly Microsoft.Net.Http.Headers.MediaTypeHeaderValue Workbook = new(MediaType);

    /// <summary>The 406 for a request whose Accept excludes the workbook a template is; null when it takes one.</summary>
    internal static IResult? Unacceptable(HttpContext context) => Exports.Accepts(context.Request.Headers.Accept, Workbook)
        ? null
        : Infrastructure.Problems.Result(Infrastructure.ProblemTypes.NotAcceptable,
            $"模板是 Excel 工作簿（{MediaType}），而 Accept 请求头不接受它。The template is an Excel workbook ({MediaType}), which Accept: {context.Request.Headers.Accept} excludes.", context);

    /// <summary>The hidden names <see cref="RevisionName"/> and <see cref="TableName"/>.</summary>
    private static DefinedName[] Marks(int revision, WorkbookTable table) =>
        [new(revision.ToString(CultureInfo.InvariantCulture)) { Name = RevisionName, Hidden = true }, new(table.Formula()) { Name = TableName, Hidden = true }];

    /// <summary>
    /// What the person reads on 填报表 about the revision the template holds, and whether it can still be sent: the closed period
    /// named as people read it, in the words of the refusal an upload would meet.
    /// </summary>
    private static string RevisionNote(string catalogue, string period, int revision, string? closing, bool returned, bool fromQuarters) => (revision == 0
        ? "本模板为空白模板（下载时尚未提交）。A blank template: nothing was submitted when it was downloaded."
        : $"本模板填入的是第 {revision} 次修订；上传时如已有更新的修订，会先提示，不会直接覆盖。Filled in from revision {revision}: an upload made from an older revision than the current one is refused until it is confirmed.")
        + ClosedNote(catalogue, period, revision, closing, returned, fromQuarters);

    /// <summary>
    /// The closed period, said to the reporter as what it can still do: a returned table (退回) may be corrected once; one sent
    /// may be returned by the office for that; one never sent waits for the office to reopen the period.
    /// </summary>
    private static string ClosedNote(string catalogue, string period, int revision, string? closing, bool returned, bool fromQuarters) =>
        closing is null ? ""
        : $" 注意：{Periods.ClosedPeriods.Said(Period.Parse(closing), Period.Parse(period), catalogue, fromQuarters).Chinese}" + (returned
            ? $"，但本表已被区政务公开办退回，可以按退回意见更正一次，上传提交。Period {closing} is closed, but the district office returned this table: it may be corrected and sent once."
            : revision == 0
                ? $"，本表现在不能提交；如需补报，请联系区政务公开办重新开放统计期。Period {closing} is closed: this table cannot be sent now; to send it late, ask the district office to reopen the period."
                : $"，本表现在不能提交；如需更正，区政务公开办可以将本表退回，退回后可以更正一次再提交。Period {closing} is closed: this table cannot be sent now; " +
                    "to correct it, the district office can return it (退回), after which it may be corrected and sent once.");

    /// <summary>
    /// The rows-only template (2014): 填报表 with the labels, then the table, one value a row, on the printed sheets' path
    /// (<see cref="PrintedSheet"/>): ruled, its value cells shaded and checked as typed, A4 fitted to the width with the rows
    /// down to the column header repeated on every page and frozen on screen, as the 2021 template's sheets are.
    /// </summary>
    private static byte[] FlatTemplate(Catalogue.Catalogue catalogue, string period, string reporterId, string reporterName, IReadOnlyDictionary<string, decimal> values, int revision,
        string? note, string? closing, bool returned, bool fromQuarters, string? newer) =>
        PrintedSheet.Xlsx(workbook =>
        {
            var sheet = Cover(catalogue, period, reporterId, reporterName);
            sheet.TextRow(PrintedSheet.Footer, RevisionNote(catalogue.Id, period, revision, closing, returned, fromQuarters));
            if (newer is not null) sheet.TextRow(PrintedSheet.Footer, newer);
            NoteRow(sheet, note);
            sheet.TextRow(PrintedSheet.Heading, Headings);
            var header = sheet.Row;
            // Only a catalogue whose tables have no columns comes here, so each value row is one cell, coded as the row.
            var number = 0;
            foreach (var table in catalogue.Document.Tables)
            {
                var depth = PrintedTable.Depths(table.Rows.Select(r => (r.Code, r.Parent)));
                foreach (var row in table.Rows)
                {
                    var r = sheet.NewRow();
                    if (row.Role == RowRole.Header)
                    {
                        r.Append(PrintedSheet.Blank(0, sheet.Row, PrintedSheet.Centered), PrintedSheet.Text(1, sheet.Row, row.Name, PrintedSheet.Section(depth[row.Code])),
                            PrintedSheet.Text(2, sheet.Row, row.Code, PrintedSheet.Centered), PrintedSheet.Blank(3, sheet.Row, PrintedSheet.Centered), PrintedSheet.Blank(4, sheet.Row, PrintedSheet.Figure));
                        continue;
                    }
                    catalogue.TryGetCell(row.Code, out var cell);
                    var figure = sheet.Placed(PrintedSheet.Number(values.TryGetValue(row.Code, out var v) ? v : null, PrintedSheet.FigureStyle(cell.Unit, input: true)), "E");
                    r.Append(sheet.Placed(PrintedSheet.Number(++number, PrintedSheet.Centered), "A"), PrintedSheet.Text(1, sheet.Row, cell.Name, depth[row.Code] == 0 ? PrintedSheet.Section(0) : PrintedSheet.Name(depth[row.Code])),
                        PrintedSheet.Text(2, sheet.Row, cell.Code, PrintedSheet.Centered), PrintedSheet.Text(3, sheet.Row, cell.Unit, PrintedSheet.Centered), figure);
                    sheet.MarkInput(figure.CellReference!.Value!, cell.Decimals == 0);
                }
            }
            sheet.AddTo(workbook, header, [18, 60, 14, 14, 14]);
            PrintedSheet.Define(workbook, Marks(revision, new(reporterId, catalogue.Id, period)));
        });

    /// <summary>
    /// 填报说明: its label, the cell to type it into, styled as the figures to fill in are (ruled and shaded), so that it is seen
    /// as the place to type rather than the hint beside it, and the hint.
    /// </summary>
    private static void NoteRow(PrintedSheet sheet, string? note)
    {
        var r = sheet.NewRow();
        r.Append(PrintedSheet.Text(0, sheet.Row, NoteLabel, PrintedSheet.Footer), PrintedSheet.Text(1, sheet.Row, note ?? "", PrintedSheet.TextInput),
            PrintedSheet.Text(2, sheet.Row, NoteHint, PrintedSheet.Footer));
    }

    /// <summary>填报表 with its title and the labelled catalogue, period and reporter cells that <see cref="Read"/> looks for.</summary>
    private static PrintedSheet Cover(Catalogue.Catalogue catalogue, string period, string reporterId, string reporterName)
    {
        var sheet = new PrintedSheet(SheetName, 1);
        sheet.Line($"{catalogue.Document.Title}（填报模板）", PrintedSheet.Title);
        sheet.TextRow(PrintedSheet.Footer, CatalogueLabel, catalogue.Id);
        sheet.TextRow(PrintedSheet.Footer, PeriodLabel, PeriodCell(period));
        sheet.TextRow(PrintedSheet.Footer, ReporterLabel, reporterId, reporterName);
        return sheet;
    }

    /// <summary>
    /// The rows × columns template: 填报表 with the labels and how to fill in, then each table as printed, its value cells
    /// shaded, prefilled and named after their codes.
    /// </summary>
    private static byte[] PrintedTemplate(Catalogue.Catalogue catalogue, string period, string reporterId, string reporterName, IReadOnlyDictionary<string, decimal> values, int revision,
        string? note, string? closing, bool returned, bool fromQuarters, string? newer) =>
        PrintedSheet.Xlsx(workbook =>
        {
            var sheets = catalogue.Document.Tables.Zip(PrintedSheet.TableSheetNames(catalogue.Document.Tables.Select(t => t.Id)), (t, n) => (Table: t, Name: n)).ToList();

            var cover = Cover(catalogue, period, reporterId, reporterName);
            cover.Line(RevisionNote(catalogue.Id, period, revision, closing, returned, fromQuarters), PrintedSheet.Footer);
            if (newer is not null) cover.Line(newer, PrintedSheet.Footer);
            cover.Line($"填写说明：在 {string.Join("、", sheets.Select(s => s.Name))} 的浅色格中填写数字，空格即未填（不是 0）；不要改动这几张表的格式，填好后在页面上传或 POST /v1/submissions。", PrintedSheet.Footer);
            NoteRow(cover, note);
            cover.AddTo(workbook, 0, [22, 36, 36, 8, 8]);

            var names = new List<DefinedName>(Marks(revision, new(reporterId, catalogue.Id, period)));
            foreach (var (table, name) in sheets)
            {
                var printed = PrintedTable.Of(catalogue, table, [new FigureColumn(null, "填报数")]);
                var sheet = new PrintedSheet(name, printed.FigureWidth);
                sheet.Line(table.Title, PrintedSheet.Title);
                sheet.Line($"填报单位：{reporterName}　统计期：{Infrastructure.AuditText.Period(period)}", PrintedSheet.Subtitle);
                var titleRows = sheet.Table(printed, (line, column, letter) =>
                {
                    var code = Catalogue.Catalogue.CellCode(line.Row.Code, column.Code);
                    if (!catalogue.TryGetCell(code, out var cell)) return null;
                    // Each value cell is named after its code, so the upload finds it wherever Excel has moved it.
                    names.Add(new DefinedName($"{PrintedSheet.Quoted(name)}!${letter}${sheet.Row}") { Name = CellName(code) });
                    sheet.MarkInput($"{letter}{sheet.Row}", cell.Decimals == 0);
                    return PrintedSheet.Number(values.TryGetValue(code, out var v) ? v : null, PrintedSheet.FigureStyle(cell.Unit, input: true));
                });
                sheet.Signatures(reporterName, "　　年　　月　　日");
                sheet.AddTo(workbook, titleRows);
            }
            PrintedSheet.Define(workbook, names);
        });

    /// <summary>
    /// The defined name of a value cell: <c>c_</c>, then the code with every character other than a–z, 0–9 and '.'
    /// written as '_' and four hex digits (3.3.3.1:natural → c_3.3.3.1_003anatural). Excel names are case-insensitive
    /// and allow no ':', so only those characters pass as they are; the spelling is reversible (<see cref="CodeOf"/>).
    /// </summary>
    public static string CellName(string code) =>
        CellNamePrefix + Regex.Replace(code, "[^a-z0-9.]", m => "_" + ((int)m.Value[0]).ToString("x4", CultureInfo.InvariantCulture));

    /// <summary>The code a <see cref="CellName"/> spells, or null for a name that is not one.</summary>
    public static string? CodeOf(string name) =>
        name.StartsWith(CellNamePrefix, StringComparison.OrdinalIgnoreCase) && name[CellNamePrefix.Length..] is var spelt && Regex.IsMatch(spelt, @"\A([^_]|_[0-9A-Fa-f]{4})+\z")
            ? Regex.Replace(spelt, "_([0-9A-Fa-f]{4})|[^_]", m => m.Groups[1].Success
                ? ((char)int.Parse(m.Groups[1].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToString()
                : m.Value.ToLowerInvariant())
            : null;

    /// <summary>
    /// The JSON submission body a filled template stands for, and the revision it was filled in from (null when the workbook
    /// does not record one: a template of an earlier build); a <see cref="WorkbookException"/> for anything else.
    /// </summary>
    public static WorkbookBody Read(byte[] workbook) => Reading(workbook, book =>
    {
        var sheet = book.Sheet(SheetName) ??
            throw new WorkbookException($"工作簿中没有名为“{SheetName}”的工作表（是否改了表名？）：请改回原名，或重新下载模板填写。The workbook has no sheet named '{SheetName}': download the template (GET /v1/templates/…) and fill that in.");
        book.RefuseCopies(SheetName, [CatalogueLabel, PeriodLabel, ReporterLabel]);
        var rows = book.Rows(sheet);
        // The cell to the right of a label among the sheet's top rows, in whatever column rows or columns inserted above or
        // before it moved it to, and its text (empty when it is blank or missing); null when no such label is there.
        (string Text, string Cell)? Beside(string label)
        {
            foreach (var row in rows.Where(r => r.RowIndex!.Value <= HeaderRows))
            {
                var cells = Opened.Cells(row);
                if (book.Column(row, label) is not { } column) continue;
                var right = Aggregates.PrintedSheet.ColumnName(Opened.ColumnNumber(column));
                return (cells.TryGetValue(right, out var value) ? book.Text(value).Trim() : "", $"{right}{row.RowIndex!.Value}");
            }
            return null;
        }
        (string Text, string Cell) Label(string label)
        {
            if (Beside(label) is not { } found)
                throw new WorkbookException($"模板顶部找不到“{label}”：请不要改动表头几行，或重新下载模板。The template's label '{label}' is not among the top {HeaderRows} rows of {SheetName}: download the template again.", $"Sheet {SheetName}");
            if (found.Text.Length == 0)
                throw new WorkbookException($"模板顶部“{label}”右侧的 {found.Cell} 格是空的：请填回原来的内容，或重新下载模板。The template's '{label}' cell ({found.Cell}, to the right of the label) is missing or empty.", $"Sheet {SheetName}, cell {found.Cell}");
            return found;
        }
        var (catalogue, catalogueCell) = Label(CatalogueLabel);
        var periodCell = Label(PeriodLabel);
        var period = TypedPeriod(SheetName, periodCell);
        var (reporter, reporterCell) = Label(ReporterLabel);
        var header = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal)
        {
            ["catalogue"] = (SheetName, catalogueCell, CatalogueLabel), ["period"] = (SheetName, periodCell.Cell, PeriodLabel), ["reporter"] = (SheetName, reporterCell, ReporterLabel),
        };
        // Optional, and absent from a template of an earlier build. The hint stands in the cell after the note's: text typed over
        // it is the note (or the rest of it), not dropped.
        string? NoteOf()
        {
            foreach (var row in rows.Where(r => r.RowIndex!.Value <= HeaderRows))
            {
                if (book.Column(row, NoteLabel) is not { } column) continue;
                var cells = Opened.Cells(row);
                var typed = new[] { 0, 1 }.Select(after => Aggregates.PrintedSheet.ColumnName(Opened.ColumnNumber(column) + after))
                    .Select(c => cells.TryGetValue(c, out var value) ? WithoutHint(book.Text(value).Trim()) : "").Where(t => t.Length > 0).ToList();
                return typed.Count == 0 ? null : string.Join("\n", typed);
            }
            return null;
        }
        var note = NoteOf();
        // Typed on after the hint, kept in its cell, the note is what follows it: the hint and the stop or space put after it are the template's.
        static string WithoutHint(string text) =>
            text.StartsWith(NoteHint, StringComparison.Ordinal) ? text[NoteHint.Length..].TrimStart().TrimStart('。', '.', '．', '；', ';', '，', ',', '：', ':').TrimStart() : text;

        // The layout is the template's, not the person's: the rows-only one has its 代码 and 填报数 header row on this sheet,
        // and a defined name of the person's own that happens to start with c_ is not a value cell of it. The printed layout
        // names row × column cells only (3.1:natural), so a name that spells no such code is not the template's either.
        var flat = rows.FirstOrDefault(row => book.Column(row, "代码") is not null && book.Column(row, "填报数") is not null);
        List<(DefinedName Name, string Code)> named = flat is not null ? [] : book.Part.Workbook.DefinedNames?.Elements<DefinedName>()
            .Where(d => d.LocalSheetId is null && d.Name?.Value is { } n && CodeOf(n) is { } code && code.Contains(':', StringComparison.Ordinal))
            .Select(d => (Name: d, Code: CodeOf(d.Name!.Value!)!)).ToList() ?? [];
        if (flat is null && named.Count == 0)
            throw new WorkbookException($"工作表“{SheetName}”中找不到含“代码”和“填报数”的标题行：请重新下载模板填写。The sheet {SheetName} has no header row with the cells 代码 and 填报数, and the workbook no named value cells: download the template again.", $"Sheet {SheetName}");
        var located = new Dictionary<string, (string Sheet, string Cell)>(StringComparer.Ordinal);
        var copies = new Dictionary<string, List<(string Sheet, string Cell)>>(StringComparer.Ordinal);
        var refused = new List<WorkbookException>();
        var (texts, formulas) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        // Which figures were numbers kept as text, and which were formulas: Excel's SUM leaves text out, so a formula's value
        // can differ from the sum of parts this service reads as numbers, and its refusal says why.
        void Kept(string code, Cell cell)
        {
            if (cell.CellFormula is not null) formulas.Add(code);
            else if (cell.DataType?.Value is { } type && (type == CellValues.SharedString || type == CellValues.InlineString || type == CellValues.String)) texts.Add(code);
        }
        var body = new Submissions.SubmissionBody
        {
            Reporter = reporter,
            Period = period,
            Catalogue = catalogue,
            Values = flat is not null ? Flat(flat) : Named(named),
            Note = note,
        };
        WorkbookException.ThrowAny(refused);
        return new WorkbookBody(JsonSerializer.SerializeToUtf8Bytes(body, Infrastructure.Json.Options), new WorkbookOrigin(MadeFrom(book.Part), MadeFor(book.Part))
        {
            Cells = located,
            Header = header,
            Copies = copies.ToDictionary(c => c.Key, IReadOnlyList<(string, string)> (c) => c.Value, StringComparer.Ordinal),
            TextNumbers = texts,
            Formulas = formulas,
        });

        // The rows-only layout: the 代码 and 填报数 columns of the header row, one indicator per row below it.
        List<Submissions.ValueItem?> Flat(Row header)
        {
            var codeColumn = book.Column(header, "代码")!;
            var valueColumn = book.Column(header, "填报数")!;
            var merges = book.Merges(sheet);
            var found = new List<Submissions.ValueItem?>();
            foreach (var row in rows.Where(r => r.RowIndex!.Value > header.RowIndex!.Value))
            {
                var cells = Opened.Cells(row);
                var number = row.RowIndex!.Value;
                var at = $"{valueColumn}{number}";
                cells.TryGetValue(valueColumn, out var valueCell);
                if (!cells.TryGetValue(codeColumn, out var codeCell) || book.Code(codeCell) is not { Length: > 0 } code)
                {
                    // A figure without its code would be dropped unseen: cells merged over the 代码 cell (Excel keeps only the
                    // first one's content) or a code cleared.
                    if (valueCell is not null && book.Text(valueCell).Trim() is { Length: > 0 } orphan)
                        refused.Add(new($"工作表“{SheetName}”{at} 格填的是“{orphan}”，但这一行的“代码”格 {codeColumn}{number} 是空的（是否合并了单元格，或清除了代码？）：请取消合并、填回这一行的代码，或重新下载模板填写。" +
                            $" Sheet {SheetName}, cell {at} holds '{orphan}', but its row's 代码 cell {codeColumn}{number} is empty (cells merged over it, or the code cleared): unmerge the cells and restore the row's code, or download the template again.",
                            $"Sheet {SheetName}, cell {at}"));
                    continue;
                }
                // A code twice (a row copied): the engine refuses it, and the workbook says where each copy is.
                if (!located.TryAdd(code, (SheetName, at)))
                {
                    if (!copies.TryGetValue(code, out var more)) copies[code] = more = [];
                    more.Add((SheetName, at));
                }
                if (merges.FirstOrDefault(range => CoversAfterItsFirst(range, at)) is { } merged) refused.Add(MergedAway(SheetName, at, code, merged));
                else if (valueCell is not null && book.Number(valueCell, SheetName, at, code, refused) is { } value) // blank stays blank
                {
                    found.Add(new() { Code = code, Value = value });
                    Kept(code, valueCell);
                }
            }
            return found;
        }

        // The printed layout: each value cell found by the defined name that spells its code, wherever it has moved.
        List<Submissions.ValueItem?> Named(List<(DefinedName Name, string Code)> names)
        {
            var sheets = new Dictionary<string, (Dictionary<string, Cell> Cells, string CodeColumn, List<string> Merges)>(StringComparer.OrdinalIgnoreCase);
            var rowCodes = names.Select(n => RowCodeOf(n.Code)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var found = new List<Submissions.ValueItem?>();
            foreach (var (name, code) in names)
            {
                var (sheetName, reference) = Reference(name.Text, code);
                if (!sheets.TryGetValue(sheetName, out var target))
                {
                    if (book.Sheet(sheetName) is not { } table)
                        throw new WorkbookException($"{code} 所在的工作表“{sheetName}”已不在工作簿中：请重新下载模板填写。The cell of {code} is on a sheet '{sheetName}' that the workbook does not have: download the template again.", $"Sheet {sheetName}");
                    book.RefuseCopies(sheetName, []);
                    var tableRows = book.Rows(table);
                    // Each row's code is in the column headed 代码 (B as written), which moves with its row as the names do not.
                    var codeColumn = tableRows.Select(r => book.Column(r, "代码")).FirstOrDefault(c => c is not null) ?? "B";
                    target = (tableRows.SelectMany(r => r.Elements<Cell>()).Where(c => c.CellReference?.Value is not null)
                        .GroupBy(c => c.CellReference!.Value!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase), codeColumn,
                        book.Merges(table));
                    sheets[sheetName] = target;
                }
                located.TryAdd(code, (sheetName, reference));
                var codeAt = target.CodeColumn + reference[reference.AsSpan().IndexOfAnyInRange('0', '9')..];
                if (target.Cells.TryGetValue(codeAt, out var codeCell) && book.Code(codeCell) is var rowCode
                    && (rowCodes.Contains(rowCode) || LooksLikeCode(rowCode)) && !string.Equals(rowCode, RowCodeOf(code), StringComparison.OrdinalIgnoreCase))
                {
                    var where = $"Sheet {sheetName}, cell {reference}";
                    throw new WorkbookException($"工作表“{sheetName}”{reference} 格是指标 {code} 的填报格，但它所在行的代码格 {codeAt} 是“{rowCode}”，不是 {RowCodeOf(code)}：表中的行似乎被排序或移动过（填报格的名称不随行移动），数字会对错行。请撤销排序或移动，或重新下载模板填写。" +
                        $" {where} is the cell of {code}, but its row's code cell {codeAt} reads '{rowCode}', not {RowCodeOf(code)}: the table's rows seem to have been sorted or moved, which would put figures on the wrong rows. Undo the sort or move, or download the template again.", where);
                }
                if (target.Merges.FirstOrDefault(range => CoversAfterItsFirst(range, reference)) is { } merged)
                {
                    refused.Add(MergedAway(sheetName, reference, code, merged));
                    continue;
                }
                if (target.Cells.TryGetValue(reference, out var cell) && book.Number(cell, sheetName, reference, code, refused) is { } value)
                {
                    found.Add(new() { Code = code, Value = value });
                    Kept(code, cell);
                }
            }
            return found;
        }
    });

    /// <summary>
    /// The refusal of a value cell merged into the cell before it (a range it is not the first cell of): Excel keeps only the
    /// first cell's content, so its figure is gone.
    /// </summary>
    private static WorkbookException MergedAway(string sheet, string reference, string code, string merged) => new(
        $"工作表“{sheet}”{reference} 格是指标 {code} 的填报格，但它被合并进了 {merged}（合并后只保留第一格的内容，这一格的数字已丢失）：请取消合并，在 {reference} 格重新填写，或重新下载模板填写。" +
        $" Sheet {sheet}, cell {reference} is the cell of {code}, but it was merged into {merged}, which keeps only the first cell's content: unmerge the cells and fill in {reference} again, or download the template again.",
        $"Sheet {sheet}, cell {reference}");

    /// <summary>Whether the merged range (E10:F10) covers the cell other than as its first, top-left cell.</summary>
    private static bool CoversAfterItsFirst(string range, string cell)
    {
        static (int Column, int Row)? At(string reference) =>
            CellAt.Match(reference) is { Success: true } m
                ? (Opened.ColumnNumber(m.Groups[1].Value), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) : null;
        if (range.Split(':') is not [var from, var to] || At(from) is not { } first || At(to) is not { } last || At(cell) is not { } at) return false;
        return at.Column >= first.Column && at.Column <= last.Column && at.Row >= first.Row && at.Row <= last.Row && at != first;
    }

    /// <summary>A cell's reference as a sheet writes it: its column's letters and its row's number (E10).</summary>
    private static readonly Regex CellAt = new("^([A-Za-z]{1,3})([0-9]{1,7})$");

    /// <summary>How far down 填报表 its header's labels are looked for: rows inserted above them do not lose them.</summary>
    private const int HeaderRows = 20;

    /// <summary>The row code of a printed layout's cell code (3.1 of 3.1:natural).</summary>
    private static string RowCodeOf(string code) => code.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? code[..colon] : code;

    /// <summary>Whether a 代码 cell's text is written as the catalogues write row codes (3, 3.1, 2.2.1.a).</summary>
    private static bool LooksLikeCode(string text) => Regex.IsMatch(text, @"^[0-9]+(\.[0-9A-Za-z]+)*$");

    /// <summary>
    /// What a template's period cell holds: the period as people read it (2014年度, 2014年第3季度), which <see cref="TypedPeriod"/>
    /// reads back as it reads the code (2014, 2014Q3) a template of an earlier build holds.
    /// </summary>
    internal static string PeriodCell(string period) => Infrastructure.AuditText.Period(period);

    /// <summary>
    /// The period a workbook's period cell holds, as people type it (<see cref="Period.TryParseTyped"/>: 2014年, ２０１４,
    /// 2014年第三季度), written as the API writes it (2014, 2014Q3); a <see cref="WorkbookException"/> naming the sheet, cell and
    /// text for anything else. Whether the catalogue has that period is the submission's question, as for a JSON body.
    /// </summary>
    internal static string TypedPeriod(string sheet, (string Text, string Cell) typed)
    {
        if (Period.TryParseTyped(typed.Text, out var period)) return period.ToString();
        var where = $"Sheet {sheet}, cell {typed.Cell}";
        throw new WorkbookException($"工作表“{sheet}”{typed.Cell} 格（统计期）填的是“{typed.Text}”，不是统计期：请填年度（如 2014、2014年）或季度（如 2014Q3、2014年第三季度）。" +
            $" {where} (period) holds '{typed.Text}', which is not a period: enter a year (2014) or a quarter (2014Q3).", where);
    }

    /// <summary>
    /// Opens an uploaded workbook, inflated under the caps, for <paramref name="read"/>; whatever the runtime or the OpenXML
    /// SDK cannot read is a <see cref="WorkbookException"/> that says to save it as .xlsx.
    /// </summary>
    internal static T Reading<T>(byte[] workbook, Func<Opened, T> read)
    {
        if (IsEncrypted(workbook))
            throw new WorkbookException("这个文件设置了打开密码（已加密），无法读取：请在 Excel 中打开，点“文件→信息→保护工作簿→用密码进行加密”，清空密码并确定（WPS：“文件→文档加密→密码加密”，清空打开密码），保存后再上传。" +
                "The workbook is password-protected (encrypted), so it cannot be read: open it in Excel, choose File → Info → Protect Workbook → Encrypt with Password, clear the password, save, and upload it again.");
        try
        {
            using var doc = SpreadsheetDocument.Open(new MemoryStream(Inflate(workbook)), false);
            return read(new Opened(doc.WorkbookPart ?? throw NotReadable("a zip without a workbook in it")));
        }
        // A zip the runtime cannot read or inflate is InvalidDataException. The OpenXML SDK reports a part the package names
        // but lacks as InvalidOperationException, and an attribute value outside its schema (a cell type t="bogus") as
        // FormatException when it is read.
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException or System.Xml.XmlException
                                      or InvalidOperationException or FormatException)
        {
            throw NotReadable(e.Message);
        }
    }

    private static WorkbookException NotReadable(string why) =>
        new($"这不是能读取的 .xlsx 工作簿：旧版 .xls、WPS 的 .et 或 .csv 文件，请在 Excel 或 WPS 中打开，“另存为” .xlsx（Excel 工作簿）后再上传。The body is not a readable .xlsx workbook ({why}).");

    /// <summary>
    /// Whether the body is a password-protected .xlsx: Excel encrypts the package into an OLE compound file (the container of
    /// an .xls or .et too) with a stream named EncryptedPackage, its name written in UTF-16LE in the file's directory.
    /// </summary>
    private static bool IsEncrypted(byte[] body) =>
        body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        && body.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes("EncryptedPackage")) >= 0;

    /// <summary>An uploaded workbook opened for reading: its sheets, rows, cells' text and numbers.</summary>
    internal sealed class Opened(WorkbookPart part)
    {
        private readonly Dictionary<string, Sheet> sheets = part.Workbook.Sheets?.Elements<Sheet>().Where(s => s.Name?.Value is not null && s.Id?.Value is not null)
            .GroupBy(s => s.Name!.Value!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase) ?? [];
        private readonly List<string> strings = part.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(Shown).ToList() ?? [];

        /// <summary>The text a string item shows: its runs, without the phonetic guides (rPh) an IME may add above them.</summary>
        private static string Shown(OpenXmlElement item) => string.Concat(item.Descendants<Text>().Where(t => t.Parent is not PhoneticRun).Select(t => t.Text));
        private readonly Func<uint, string?> formats = FormatCodes(part);

        public WorkbookPart Part => part;

        public Sheet? Sheet(string name) => sheets.GetValueOrDefault(name);

        /// <summary>
        /// Refuses a workbook that holds, beside the sheet <paramref name="name"/>, another that looks like it: its copy as Excel
        /// (<c>填报表 (2)</c>) or WPS (<c>填报表(2)</c>) names it, or any sheet whose top rows hold all of <paramref name="labels"/>.
        /// Only the sheet of that name is read, so figures typed on a copy kept to preserve the original would be lost without
        /// a word; which of the two the person meant is not guessed, the person keeps one.
        /// </summary>
        public void RefuseCopies(string name, IReadOnlyList<string> labels)
        {
            var all = part.Workbook.Sheets?.Elements<Sheet>().Where(s => s.Name?.Value is not null && s.Id?.Value is not null).ToList() ?? [];
            var alike = all.Where(s => !string.Equals(s.Name!.Value, name, StringComparison.OrdinalIgnoreCase)
                && (string.Equals(CopyName.Replace(s.Name!.Value!, "").Trim(), name, StringComparison.OrdinalIgnoreCase) || (labels.Count > 0 && HasLabels(s, labels))))
                .Select(s => s.Name!.Value!).ToList();
            if (alike.Count == 0) return;
            var named = string.Concat(alike.Prepend(name).Select(n => $"“{n}”"));
            throw new WorkbookException(
                $"工作簿中有 {alike.Count + 1} 张“{name}”表（{named}），只会读取名为“{name}”的一张，其他表中填的数字不会读取：请只保留填好的一张，删去其余的，并把留下的一张命名为“{name}”，再重新上传。" +
                $" The workbook has {alike.Count + 1} sheets like '{name}' ({string.Join(", ", alike.Prepend(name).Select(n => $"'{n}'"))}), and only the one named '{name}' is read: keep the one filled in, named '{name}', delete the others, and upload it again.",
                $"Sheet {alike[0]}");
        }

        /// <summary>The suffix Excel (<c> (2)</c>) or WPS (<c>(2)</c>) gives the name of a sheet's copy.</summary>
        private static readonly Regex CopyName = new(@"\s*\([0-9]+\)\s*$");

        /// <summary>Whether a worksheet's top rows hold every one of the labels; a sheet that cannot be read is not the template's.</summary>
        private bool HasLabels(Sheet sheet, IReadOnlyList<string> labels)
        {
            if (!part.TryGetPartById(sheet.Id!.Value!, out var sheetPart) || sheetPart is not WorksheetPart) return false;
            try
            {
                var top = Rows(sheet).Where(r => r.RowIndex!.Value <= HeaderRows).ToList();
                return labels.All(label => top.Any(row => Column(row, label) is not null));
            }
            catch (WorkbookException)
            {
                return false;
            }
        }

        /// <summary>
        /// The sheet's rows, each row and cell with its reference: one the file leaves out (as the format allows) is the one
        /// after the previous row or cell, first 1 or A, so what follows reads every row and cell by where it stands. A sheet
        /// that is no worksheet, or a row number no sheet can have, is a <see cref="WorkbookException"/> naming the sheet.
        /// </summary>
        public List<Row> Rows(Sheet sheet)
        {
            var name = sheet.Name?.Value ?? "";
            var where = $"Sheet {name}";
            if (!part.TryGetPartById(sheet.Id!.Value!, out var sheetPart))
                throw Damaged($"工作表“{name}”的内容在文件中找不到", $"The sheet {name} points at no part of the file", where);
            if (sheetPart is not WorksheetPart worksheet)
                throw new WorkbookException($"工作表“{name}”是图表或其他非表格的工作表，不是模板的表格：请删除它或改名，把模板原来的“{name}”表放回，或重新下载模板填写。The sheet {name} is a chart or another kind of sheet, not a worksheet of the template: remove or rename it, or download the template again.", where);
            var rows = worksheet.Worksheet.GetFirstChild<SheetData>()?.Elements<Row>().ToList() ?? [];
            uint previous = 0;
            foreach (var row in rows)
            {
                // Read as text: a number beyond UInt32 would throw on RowIndex.Value.
                var index = previous + 1;
                if (row.RowIndex?.InnerText is { } given)
                    index = uint.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxRows ? n
                        : throw Damaged($"工作表“{name}”中有一行的行号是“{given}”，不是 1 至 {MaxRows} 之间的行号",
                            $"The sheet {name} has a row numbered '{given}', which is not a row number from 1 to {MaxRows}", where);
                else row.RowIndex = index;
                previous = index;
                var column = 0;
                foreach (var cell in row.Elements<Cell>())
                {
                    if (cell.CellReference?.Value is not { } reference)
                    {
                        cell.CellReference = Aggregates.PrintedSheet.ColumnName(column++) + index.ToString(CultureInfo.InvariantCulture);
                        continue;
                    }
                    // A reference is the cell's column and this row (e78 read as E78); anything else would file the figure nowhere.
                    var match = CellAt.Match(reference);
                    column = match.Success ? ColumnNumber(match.Groups[1].Value) : 0;
                    if (column is < 1 or > MaxColumns || match.Groups[2].Value.TrimStart('0') != index.ToString(CultureInfo.InvariantCulture))
                        throw Damaged($"工作表“{name}”第 {index} 行有一格的位置记为“{reference}”，不是这一行的单元格地址",
                            $"The sheet {name} has a cell in row {index} placed at '{reference}', which is not a cell of that row", $"{where}, row {index}");
                    cell.CellReference = match.Groups[1].Value.ToUpperInvariant() + index.ToString(CultureInfo.InvariantCulture);
                }
            }
            return rows;
        }

        /// <summary>The refusal of a file whose sheet is damaged: <paramref name="zh"/> and <paramref name="en"/> say how.</summary>
        private static WorkbookException Damaged(string zh, string en, string where) =>
            new($"{zh}（文件已损坏）：请在 Excel 或 WPS 中打开后另存为 .xlsx，或重新下载模板填写。{en}: the file is damaged. Save it again from Excel or WPS, or download the template again.", where);

        /// <summary>The sheet's merged ranges (E10:F10), as the file lists them; <see cref="Rows"/> has found it a worksheet.</summary>
        public List<string> Merges(Sheet sheet) =>
            [.. ((WorksheetPart)part.GetPartById(sheet.Id!.Value!)).Worksheet.Elements<MergeCells>().SelectMany(m => m.Elements<MergeCell>()).Select(m => m.Reference?.Value).OfType<string>()];

        /// <summary>Column letters as a number, A = 1, AA = 27 (0 for none).</summary>
        public static int ColumnNumber(string letters) => letters.Aggregate(0, (n, ch) => n * 26 + char.ToUpperInvariant(ch) - 'A' + 1);

        /// <summary>A row's cells by column letters.</summary>
        public static Dictionary<string, Cell> Cells(Row row) => row.Elements<Cell>().Where(c => c.CellReference?.Value is not null)
            .GroupBy(c => new string([.. c.CellReference!.Value!.TakeWhile(char.IsLetter)])).ToDictionary(g => g.Key, g => g.First());

        /// <summary>The column letters of the cell in <paramref name="row"/> that reads <paramref name="text"/>, or null.</summary>
        public string? Column(Row row, string text) => Cells(row).FirstOrDefault(c => Text(c.Value).Trim() == text).Key;

        public string Text(Cell c)
        {
            var type = c.DataType?.Value;
            if (type == CellValues.InlineString) return c.InlineString is { } inline ? Shown(inline) : "";
            if (type != CellValues.SharedString) return c.CellValue?.Text ?? "";
            if (int.TryParse(c.CellValue?.Text, out var i) && i >= 0 && i < strings.Count) return strings[i];
            var where = $"Sheet {SheetOf(c)}, cell {c.CellReference?.Value}";
            throw new WorkbookException($"工作表“{SheetOf(c)}”{c.CellReference?.Value} 格引用了文件中没有的共享文本：请在 Excel 或 WPS 中打开后重新保存，或重新下载模板。" +
                $"{where} refers to a shared text the workbook does not have: save it again, or download the template again.", where);
        }

        /// <summary>The name of the sheet <paramref name="c"/> stands in.</summary>
        private string SheetOf(Cell c) =>
            c.Ancestors<Worksheet>().FirstOrDefault()?.WorksheetPart is { } sheetPart && part.GetIdOfPart(sheetPart) is var id
                ? part.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault(s => s.Id?.Value == id)?.Name?.Value ?? "?"
                : "?";

        /// <summary>
        /// A 代码 cell's code as Excel shows it: a code a spreadsheet turned into a number (3.1, stored as 3.1000000000000001)
        /// is read to 15 significant digits, as Excel displays it.
        /// </summary>
        public string Code(Cell c) =>
            (c.DataType?.Value is not { } type || type == CellValues.Number) && double.TryParse(c.CellValue?.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number.ToString("G15", CultureInfo.InvariantCulture)
                : Text(c).Trim();

        /// <summary>
        /// The cell's number (null when blank); a cell that holds something else is added to <paramref name="refused"/> as a
        /// <see cref="WorkbookException"/> naming the sheet, cell and indicator, and read as blank, so that every one is named at once.
        /// </summary>
        public decimal? Number(Cell cell, string sheet, string reference, string code, List<WorkbookException> refused)
        {
            try
            {
                return SubmissionWorkbook.Number(cell, Text(cell), sheet, reference, code, formats);
            }
            catch (WorkbookException e)
            {
                refused.Add(e);
                return null;
            }
        }
    }

    /// <summary>
    /// The revision in <see cref="RevisionName"/>; null when the workbook has no such name (a template of an earlier build):
    /// then there is nothing to compare. A name that holds no revision number was rewritten, and is read as none (0, a
    /// blank template), as the 分单位 workbook reads one: taken as no record, it would let the file replace any revision.
    /// </summary>
    private static int? MadeFrom(WorkbookPart part) =>
        Named(part, RevisionName) is { } name
            ? int.TryParse(name.Text.Trim().TrimStart('='), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0
            : null;

    /// <summary>
    /// The table in <see cref="TableName"/>, or null when the workbook has no such name or it does not spell one (a template
    /// of an earlier build): then the recorded revision is taken to be of the table the sheet names, as before.
    /// </summary>
    private static WorkbookTable? MadeFor(WorkbookPart part) =>
        Named(part, TableName) is { } name ? WorkbookTable.Parse(name.Text) : null;

    /// <summary>A workbook-level defined name (Excel's names are case-insensitive), or null.</summary>
    internal static DefinedName? Named(WorkbookPart part, string name) =>
        part.Workbook.DefinedNames?.Elements<DefinedName>()
            .FirstOrDefault(d => d.LocalSheetId is null && string.Equals(d.Name?.Value, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The sheet and cell of a defined name's formula, <c>'表3'!$E$7</c>; anything but one cell is a changed template.</summary>
    private static (string Sheet, string Cell) Reference(string formula, string code)
    {
        var bang = formula.LastIndexOf('!');
        var cell = bang < 0 ? "" : formula[(bang + 1)..].Replace("$", "", StringComparison.Ordinal).Trim();
        var sheet = bang < 0 ? "" : formula[..bang].Trim();
        if (sheet.Length >= 2 && sheet[0] == '\'' && sheet[^1] == '\'') sheet = sheet[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (sheet.Length == 0 || !CellAt.IsMatch(cell))
            throw new WorkbookException($"{code} 的填报格已不存在（表中的行或列被删除了）：请重新下载模板填写。The cell of {code} no longer exists (its name points to '{formula}'): a row or column of the table was deleted. Download the template again.");
        return (sheet, cell.ToUpperInvariant());
    }

    /// <summary>
    /// A cell's number, or null when it is blank. Excel keeps numbers as binary doubles: a number is read as the decimal
    /// Excel shows, its 15 significant digits, so a typed 0.3 is 0.3 and not 0.299999999999999988898. A number kept as
    /// text is read as people write it (full-width digits, thousands separators, a leading apostrophe, spaces around it);
    /// anything that is not plainly the number the person sees is refused, naming the sheet, cell and indicator, rather
    /// than read as something else: a date (Excel turns a typed 3/4 into one), a percentage other than 0 (50% is kept as 0.5),
    /// TRUE/FALSE, a formula saved without its value, a figure beyond what a decimal holds (typed or kept as a number).
    /// </summary>
    private static decimal? Number(Cell cell, string text, string sheet, string reference, string code, Func<uint, string?> formats)
    {
        var where = $"Sheet {sheet}, cell {reference}";
        WorkbookException Refused(string zh, string en) =>
            new($"工作表“{sheet}”{reference} 格（指标 {code}）{zh} {where} ({code}) {en}", where);
        WorkbookException TooFar() =>
            Refused($"填的数 {text} 太大或太接近 0，不是表中的数：请填实际的数。", $"holds {text}, a number too large or too near 0 to be a figure of this table: type the figure.");
        var type = cell.DataType?.Value;
        // A formula whose result is the empty string (IF(…,"",…)) is kept as t="str" with an empty value, or none: blank.
        if (string.IsNullOrWhiteSpace(text))
            return cell.CellFormula is null || type == CellValues.String ? null
                : throw Refused("是公式，但文件没有保存它的计算结果：请在 Excel 或 WPS 中打开后再保存，或直接填数字。",
                    "holds a formula saved without its value: open and save the workbook in Excel or WPS, or type the number.");
        if (type == CellValues.Error)
            throw Refused($"的公式出错（{text}）：请改正该格的公式，或直接填数字。", $"holds a formula error ({text}): correct the cell's formula, or type the number.");
        if (type == CellValues.Boolean)
            throw Refused($"填的是逻辑值（{(text == "1" ? "TRUE" : "FALSE")}），不是数字：请填数字，不填则留空。", "holds TRUE or FALSE, which is not a number: enter a number, or leave the cell empty for a blank.");
        var isNumber = type is null || type == CellValues.Number;
        var format = isNumber && cell.StyleIndex?.Value is { } style ? formats(style) : null;
        if (type == CellValues.Date || IsDate(format))
            throw Refused("是日期格式（Excel 会把输入的 3/4、3-4 变成日期）：请把该格设为“常规”或“数值”后填数字。",
                "holds a date (Excel turns a typed 3/4 into one), not a number: format the cell as General or Number and type the number.");
        if (isNumber && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            // A decimal holds no number beyond ±7.9e28 and reads one nearer 0 than 1e-28 as 0: neither is a figure of a table.
            if (!decimal.TryParse(d.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var shown) || (shown == 0 && d != 0))
                throw TooFar();
            if (shown != 0 && ShowsPercent(format, shown))
                throw Refused($"是百分比格式：实际存的是 {shown:G29}，表中显示的是它乘以 100 的百分数。请把该格设为“常规”或“数值”后填数字。",
                    $"is formatted as a percentage: it holds {shown:G29}, shown as that times 100 with a % sign. Format the cell as General or Number and type the number.");
            return shown;
        }
        if (!isNumber && Typed(text) is { } typed)
            // Typed as text too, a figure beyond what a decimal holds does not parse, and one nearer 0 reads as 0.
            return decimal.TryParse(typed, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                && (value != 0 || !typed.Any(c => c is >= '1' and <= '9')) ? value : throw TooFar();
        throw Refused($"填的是“{text}”，不是数字：请填数字，不填则留空（空白不等于 0）。",
            $"holds '{text}', which is not a number: enter a number, or leave the cell empty for a blank.");
    }

    /// <summary>
    /// A number kept as text, as people type or paste it (full-width digits and spaces, a leading apostrophe, thousands
    /// separators in groups of three: １，２３４), written plainly (1234); null for anything else.
    /// </summary>
    private static string? Typed(string text)
    {
        var s = text.Normalize(System.Text.NormalizationForm.FormKC).Trim();
        if (s.StartsWith('\'')) s = s[1..].Trim();
        if (Regex.IsMatch(s, @"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")) s = s.Replace(",", "", StringComparison.Ordinal);
        return Regex.IsMatch(s, @"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$") ? s : null;
    }

    /// <summary>
    /// Each cell style's number format code: a custom one as written, Excel's built-in percentages and dates as they read
    /// (9 → <c>0%</c>, 10 → <c>0.00%</c>; the dates 14–22, 45–47 and the East Asian 27–36, 50–58 as a date), null for the rest.
    /// </summary>
    private static Func<uint, string?> FormatCodes(WorkbookPart part)
    {
        var stylesheet = part.WorkbookStylesPart?.Stylesheet;
        var formats = stylesheet?.CellFormats?.Elements<CellFormat>().ToList() ?? [];
        var custom = stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .GroupBy(f => f.NumberFormatId!.Value).ToDictionary(g => g.Key, g => g.First().FormatCode?.Value ?? "") ?? [];
        return style => style >= formats.Count || formats[(int)style].NumberFormatId?.Value is not { } id ? null
            : custom.TryGetValue(id, out var code) ? code
            : id switch
            {
                9 => "0%",
                10 => "0.00%",
                (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58) => "yyyy-mm-dd",
                _ => null,
            };
    }

    /// <summary>A format code with what prints as written taken out: quoted text, brackets (colours, conditions, locales), escapes, spacing.</summary>
    private static string Bare(string code) => Regex.Replace(code, "\"[^\"]*\"|\\[[^\\]]*\\]|\\\\.|_.|\\*.", "");

    /// <summary>Whether a format shows a date or time: y, m, d, h or s outside what prints as written.</summary>
    private static bool IsDate(string? code) => code is not null && Bare(code).IndexOfAny(['y', 'm', 'd', 'h', 's', 'Y', 'M', 'D', 'H', 'S']) >= 0;

    /// <summary>
    /// Whether a format shows <paramref name="value"/> as a percentage: the section Excel uses for it (positive; negative; zero)
    /// has a % outside what prints as written. A format with conditions (<c>[&lt;1]0%;0</c>) is taken as one only if each of
    /// its sections is: which applies depends on the value in ways not worth guessing at.
    /// </summary>
    private static bool ShowsPercent(string? code, decimal value)
    {
        if (code is null) return false;
        var sections = Sections(code);
        if (Regex.IsMatch(code, @"\[[<>=]"))
            return sections.Take(3).All(s => Bare(s).Contains('%', StringComparison.Ordinal));
        var section = value > 0 || sections.Count == 1 ? sections[0] : value < 0 ? sections[1] : sections.Count > 2 ? sections[2] : sections[0];
        return Bare(section).Contains('%', StringComparison.Ordinal);
    }

    /// <summary>A format code's sections, split at each ; outside quotes, brackets and escapes.</summary>
    private static List<string> Sections(string code)
    {
        var (sections, start, quoted, bracketed) = (new List<string>(), 0, false, false);
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"' && !bracketed) quoted = !quoted;
            else if (quoted) continue;
            else if (c == '\\') i++;
            else if (c == '[') bracketed = true;
            else if (c == ']') bracketed = false;
            else if (c == ';' && !bracketed)
            {
                sections.Add(code[start..i]);
                start = i + 1;
            }
        }
        sections.Add(code[start..]);
        return sections;
    }

    /// <summary>
    /// The package with every part inflated under the caps and stored again uncompressed, so that the OpenXML reader only
    /// reads bytes already counted. The sizes a zip declares are the sender's word: they refuse an honest large workbook
    /// early, but the caps hold on the bytes the deflate stream actually yields (<see cref="BoundedInflation"/>).
    /// </summary>
    private static byte[] Inflate(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        if (zip.Entries.Count > MaxEntries)
            throw new WorkbookException($"这个文件包含 {zip.Entries.Count} 个部件，远多于填好的模板：请上传从本系统下载并填好的模板。The workbook has {zip.Entries.Count} parts; a filled template has far fewer.");
        long declared = 0;
        foreach (var entry in zip.Entries)
        {
            declared += entry.Length;
            if (entry.Length > MaxEntryBytes) throw TooLarge(entry.FullName, MaxEntryBytes);
            if (declared > MaxTotalBytes) throw TooLarge(entry.FullName, MaxTotalBytes);
        }
        using var output = new MemoryStream();
        using (var copy = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var budget = new InflationBudget(MaxTotalBytes);
            var shape = new WorkbookShape();
            // The workbook and its relationships first (a few hundred bytes): they name the sheets, so that a refusal of a
            // sheet's part names the sheet as Excel shows it. The order of the parts in the copy means nothing to the SDK.
            foreach (var entry in zip.Entries.OrderBy(e => e.FullName is WorkbookShape.WorkbookPart or WorkbookShape.WorkbookRelationships ? 0 : 1))
            {
                using var inflated = new MemoryStream();
                using (var source = new BoundedInflation(entry.Open(), entry.FullName, MaxEntryBytes, budget, (entry.Length, entry.Crc32)))
                    source.CopyTo(inflated);
                // Every part, whatever its name: the SDK finds a sheet by its relationship and content type, not by its name.
                shape.Check(entry.FullName, new MemoryStream(inflated.GetBuffer(), 0, (int)inflated.Length, writable: false));
                using var target = copy.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                inflated.Position = 0;
                inflated.CopyTo(target);
            }
        }
        return output.ToArray();
    }

    internal static WorkbookException TooLarge(string part, long limit) => new($"这个文件解压后超过 {limit / (1024 * 1024)} MB，不是填好的模板（填好的模板只有几十 KB）：请上传从本系统下载并填好的模板。" + (limit == MaxTotalBytes
        ? $"The workbook expands beyond {limit / (1024 * 1024)} MB (at part '{part}'); a filled template is a few tens of KB."
        : $"The workbook expands beyond {limit / (1024 * 1024)} MB in its part '{part}'; a filled template is a few tens of KB."));

    /// <summary>What is left of the inflation allowed for the whole workbook, shared by its parts.</summary>
    internal sealed class InflationBudget(long total)
    {
        public long Left { get; set; } = total;
    }

    /// <summary>
    /// A part's inflating stream that counts the bytes it yields and stops past the part's cap or the workbook's; at its
    /// end, the bytes must be the declared length with the declared CRC-32, when those are given.
    /// </summary>
    internal sealed class BoundedInflation(Stream inner, string part, long maxPart, InflationBudget budget, (long Length, uint Crc32)? declared = null) : Stream
    {
        private readonly System.IO.Hashing.Crc32 crc = new();
        private long count;

        // Stream's own Read(Span<byte>) forwards here, and Stream.CopyTo (the one reader) calls this overload directly.
        public override int Read(byte[] buffer, int offset, int length)
        {
            var read = buffer.AsSpan(offset, inner.Read(buffer, offset, length));
            count += read.Length;
            budget.Left -= read.Length;
            if (count > maxPart) throw TooLarge(part, maxPart);
            if (budget.Left < 0) throw TooLarge(part, MaxTotalBytes);
            crc.Append(read);
            if (read.Length == 0 && declared is { } d && (count != d.Length || crc.GetCurrentHashAsUInt32() != d.Crc32))
                throw new WorkbookException("文件已损坏（压缩包内容与其记录的大小或校验和不符）：请在 Excel 或 WPS 中打开后另存为 .xlsx，或重新下载模板填写。" + (count != d.Length
                    ? $"The workbook's part '{part}' inflates to {count} bytes, not the {d.Length} its zip headers declare: the file is damaged or its headers lie."
                    : $"The workbook's part '{part}' does not match the checksum its zip headers declare: the file is damaged or its headers lie."));
            return read.Length;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
