using System.Globalization;
using System.Net;
using System.Text;
using Disclosure.Api.Features.Reporters;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FluentValidation;
using MediaType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;
using Rank = (double Quality, int Specificity, int Position);

namespace Disclosure.Api.Features.Aggregates;

public enum ExportFormat { Json, Csv, Xlsx, Html }

/// <summary>
/// The layout of the district table's CSV, xlsx and printable page: <c>form</c>, the statistical form the office signs and
/// files (序号, 代码, the split by kind, completeness, 填报单位 / 报出日期 / 单位负责人 / 填表人), or <c>publication</c>, the
/// table as the annual report publishes it in its appendix (统计指标, 单位, 统计数 under the title and the government).
/// </summary>
public enum PrintLayout { Form, Publication }

/// <summary>The district table in the formats a district office prints and files: CSV for Excel/WPS, .xlsx, and a printable page.</summary>
public static class Exports
{
    public const string Csv = "text/csv";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Html = "text/html";

    private static readonly (ExportFormat Kind, MediaType Media)[] Offered =
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
    /// An endpoint that writes fewer formats names them in <paramref name="offered"/> (its own validator refuses the others' names).
    /// </summary>
    public static ExportFormat? Negotiate(string? format, string? accept, IReadOnlyCollection<ExportFormat>? offered = null)
    {
        if (format is not null) return Named(format);
        if (Ranges(accept) is not { } ranges) return ExportFormat.Json;
        // The sort is stable: of equal ranks, the format listed first wins.
        return OfferedOf(offered)
            .Select(o => (o.Kind, Rank: RankOf(o.Media, ranges))).Where(o => o.Rank is { Quality: > 0 })
            .OrderByDescending(o => o.Rank).Select(o => (ExportFormat?)o.Kind).FirstOrDefault();
    }

    /// <summary>Whether Accept lets <paramref name="media"/> through by the same rule; no or an unreadable Accept does.</summary>
    public static bool Accepts(string? accept, MediaType media) => Ranges(accept) is not { } ranges || RankOf(media, ranges) is { Quality: > 0 };

    /// <summary>The ranges of an Accept header; null for none or an unreadable one.</summary>
    private static IList<MediaType>? Ranges(string? accept) =>
        !string.IsNullOrWhiteSpace(accept) && MediaType.TryParseList([accept], out var ranges) && ranges.Count > 0 ? ranges : null;

    /// <summary>The quality the most specific range covering <paramref name="media"/> gives it, that range's specificity and place.</summary>
    private static Rank? RankOf(MediaType media, IList<MediaType> ranges)
    {
        Rank? rank = null;
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            if (!media.IsSubsetOf(range)) continue;
            var specificity = range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
            if (rank is null || specificity > rank.Value.Specificity) rank = (range.Quality ?? 1, specificity, -i);
        }
        return rank;
    }

    /// <summary>The format <c>?format=</c> names, in any case; null for any other text.</summary>
    public static ExportFormat? Named(string format) => format.ToLowerInvariant() switch
    {
        "json" => ExportFormat.Json, "csv" => ExportFormat.Csv, "xlsx" => ExportFormat.Xlsx, "html" => ExportFormat.Html, _ => null,
    };

    /// <summary>The rule of a <c>?format=</c> that may name any of the formats.</summary>
    internal static IRuleBuilderOptions<T, string?> AnyFormat<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(f => f is null || Named(f) is not null).WithMessage("格式（format）须为 json、csv、xlsx 或 html。format must be json, csv, xlsx or html.");

    /// <summary>The formats an endpoint writes: those <paramref name="offered"/>, or all.</summary>
    private static IEnumerable<(ExportFormat Kind, MediaType Media)> OfferedOf(IReadOnlyCollection<ExportFormat>? offered) =>
        Offered.Where(o => offered is null || offered.Contains(o.Kind));

    /// <summary>The 406 for an Accept that no format of <paramref name="what"/> (those <paramref name="offered"/>, or all) satisfies.</summary>
    public static IResult NotAcceptable(HttpContext context, string what = "this table", IReadOnlyCollection<ExportFormat>? offered = null)
    {
        var accept = context.Request.Headers.Accept;
        var formats = string.Join(", ", OfferedOf(offered).Where(o => o.Media.MediaType != "application/problem+json").Select(o => o.Media.MediaType.ToString()));
        return Infrastructure.Problems.Result(Infrastructure.ProblemTypes.NotAcceptable,
            $"没有符合 Accept“{accept}”的格式，可用的格式：{formats}（或用 ?format=json、csv、xlsx、html）。No format of {what} satisfies Accept: {accept}. Offered: {formats}.", context);
    }

    /// <summary>
    /// A figure as every export prints it (CSV, the printable page, the xlsx by <see cref="PrintedSheet.FigureStyle"/>): as it is,
    /// an amount (万元) of 0 as 0 as the report's appended table prints it, one with a fraction with the decimals it has (1.5,
    /// 0.0035), none added — a sum keeps its addends' trailing zeros (0.25 + 0.25 is 0.50), which are no figure's — and none rounded.
    /// </summary>
    private static string Number(decimal? v) => v?.ToString("0.############################", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The figure columns of a table without columns: the district total, then the split by reporter kind.</summary>
    private static readonly FigureColumn[] KindColumns =
        [new("total", "统计数"), new("government", ReporterKind.Government.Printed()), new("department", ReporterKind.Department.Printed()), new("town", ReporterKind.Town.Printed())];

    /// <summary>
    /// What the paper form prints around the table: who reports it, for what, when, and who is missing, by name (not on one reporter's own table, its stamped form: null); and for one
    /// reporter's own table, its 填报说明 (null when it wrote none, or the table is added up from quarters, each with its own).
    /// </summary>
    internal sealed record Margins(string Subtitle, string Unit, string Date, string? Completeness, string? Note = null);

    /// <summary>
    /// How the district table is printed: the <see cref="PrintLayout"/>, and the 报出日期 the office gives the signed form
    /// (null: the day it closed the period, or while it is open the day the latest table used arrived).
    /// </summary>
    internal sealed record PrintOptions(PrintLayout Layout = PrintLayout.Form, DateOnly? ReportDate = null);

    /// <summary>
    /// The title the form prints, without the period (<see cref="Heading"/> puts it first): the table's own title for a form of
    /// one table (政府信息公开工作情况统计表), else the catalogue's title without its edition (（2021年版）). The edition is the
    /// catalogue list's business, where two editions must be told apart; a printed table's year already tells which it is.
    /// </summary>
    internal static string FormTitle(Catalogue.Catalogue catalogue) =>
        catalogue.Document.Tables is [{ Title: { Length: > 0 } only }] ? only
            : System.Text.RegularExpressions.Regex.Replace(catalogue.Document.Title, @"（[^（）]*版[^（）]*）$", "");

    /// <summary>
    /// The name a table's CSV or xlsx is saved under: its heading (2014年度政府信息公开工作情况统计表), then <paramref name="what"/>
    /// it is (分单位明细), the kind and reporters it is narrowed to (乡镇街道; 阴平镇; 阴平镇等3个单位), as its printout names them, and
    /// 发布版, and the moment a table as it stood was read at (20150120-1000时); and of the ids, for a client that reads no other name,
    /// <paramref name="ascii"/> (the whole table's: <c>gov-info-disclosure-2014-2016</c>, <c>…-breakdown</c>) followed alike by what
    /// it is narrowed to, <c>-publication</c> and <c>-as-at-20150120T0200Z</c>.
    /// </summary>
    internal static Infrastructure.DownloadName FileName(AggregateTable t, Catalogue.Catalogue catalogue, string ascii, string? what = null, bool publication = false)
    {
        string Name(string id) => t.NameOf(id);
        string?[] parts = [Infrastructure.AuditText.Table(catalogue, t.Period), what, t.Kind?.Printed(),
            t.Reporters switch { [var one] => Name(one), { Count: > 1 } some => $"{Name(some[0])}等{some.Count}个单位", _ => null },
            publication ? "发布版" : null, t.AsAt is { } at ? $"{Infrastructure.ChinaTime.Of(at):yyyyMMdd-HHmm}时" : null];
        // A table as it stood (?asAt=) is another file than the table now, saved beside it.
        return Infrastructure.DownloadName.Of(ascii + Infrastructure.DownloadName.Narrowed(t.Kind, t.Reporters) + (publication ? "-publication" : "")
            + (t.AsAt is { } moment ? $"-as-at-{moment.UtcDateTime:yyyyMMddTHHmmZ}" : ""), parts);
    }

    /// <summary>The printed heading: the period, then the form's title, as the form has it (2014年度政府信息公开工作情况统计表).</summary>
    internal static string Heading(Printout p) => $"{Infrastructure.AuditText.Period(p.Period)}{p.Title}";

    private static Margins MarginsOf(AggregateTable t, DateOnly? reportDate = null)
    {
        string Name(string id) => t.NameOf(id);
        var unit = t.Reporters is [var single] ? Name(single) : t.DistrictUnit ?? "";
        var scope = new List<string>();
        if (t.Kind is { } kind) scope.Add(kind.Printed());
        if (t.Reporters is { Count: > 1 } some)
            scope.Add(some.Count <= 5 ? string.Join("、", some.Select(Name)) : $"{string.Join("、", some.Take(5).Select(Name))}等 {some.Count} 个单位");
        // The government in brackets under the title, as the form prints it; left for a hand when it cannot be told.
        var subtitle = (unit.Length > 0 ? $"（{unit}）" : "（　　　　　　）") + (scope.Count > 0 ? $"　范围：{string.Join("；", scope)}" : "");
        // 报出日期 (China Standard Time): the day the office closed the period, when the district's table is final; while it is
        // open, the day the latest table used arrived, so the same data prints the same page. One reporter's own table is dated
        // when it sent it, as its paper form would be, where the office entered it with sentAt.
        // A table read as at an earlier moment (?asAt=, such as its first close) is dated by that moment.
        var latest = t.Reporters is not [_] && t.Completeness.ClosedAt is { } closed
            ? (t.AsAt is { } asAt && asAt < closed ? asAt : closed)
            : t.Completeness.Reporters.SelectMany(r => r.Submissions).Select(s => (DateTimeOffset?)(t.Reporters is [_] ? s.SentAt ?? s.ReceivedAt : s.ReceivedAt)).Max();
        // The office may date the signed form itself (the day its head signs it), which the service cannot know.
        var date = reportDate is { } given ? given.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
            : latest is { } at ? Infrastructure.ChinaTime.Of(at).ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : "　　年　　月　　日";
        var c = t.Completeness;
        // One reporter's own table is its stamped form: who else was to report is the district's business, not on its paper.
        var completeness = t.Reporters is [_] ? null : $"应报 {c.Expected} 个单位，已报 {c.Submitted} 个"
            + (c.Incomplete.Count > 0 ? $"，季报未报齐：{string.Join("、", c.Incomplete.Select(id => $"{Name(id)}（{QuartersToCome(c, id)}）"))}" : "")
            + (c.Missing.Count > 0 ? $"，未报：{string.Join("、", c.Missing.Select(Name))}" : "")
            + ClosedWithYear(c, Infrastructure.AuditText.Period(t.Period[..4]), Name) + "。"
            // A table the office returned still adds up into the district's until its reporter corrects it: the page says so
            // before the office closes the period, and the printed table must too, or a closed table hides it.
            + (t.Reporters is not [_] && c.ReturnedTables().Select(r => r.Quarter is { } q ? $"{Name(r.Reporter)}（第{q}季度）" : Name(r.Reporter)).ToList() is { Count: > 0 } returned
                ? $"已退回待更正、仍按原数计入合计：{string.Join("、", returned)}。" : "")
            + (t.Reporters is [_] ? "" : t.AsAt is { } readAt ? $"本表为 {Minute(readAt)}（北京时间）时的汇总：各单位当时最新的报表，不含其后的更正。" : SinceFirstClosed(t, Name))
            + (c.NotExpected > 0 ? $"另有不在应报之列的 {c.NotExpected} 个单位的报表计入合计。" : "");
        var note = t.Reporters is [_] && c.Reporters is [{ Submissions: [{ Note: { } written }] }] ? $"填报说明：{written}" : null;
        return new(subtitle, unit, date, completeness, note);
    }

    private static string Minute(DateTimeOffset at) => Infrastructure.AuditText.Moment(at)[..16];

    /// <summary>
    /// The footer's words on the tables received since the period was first closed: a correction a return (退回) let into the closed
    /// period, or a table sent while a reopening let every reporter in, changes a table that may have been published already, under
    /// the same heading, so the printout names each, and says when the period was reopened and closed again (with or without them).
    /// </summary>
    private static string SinceFirstClosed(AggregateTable t, Func<string, string> name)
    {
        var c = t.Completeness;
        if ((c.FirstClosedAt ?? c.ClosedAt) is not { } first) return "";
        var since = c.Reporters.SelectMany(r => r.Submissions.Where(s => s.ReceivedAt > first).Select(s =>
            $"{name(r.Reporter)}（{(s.Period == t.Period ? "" : $"第{s.Period[^1]}季度")}第 {s.Revision} 版，{Minute(s.ReceivedAt)}）")).ToList();
        var listed = string.Join("、", since);
        return (c.Closed, c.ClosedAt > first) switch
        {
            (true, false) => since.Count > 0 ? $"本统计期于 {Minute(first)}（北京时间）关闭后据退回更正、已计入合计：{listed}。" : "",
            (true, true) => $"本统计期于 {Minute(first)}（北京时间）首次关闭，重新开放后于 {Minute(c.ClosedAt!.Value)} 再次关闭" +
                (since.Count > 0 ? $"；首次关闭后更正或补报、已计入合计：{listed}。" : "，首次关闭后没有更正或补报的报表。"),
            _ => $"本统计期于 {Minute(first)}（北京时间）首次关闭，现已重新开放" + (since.Count > 0 ? $"；首次关闭后更正或补报、已计入合计：{listed}。" : "，尚无更正或补报的报表。"),
        };
    }

    /// <summary>
    /// The footer's 随年度关闭 clause(s): the reporters whose year is added up from the quarterly tables they sent, and apart
    /// from them those that sent nothing of the year, of whom that would not be true: the closed year closes the quarter to
    /// both alike.
    /// </summary>
    private static string ClosedWithYear(Completeness c, string year, Func<string, string> name)
    {
        var nothing = c.ClosedWithYearNothingSent.ToHashSet(StringComparer.Ordinal);
        var fromQuarters = c.ClosedWithYear.Where(id => !nothing.Contains(id)).ToList();
        var none = c.ClosedWithYear.Where(nothing.Contains).ToList();
        return (fromQuarters.Count > 0 ? $"，随{year}关闭（年度数据由季报汇总，本季度不再报送）：{string.Join("、", fromQuarters.Select(name))}" : "")
            + (none.Count > 0 ? $"，随{year}关闭（{year}未报任何报表，本季度不再报送）：{string.Join("、", none.Select(name))}" : "");
    }

    /// <summary>The quarters a reporter's year from its quarterly tables still lacks, as printed (缺第三、四季度); null when none is to come.</summary>
    private static string? QuartersToCome(Completeness c, string reporter) =>
        c.Reporters.FirstOrDefault(r => r.Reporter == reporter)?.QuartersToCome is { Count: > 0 } toCome
            ? $"缺第{string.Join("、", toCome.Select(q => "一二三四"[q[^1] - '1']))}季度"
            : null;

    /// <summary>
    /// What an export prints: the title, the margins, and each catalogue table as printed with a reader of its figures (null =
    /// blank). A <paramref name="Wide"/> printout (a column per reporter) keeps its label columns in view and on every printed
    /// page instead of shrinking every column to one page's width.
    /// </summary>
    /// <remarks>
    /// A <paramref name="Publication"/> printout is the table as a report publishes it (its appendix): 统计指标, 单位 and the
    /// figures only, under the title and the government, without 序号, 代码, the split by kind, the completeness line and
    /// the signature lines, which are the office's and the signed form's. It is dated (<paramref name="PublicationDate"/>, right
    /// under the government) only with the day the office gives: the appendix's date is its report's (the seed's 二O一五年一月十四日),
    /// which the service cannot know, and not the day the period was closed.
    /// </remarks>
    internal sealed record Printout(string Title, string Period, Margins Margins,
        IReadOnlyList<(PrintedTable Printed, Func<PrintedRow, FigureColumn, decimal?> Figure)> Tables, string SheetName = "统计表", int[]? Widths = null, bool Wide = false,
        bool Publication = false, string? PublicationDate = null);

    /// <summary>The district table as the paper form prints it, or (<see cref="PrintLayout.Publication"/>) as a report publishes it.</summary>
    internal static Printout PrintoutOf(AggregateTable t, Catalogue.Catalogue catalogue, PrintOptions? options = null)
    {
        var publication = options?.Layout == PrintLayout.Publication;
        var margins = MarginsOf(t, options?.ReportDate);
        return new(FormTitle(catalogue), t.Period, margins, [.. Tables(t, catalogue, publication)], Publication: publication,
            PublicationDate: publication && options?.ReportDate is not null ? margins.Date : null);
    }

    /// <summary>
    /// 分单位明细表: the catalogue's rows (a table with columns one line per cell, named by the catalogue as row · column),
    /// a column per reporter under its kind, and the 合计 of them all, which is the district table's figure.
    /// </summary>
    internal static Printout PrintoutOf(Breakdown.Response b, Catalogue.Catalogue catalogue, DateOnly? reportDate = null)
    {
        FigureColumn total = new(null, "合计");
        // A year added up from a reporter's quarterly tables is said to be one, with the quarters it lacks, so that Q1 and Q2
        // alone are not read as the year.
        // A reporter merged during the year is said to be, its blank stocks explained under the table.
        string Heading(Breakdown.Response.Column c)
        {
            string?[] marks = [c.Source == ContributionSource.Quarters ? "据季报" : null, c.Source == ContributionSource.Quarters ? QuartersToCome(b.Completeness, c.Reporter) : null,
                c.RetiredFrom is { } from ? $"{Infrastructure.AuditText.Period(from)}起撤并" : null];
            return marks.Any(m => m is not null) ? $"{c.Name}（{string.Join("，", marks.OfType<string>())}）" : c.Name;
        }
        var columns = b.Columns.Select(c => new FigureColumn(c.Reporter, Heading(c))).Append(total).ToList();
        var headings = new List<HeadingCell>();
        for (var i = 0; i < b.Columns.Count;)
        {
            var kind = b.Columns[i].Kind;
            var span = b.Columns.Skip(i).TakeWhile(c => c.Kind == kind).Count();
            headings.Add(new HeadingCell(kind.Printed(), 0, i, 1, span));
            for (var j = i; j < i + span; j++) headings.Add(new HeadingCell(Heading(b.Columns[j]), 1, j, 1, 1));
            i += span;
        }
        var headingRows = b.Columns.Count > 0 ? 2 : 1;
        headings.Add(new HeadingCell(total.Name, 0, b.Columns.Count, headingRows, 1));
        var position = b.Columns.Select((c, i) => (c.Reporter, i)).ToDictionary(x => x.Reporter, x => x.i, StringComparer.Ordinal);

        var tables = new List<(PrintedTable, Func<PrintedRow, FigureColumn, decimal?>)>();
        foreach (var table in catalogue.Document.Tables)
        {
            var depth = PrintedTable.Depths(table.Rows.Select(r => (r.Code, r.Parent)));
            var lines = b.Lines.Where(r => r.Table == table.Id).ToList();
            var byCode = lines.ToDictionary(r => r.Code, StringComparer.Ordinal);
            var number = 0;
            var rows = lines.Select(l => new PrintedRow(new RowDocument { Code = l.Code, Name = l.Name, Role = l.Role, Unit = l.Unit },
                depth[l.Row ?? l.Code], l.Role == RowRole.Header ? null : ++number)).ToList();
            tables.Add((new PrintedTable(table, [new PrintedSegment(null, columns, headings, headingRows, rows)], null), (line, column) =>
            {
                var l = byCode[line.Row.Code];
                return column.Code is { } reporter ? l.Values?[position[reporter]] : l.Total;
            }));
        }
        var cellCodes = catalogue.Document.Tables.Any(t => t.Columns.Count > 0);
        var merged = b.Columns.Where(c => c.RetiredFrom is not null).Select(c => c.Name).ToList();
        var margins = MarginsOf(b.District, reportDate);
        if (merged.Count > 0)
            margins = margins with { Note = $"{string.Join("、", merged)}于年内撤并：其时点数（年末数）由接续单位填报，本表该单位列不填，合计亦不计入。" };
        return new(FormTitle(catalogue) + "分单位明细", b.Period, margins, tables, "分单位明细", [5, cellCodes ? 18 : 9, 36, 6], Wide: true);
    }

    /// <summary>
    /// Each catalogue table as printed, with a reader of its figures in the district table (null = blank). One reporter's own
    /// table prints its figure alone (统计数), as its paper form does: the split by kind would repeat it under its own kind; so
    /// does a <paramref name="publication"/>, as the report's appendix prints it.
    /// </summary>
    private static IEnumerable<(PrintedTable Printed, Func<PrintedRow, FigureColumn, decimal?> Figure)> Tables(AggregateTable t, Catalogue.Catalogue catalogue, bool publication)
    {
        var rows = t.Rows.ToDictionary(r => (r.Table, r.Code));
        FigureColumn[] columns = t.Reporters is [_] || publication ? [KindColumns[0]] : KindColumns;
        foreach (var table in catalogue.Document.Tables)
            yield return (PrintedTable.Of(catalogue, table, columns), (line, column) =>
            {
                if (line.IsHeader || !rows.TryGetValue((table.Id, line.Row.Code), out var row)) return null;
                return row.Cells is null
                    ? column.Code switch { "total" => row.Total, "government" => row.Government, "department" => row.Department, "town" => row.Town, _ => null }
                    : row.Cells.FirstOrDefault(c => c.Column == column.Code)?.Total;
            });
    }

    /// <summary>
    /// UTF-8 with a byte-order mark, so that Excel and WPS open the Chinese text correctly. Grouped column headers take
    /// a line per level above the line of leaf names. The CSV is flat, for programs: names are the catalogue's, unindented, so
    /// that a program matches them (the depth is in 代码). A publication starts with its title and the government and has
    /// neither 序号 nor 代码, as the report's appendix.
    /// </summary>
    internal static byte[] ToCsv(Printout p)
    {
        var sb = new StringBuilder();
        void Line(IEnumerable<string> fields) => sb.Append(string.Join(",", fields.Select(Field))).Append("\r\n");
        var many = p.Tables.Count > 1;
        string[] labels = p.Publication ? ["统计指标", "单位"] : ["序号", "代码", "统计指标", "单位"];
        if (p.Publication)
        {
            Line([Heading(p)]);
            Line([p.Margins.Subtitle]);
            if (p.PublicationDate is { } date) Line([date]);
        }
        foreach (var (printed, figure) in p.Tables)
        {
            if (many) Line([printed.Table.Title]);
            foreach (var segment in printed.Segments)
            {
                if (segment.Title is not null) Line([segment.Title]);
                for (var k = 0; k < segment.HeadingRows - 1; k++)
                {
                    var groups = Enumerable.Repeat("", segment.Columns.Count).ToArray();
                    foreach (var h in segment.Headings.Where(h => h.Row == k && h.Row + h.RowSpan < segment.HeadingRows)) groups[h.Column] = h.Text;
                    Line([.. labels.Select(_ => ""), .. groups]);
                }
                Line([.. labels, .. segment.Columns.Select(c => c.Name)]);
                foreach (var l in segment.Rows)
                    Line([.. p.Publication ? [] : new[] { l.Number?.ToString(CultureInfo.InvariantCulture) ?? "", l.Row.Code }, l.Row.Name, l.IsHeader ? "" : l.Row.Unit ?? "",
                        .. segment.Columns.Select(c => Number(figure(l, c)))]);
            }
        }
        if (!p.Publication)
        {
            var m = p.Margins;
            sb.Append("\r\n");
            if (m.Note is { } note) Line([note]);
            if (m.Completeness is { } completeness) Line([completeness]);
            Line([$"填报单位（盖章）：{m.Unit}", "", "", $"报出日期：{m.Date}"]);
            Line(["单位负责人：", "", "", "填表人："]);
        }
        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>A CSV field as Excel and WPS read it back: quoted where needed, and text that would run as a formula made inert.</summary>
    public static string Field(string s)
    {
        // Excel and WPS run a CSV field that starts with = + - @ as a formula; names come from people, so such text gets a
        // leading apostrophe. Numbers (a negative one included) are left as they are.
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            s = "'" + s;
        // A ';' too: Excel where the list separator is ';' (most of Europe) splits an unquoted field there.
        return s.IndexOfAny([',', ';', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    /// <summary>
    /// An .xlsx workbook laid out like the printed 统计表, one sheet per table (统计表, or 表2, 表3 … for the 2021
    /// format): ruled, A4 fitted to the width with the title and column header on every page and frozen on screen,
    /// blank cells left blank, and the completeness and signature lines under the table.
    /// </summary>
    internal static byte[] ToXlsx(Printout p)
    {
        var m = p.Margins;
        return PrintedSheet.Xlsx(workbook =>
        {
            var many = p.Tables.Count > 1;
            var names = PrintedSheet.TableSheetNames(p.Tables.Select(x => x.Printed.Table.Id));
            foreach (var ((printed, figure), name) in p.Tables.Zip(names))
            {
                var sheet = new PrintedSheet(many ? name : p.SheetName, printed.FigureWidth, p.Publication);
                sheet.Line(Heading(p), PrintedSheet.Title);
                sheet.Line(m.Subtitle, PrintedSheet.Subtitle);
                if (p.PublicationDate is { } date) sheet.Line(date, PrintedSheet.DateLine);
                if (many) sheet.Line(printed.Table.Title, PrintedSheet.Section(0));
                var titleRows = sheet.Table(printed, (line, column, _) =>
                {
                    var value = figure(line, column);
                    return PrintedSheet.Number(value, PrintedSheet.FigureStyle(printed.UnitOf(line, column), value: value));
                });
                if (!p.Publication)
                {
                    sheet.NewRow();
                    if (m.Note is { } note) sheet.Line(note, PrintedSheet.Footer);
                    if (m.Completeness is { } completeness) sheet.Line(completeness, PrintedSheet.Footer);
                    sheet.Signatures(m.Unit, m.Date);
                }
                sheet.AddTo(workbook, titleRows, p.Widths, p.Wide);
            }
        });
    }

    /// <summary>
    /// The figure columns a wide printout's group prints beside the label columns: at 10 points on A4 landscape, about six
    /// characters of a reporter's name a line, a figure of seven digits on one.
    /// </summary>
    internal const int GroupColumns = 8;

    /// <summary>
    /// A segment's figure columns in groups of at most <paramref name="size"/>, as even as they go, each with the headings over
    /// it (a kind's heading cut at the group's edges, and so repeated over the next); the last group ends with the last column,
    /// the 合计, read after every reporter as in the workbook. One group when they fit.
    /// </summary>
    internal static IReadOnlyList<PrintedSegment> ColumnGroups(PrintedSegment segment, int size)
    {
        var n = segment.Columns.Count;
        if (n <= size) return [segment];
        var count = (n + size - 1) / size;
        var groups = new List<PrintedSegment>();
        for (int g = 0, from = 0; g < count; g++)
        {
            var to = from + n / count + (g < n % count ? 1 : 0);
            groups.Add(segment with
            {
                Columns = [.. segment.Columns.Skip(from).Take(to - from)],
                Headings = [.. segment.Headings.Where(h => h.Column < to && h.Column + h.ColumnSpan > from)
                    .Select(h => h with { Column = Math.Max(h.Column, from) - from, ColumnSpan = Math.Min(h.Column + h.ColumnSpan, to) - Math.Max(h.Column, from) })],
            });
            from = to;
        }
        return groups;
    }

    /// <summary>The caption of a column group: which of how many, so that pages laid side by side are put in order.</summary>
    private static string GroupCaption(PrintedSegment group, int index, int count) =>
        $"（第 {index + 1} 部分，共 {count} 部分：{group.Columns[0].Name} 至 {group.Columns[^1].Name}）";

    /// <summary>
    /// A printable page in the layout of the report's appendix table: ruled, grouped headers, 其中 rows indented, A4. Each item
    /// of the first two levels (3.1 with its parts) is a row group kept on one page where it fits, and a heading row (三、) with
    /// the group after it, so that a page does not end on a heading or cut a sum from its parts; the first level is bold.
    /// </summary>
    internal static string ToHtml(Printout p)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var m = p.Margins;
        var tables = p.Tables;
        var landscape = tables.Any(x => x.Printed.FigureWidth > 4);
        var heading = Heading(p);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append($"<title>{E(heading)}</title>\n")
          .Append("<style>body{font-family:'SimSun','Songti SC',serif;margin:2em}h1{text-align:center;font-size:1.4em;margin:.3em 0}p.period{text-align:center;margin:.3em 0 .8em}p.date{text-align:right;margin:-.5em 0 .5em}")
          .Append("table{border-collapse:collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #000;padding:.25em .5em}")
          .Append("tr.cap td{border:none;text-align:left;font-weight:bold;padding:.25em 0}td.n{text-align:right;white-space:nowrap}td.u,td.s{text-align:center;white-space:nowrap}tr.h td,tr.t td{font-weight:bold}")
          .Append(string.Concat(Enumerable.Range(1, 5).Select(d => $"td.d{d}{{padding-left:{0.5 + 1.5 * d}em}}")))
          .Append("p.sign{display:flex;justify-content:space-between;gap:2em;margin:.5em 0}p.sign span{flex:1 1 0;min-width:0}p.note{white-space:pre-wrap}")
          .Append("thead{display:table-header-group}tr{break-inside:avoid}tbody{break-inside:avoid}tbody.h{break-after:avoid}")
          .Append("table.w{table-layout:fixed}table.w col.s{width:2.6em}table.w col.i{width:17em}table.w col.u{width:3.2em}table.w th{overflow-wrap:anywhere}table.next{break-before:page}")
          // A column header breaks between words, not characters (其他, not 其/他, beside a wide 社会公益组织): a grouped header's
          // short names keep their columns a name wide; a long one still breaks at its punctuation.
          .Append("table:not(.w) thead th{word-break:keep-all}")
          .Append($"@page{{size:A4 {(landscape ? "landscape" : "portrait")};margin:1.2cm 1.5cm}}")
          .Append("@media print{body{margin:0;font-size:10pt}th,td{padding:.15em .4em}table{margin-bottom:.8em}p.completeness,p.sign{break-inside:avoid}}</style>\n</head>\n<body>\n")
          .Append($"<h1>{E(heading)}</h1>\n<p class=\"period\">{E(m.Subtitle)}</p>\n")
          .Append(p.PublicationDate is { } date ? $"<p class=\"date\">{E(date)}</p>\n" : "");
        var captions = 0;
        foreach (var (printed, figure) in tables)
        {
            if (tables.Count > 1) sb.Append($"<h2>{E(printed.Table.Title)}</h2>\n");
            var rowsAlone = printed.Table.Columns.Count == 0;
            // A wide printout (a column per reporter) prints its columns in groups that fit the page's width, each a table of its
            // own under the label columns, rather than one table squeezed past the paper's edge.
            var groups = p.Wide ? printed.Segments.SelectMany(s => ColumnGroups(s, GroupColumns)).ToList() : [.. printed.Segments];
            var width = p.Wide ? 0 : printed.FigureWidth;
            for (var g = 0; g < groups.Count; g++)
            {
                var segment = groups[g];
                if (p.Wide) width = segment.Columns.Count;
                var caption = segment.Title ?? (groups.Count > 1 ? GroupCaption(segment, g, groups.Count) : null);
                var captionId = caption is null ? null : $"cap{++captions}";
                var named = captionId is null ? "" : $" aria-labelledby=\"{captionId}\"";
                sb.Append(p.Wide ? $"<table class=\"w{(g > 0 ? " next" : "")}\"{named}>\n" : $"<table{named}>\n");
                if (p.Wide)
                    sb.Append("<colgroup><col class=\"s\"><col class=\"i\"><col class=\"u\">")
                      .Append(string.Concat(Enumerable.Repeat("<col>", segment.Columns.Count))).Append("</colgroup>\n");
                sb.Append("<thead>\n");
                // The caption is the header's first row, not a <caption>: a header group is printed again at the top of each page the
                // table runs onto, and a caption is not, so a group's later pages would not say which reporters, nor which part, they are.
                if (caption is not null)
                    sb.Append($"<tr class=\"cap\"><td id=\"{captionId}\" colspan=\"{(p.Publication ? 2 : 3) + width}\">{E(caption)}</td></tr>\n");
                for (var k = 0; k < segment.HeadingRows; k++)
                {
                    sb.Append("<tr>");
                    if (k == 0)
                        foreach (var label in new[] { p.Publication ? null : "序号", printed.Note is null ? "统计指标" : $"统计指标{printed.Note}", "单位" }.OfType<string>())
                            sb.Append($"<th rowspan=\"{segment.HeadingRows}\">{E(label)}</th>");
                    // The last heading stretches to the widest segment's width.
                    foreach (var h in segment.Headings.Where(h => h.Row == k).OrderBy(h => h.Column))
                        sb.Append($"<th rowspan=\"{h.RowSpan}\" colspan=\"{(h.Column + h.ColumnSpan == segment.Columns.Count ? width - h.Column : h.ColumnSpan)}\">{E(h.Text)}</th>");
                    sb.Append("</tr>\n");
                }
                sb.Append("</thead>\n");
                var open = false;
                foreach (var l in segment.Rows)
                {
                    // A group opens at each row of the first two levels: a heading alone, an item with its parts.
                    if (!open || l.Depth <= 1)
                    {
                        sb.Append(open ? "</tbody>\n" : "").Append(l.IsHeader ? "<tbody class=\"h\">\n" : "<tbody>\n");
                        open = true;
                    }
                    var top = !l.IsHeader && rowsAlone && l.Depth == 0;
                    sb.Append($"<tr{(l.IsHeader ? " class=\"h\"" : top ? " class=\"t\"" : "")} data-code=\"{E(l.Row.Code)}\">")
                      .Append(p.Publication ? "" : $"<td class=\"s\">{l.Number?.ToString(CultureInfo.InvariantCulture)}</td>")
                      .Append(l.Depth > 0 ? $"<td class=\"d{Math.Min(l.Depth, 5)}\">" : "<td>").Append($"{E(l.Row.Name)}</td>")
                      .Append($"<td class=\"u\">{(l.IsHeader ? "" : E(l.Row.Unit ?? ""))}</td>");
                    for (var i = 0; i < segment.Columns.Count; i++)
                    {
                        var span = i == segment.Columns.Count - 1 && width > segment.Columns.Count ? $" colspan=\"{width - i}\"" : "";
                        sb.Append($"<td class=\"n\"{span}>{(l.IsHeader ? "" : Number(figure(l, segment.Columns[i])))}</td>");
                    }
                    sb.Append("</tr>\n");
                }
                sb.Append(open ? "</tbody>\n" : "<tbody></tbody>\n").Append("</table>\n");
            }
        }
        if (!p.Publication)
        {
            if (m.Note is { } note) sb.Append($"<p class=\"note\">{E(note)}</p>\n");
            if (m.Completeness is { } completeness) sb.Append($"<p class=\"completeness\">{E(completeness)}</p>\n");
            sb.Append($"<p class=\"sign\"><span>{E($"填报单位（盖章）：{m.Unit}")}</span><span>{E($"报出日期：{m.Date}")}</span></p>\n")
              .Append("<p class=\"sign\"><span>单位负责人：</span><span>填表人：</span></p>\n");
        }
        return sb.Append("</body>\n</html>\n").ToString();
    }
}
