using System.Text.RegularExpressions;

namespace Disclosure.Catalogue;

/// <summary>
/// Checks a catalogue document an office loads before it is accepted, and lists every problem, not only the first:
/// ids and codes unique and well formed, every parent, column, unit and rule code known, sums acyclic, and an edition's
/// mapping resolvable against its national catalogue. Each problem is a <see cref="Violation"/> (rule <c>catalogue-…</c>,
/// the codes involved), the shape a refused submission has, so that a client reads one kind of 422.
/// </summary>
public static partial class CatalogueChecker
{
    /// <summary>The catalogue's id is malformed (2 to 100 lower-case letters, digits and '-'), or it lacks its title or English title.</summary>
    public const string Id = "catalogue-id";
    /// <summary>A unit declared twice or malformed, or a row or column in a unit not declared.</summary>
    public const string Unit = "catalogue-unit";
    /// <summary><c>periods</c> names no years or granularities a catalogue can take.</summary>
    public const string Periods = "catalogue-periods";
    /// <summary>A table id empty or given twice, no table at all, or more value cells than a submission can carry.</summary>
    public const string Table = "catalogue-table";
    /// <summary>A row or column code malformed or given twice, or a value row that does not say whether it is a flow, a stock or an opening balance.</summary>
    public const string Code = "catalogue-code";
    /// <summary>A parent, sum or part that names no row or column of its table, or that contradicts its parent.</summary>
    public const string Parent = "catalogue-parent";
    /// <summary>A column that names no value column of its table, or a header column that states a value's properties.</summary>
    public const string Column = "catalogue-column";
    /// <summary>A row that is its own ancestor.</summary>
    public const string Cycle = "catalogue-cycle";
    /// <summary>A catalogue rule whose id is empty or given twice, or whose expression cannot be read or names no value cell.</summary>
    public const string Rule = "catalogue-rule";
    /// <summary>An edition's mapping to its national catalogue that cannot be resolved.</summary>
    public const string Edition = "catalogue-edition";
    /// <summary>A member null or of the wrong JSON type, or text with characters that cannot be printed.</summary>
    public const string Invalid = "catalogue-invalid";
    /// <summary>A document's <c>cells</c> that are not those its tables imply (checked where the document is loaded, once it compiles).</summary>
    public const string Cells = "catalogue-cells";
    /// <summary>A row's <c>carriedFrom</c> that is not a stock row of the same columns and units, or a carrying row not of opening balances.</summary>
    public const string Carried = "catalogue-carried";

    /// <summary>The most value cells a catalogue may have: a submission carries at most this many values, so a larger table could never be sent whole.</summary>
    public const int MaxCells = 2000;

    /// <summary>Lower-case letters, digits and '-', 2 to 100 characters: it goes in URLs and store keys.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,99}$")]
    public static partial Regex IdPattern();

    // A code goes in row:column cell codes and in rule expressions, so it may hold neither ':' nor spaces nor operators.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex CodePattern();

    /// <summary>
    /// Every problem of <paramref name="doc"/>; empty when it compiles into a catalogue. <paramref name="national"/>
    /// finds the national catalogue an edition names (built-in ones only: an edition's meaning must not depend on
    /// another loaded document).
    /// </summary>
    public static IReadOnlyList<Violation> Check(CatalogueDocument doc, Func<string, Catalogue?> national)
    {
        var problems = new List<Violation>();
        void Add(string rule, IReadOnlyList<string> codes, string en, string zh) => problems.Add(new(rule, Severity.Error, codes, null, null, en, zh));

        // JSON null where the document needs a list or an item: a list left out is empty, but null is neither, and the
        // checks below read every item. Listed first and alone.
        foreach (var (at, kind) in NullsIn(doc))
        {
            var (en, zh) = kind switch
            {
                NullKind.RequiredList => ("give a list, [] if there is nothing to list; it is required, and cannot be left out.", "应为列表，无内容时为空列表 []；此项必填，不能省略。"),
                NullKind.OptionalList => ("give a list, or leave it out if there is nothing to list.", "应为列表；无内容时可以省略。"),
                _ => ("give the item, or remove it from the list.", "应为条目，或从列表中删去。"),
            };
            Add(Invalid, [at], $"{at} is null: {en}", $"{at} 为 null：{zh}");
        }
        if (problems.Count > 0) return problems;

        // Names and titles are printed, in the templates and exports too.
        foreach (var (at, text) in TextsIn(doc))
            if (text is not null && !PrintableText.IsPrintable(text))
                Add(Invalid, [at], $"{at} holds a control character or another that cannot be printed: a name or title is one line of text.",
                    $"{at} 含有控制字符等无法打印的字符：名称和标题应为一行文字。");

        if (!IdPattern().IsMatch(doc.Id ?? ""))
            Add(Id, [doc.Id ?? ""], $"'{doc.Id}' is not a catalogue id: use 2 to 100 lower-case letters, digits and '-'.",
                $"“{doc.Id}”不是有效的统计表标识：应为 2 至 100 个小写字母、数字或“-”。");
        if (string.IsNullOrWhiteSpace(doc.Title) || string.IsNullOrWhiteSpace(doc.TitleEn))
            Add(Id, [doc.Id ?? ""], "The catalogue needs a title and an English title.", "统计表须有中文标题和英文标题。");

        var p = doc.Periods;
        if (p is null || p.FromYear < 1900 || (p.ToYear is { } to && to < p.FromYear) || p.Granularities is not { Count: > 0 })
            Add(Periods, [], "periods needs fromYear (1900 or later), a toYear not before it if any, and at least one granularity.",
                "periods 须有 fromYear（不早于 1900 年）、不早于它的 toYear（如有），以及至少一种统计周期。");

        var units = new Dictionary<string, UnitDocument>(StringComparer.Ordinal);
        foreach (var u in doc.Units)
        {
            if (string.IsNullOrWhiteSpace(u.Code) || !units.TryAdd(u.Code, u))
                Add(Unit, [u.Code ?? ""], $"Unit '{u.Code}' is empty or declared twice.", $"计量单位“{u.Code}”为空或重复声明。");
            if (u.Decimals is < 0 or > TableValidator.MaxDecimals)
                Add(Unit, [u.Code ?? ""], $"Unit '{u.Code}' declares {u.Decimals} decimals; a unit has 0 to {TableValidator.MaxDecimals}.",
                    $"计量单位“{u.Code}”声明 {u.Decimals} 位小数，应为 0 至 {TableValidator.MaxDecimals} 位。");
            if (u.FarGap is <= 0)
                Add(Unit, [u.Code ?? ""], $"Unit '{u.Code}' declares farGap {u.FarGap}: how far apart a figure and last year's must be to be pointed out is above 0.",
                    $"计量单位“{u.Code}”声明的 farGap 为 {u.FarGap}：与上年比较须相差的数值应大于 0。");
            foreach (var a in u.Accepts)
                if (string.IsNullOrWhiteSpace(a.Unit) || a.Divisor <= 0)
                    Add(Unit, [u.Code ?? "", a.Unit ?? ""], $"Unit '{u.Code}' accepts '{a.Unit}' with divisor {a.Divisor}: a unit needs a name and a positive divisor.",
                        $"计量单位“{u.Code}”接受“{a.Unit}”的换算除数为 {a.Divisor}：须有单位名称且除数为正。");
        }
        bool KnownUnit(string? unit) => unit is not null && units.ContainsKey(unit);

        var tables = new HashSet<string>(StringComparer.Ordinal);
        var allRows = new Dictionary<string, (TableDocument Table, RowDocument Row)>(StringComparer.Ordinal);
        var cells = new HashSet<string>(StringComparer.Ordinal);
        if (doc.Tables.Count == 0) Add(Table, [], "The catalogue has no tables.", "统计表没有任何表格。");
        foreach (var table in doc.Tables)
        {
            if (string.IsNullOrWhiteSpace(table.Id) || !tables.Add(table.Id))
                Add(Table, [table.Id ?? ""], $"Table id '{table.Id}' is empty or appears twice.", $"表格标识“{table.Id}”为空或重复。");
            var columns = new Dictionary<string, ColumnDocument>(StringComparer.Ordinal);
            foreach (var col in table.Columns)
            {
                if (!CodePattern().IsMatch(col.Code ?? "") || !columns.TryAdd(col.Code!, col))
                    Add(Code, [col.Code ?? ""], $"Column code '{col.Code}' of table '{table.Id}' is malformed or appears twice.",
                        $"表格“{table.Id}”的列代码“{col.Code}”格式不正确或重复。");
            }
            foreach (var col in table.Columns)
            {
                if (col.Parent is { } cp && (!columns.TryGetValue(cp, out var pc) || pc.Role != RowRole.Header))
                    Add(Parent, [col.Code], $"Column '{col.Code}' names '{cp}' as its parent, which is not a header column of table '{table.Id}'.",
                        $"列“{col.Code}”的上级“{cp}”不是表格“{table.Id}”的标题列。");
                if (col.Role == RowRole.Header && (col.SumOf.Count > 0 || col.Unit is not null || col.OverTime is not null))
                    Add(Column, [col.Code], $"Header column '{col.Code}' carries no value and cannot state sumOf, unit or overTime.",
                        $"标题列“{col.Code}”不承载数值，不能声明 sumOf、unit 或 overTime。");
                if (col.Unit is not null && !KnownUnit(col.Unit))
                    Add(Unit, [col.Code, col.Unit], $"Column '{col.Code}' has unknown unit '{col.Unit}'.", $"列“{col.Code}”的计量单位“{col.Unit}”未声明。");
                foreach (var s in col.SumOf)
                    if (!columns.TryGetValue(s, out var m) || m.Role != RowRole.Value || s == col.Code)
                        Add(Column, [col.Code, s], $"Column '{col.Code}' sums '{s}', which is not another value column of table '{table.Id}'.",
                            $"列“{col.Code}”合计的“{s}”不是表格“{table.Id}”的其他数值列。");
            }
            var valueColumns = table.Columns.Where(c => c.Role == RowRole.Value).Select(c => c.Code).ToList();
            var rows = new Dictionary<string, RowDocument>(StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                if (!CodePattern().IsMatch(row.Code ?? ""))
                    Add(Code, [row.Code ?? ""], $"Row code '{row.Code}' is malformed: use letters, digits, '.', '_' or '-' (no ':' or spaces).",
                        $"行代码“{row.Code}”格式不正确：只能使用字母、数字、“.”“_”或“-”（不能含“:”或空格）。");
                else if (!allRows.TryAdd(row.Code!, (table, row)))
                    Add(Code, [row.Code!], $"Row code '{row.Code}' appears twice: every code must be unique in the catalogue.",
                        $"行代码“{row.Code}”重复：统计表中每个代码必须唯一。");
                else rows[row.Code!] = row;
            }
            var childrenOf = table.Rows.Where(r => r.Parent is not null).ToLookup(r => r.Parent!, StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                if (row.Parent is { } parent && !rows.ContainsKey(parent))
                    Add(Parent, [row.Code, parent], $"Row '{row.Code}' names '{parent}' as its parent, which is not a row of table '{table.Id}'.",
                        $"行“{row.Code}”的上级“{parent}”不是表格“{table.Id}”的行。");
                if (row.Role == RowRole.Header) continue;
                if (!KnownUnit(row.Unit))
                    Add(Unit, [row.Code, row.Unit ?? ""], $"Value row '{row.Code}' has unknown or no unit '{row.Unit}'.", $"数值行“{row.Code}”的计量单位“{row.Unit}”缺失或未声明。");
                if (row.OverTime is null)
                    Add(Code, [row.Code], $"Value row '{row.Code}' does not say whether it is a flow, a stock or an opening balance.",
                        $"数值行“{row.Code}”未说明是流量、存量还是期初数。");
                foreach (var c in row.Columns)
                    if (!valueColumns.Contains(c))
                        Add(Column, [row.Code, c], $"Row '{row.Code}' lists '{c}', which is not a value column of table '{table.Id}'.",
                            $"行“{row.Code}”列出的“{c}”不是表格“{table.Id}”的数值列。");
                foreach (var s in row.SumOf)
                    if (!rows.TryGetValue(s, out var m) || m.Role != RowRole.Value || s == row.Code)
                        Add(Parent, [row.Code, s], $"Row '{row.Code}' sums '{s}', which is not another value row of table '{table.Id}'.",
                            $"行“{row.Code}”合计的“{s}”不是表格“{table.Id}”的其他数值行。");
                var children = childrenOf[row.Code];
                if (children.Any() && row.Children == ChildrenRelation.None)
                    Add(Parent, [row.Code], $"Row '{row.Code}' has children but says 'none'.", $"行“{row.Code}”有下级行，却声明为“none”。");
                foreach (var child in children)
                    if (row.Children is ChildrenRelation.Sum or ChildrenRelation.Part
                        && child.Relation != (row.Children == ChildrenRelation.Sum ? ParentRelation.SumMember : ParentRelation.Part))
                        Add(Parent, [child.Code, row.Code], $"Row '{child.Code}' says '{child.Relation}' but its parent '{row.Code}' says '{row.Children}'.",
                            $"行“{child.Code}”声明为“{child.Relation}”，但其上级“{row.Code}”声明为“{row.Children}”。");
                if (valueColumns.Count == 0) cells.Add(row.Code);
                else foreach (var c in valueColumns.Where(c => row.Columns.Count == 0 || row.Columns.Contains(c))) cells.Add(Catalogue.CellCode(row.Code, c));
            }
            // A parent chain that comes back to where it started has no top: no table can be drawn from it. A walk ends at a
            // row an earlier walk settled (it reaches a top, or it leads into a cycle), so each row is walked through once.
            var reachesTop = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                var walked = new HashSet<string>(StringComparer.Ordinal);
                var top = true;
                for (var at = row; at?.Code is { } code; at = at.Parent is { } up ? rows.GetValueOrDefault(up) : null)
                {
                    if (reachesTop.TryGetValue(code, out var settled)) { top = settled; break; }
                    if (!walked.Add(code)) { top = false; break; }
                }
                foreach (var code in walked) reachesTop[code] = top;
                if (!top) Add(Cycle, [row.Code], $"Row '{row.Code}' is its own ancestor: the parent chain is a cycle.", $"行“{row.Code}”的上级链构成循环。");
            }
        }

        if (cells.Count > MaxCells)
            Add(Table, [], $"The catalogue has {cells.Count} value cells; a submission carries at most {MaxCells} values, so a filled-in table could not be sent.",
                $"统计表共有 {cells.Count} 个数值单元格，而一次报送最多 {MaxCells} 项数值：填满的报表将无法提交。");

        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        // Each table's value rows, once: an each-column rule is checked against the first table of its id.
        var valueRowsOf = doc.Tables.ToLookup(t => t.Id, t => t.Rows.Where(r => r.Role == RowRole.Value).Select(r => r.Code).ToHashSet(StringComparer.Ordinal));
        foreach (var rule in doc.Rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Id) || !ruleIds.Add(rule.Id))
                Add(Rule, [rule.Id ?? ""], $"Rule id '{rule.Id}' is empty or appears twice.", $"规则标识“{rule.Id}”为空或重复。");
            var scopeRows = rule.Scope == RuleScope.EachColumn && rule.Table is not null ? valueRowsOf[rule.Table].FirstOrDefault() : null;
            if (rule.Scope == RuleScope.EachColumn && scopeRows is null)
                Add(Rule, [rule.Id ?? ""], $"Rule '{rule.Id}' is checked in each column of table '{rule.Table}', which does not exist.",
                    $"规则“{rule.Id}”按列检查的表格“{rule.Table}”不存在。");
            foreach (var part in (rule.Expression ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(""))
            {
                var parsed = RuleExpression.Parse(part);
                if (parsed is null)
                {
                    Add(Rule, [rule.Id ?? ""], $"Rule '{rule.Id}' cannot parse '{part}': write terms joined by + or - on each side of <=, >=, ==, < or >.",
                        $"规则“{rule.Id}”无法解析“{part}”：两侧应为以 + 或 - 连接的代码，中间为 <=、>=、==、< 或 >。");
                    continue;
                }
                var (left, _, right) = parsed.Value;
                foreach (var (code, _) in left.Concat(right))
                {
                    var known = rule.Scope == RuleScope.EachColumn
                        ? scopeRows is null || scopeRows.Contains(code)
                        : cells.Contains(code);
                    if (!known)
                        Add(Rule, [rule.Id ?? "", code], $"Rule '{rule.Id}' names '{code}', which is not a value {(rule.Scope == RuleScope.EachColumn ? "row of table '" + rule.Table + "'" : "cell")}.",
                            $"规则“{rule.Id}”引用的“{code}”不是{(rule.Scope == RuleScope.EachColumn ? "表格“" + rule.Table + "”的数值行" : "数值单元格")}。");
                }
            }
        }

        foreach (var (codes, en, zh) in CarriedOver.Problems(doc)) Add(Carried, codes, en, zh);

        if (doc.Edition is { } edition) CheckEdition(doc, edition, units, cells, national, Add);

        // What the checks above do not reach (a sum cycle through rows and columns, a cell a rule names in a column a
        // ragged row lacks) the compiler finds; it stops at the first, so it runs only once nothing else is wrong.
        if (problems.Count == 0)
        {
            try { CheckSumsOverTime(Catalogue.Compile(doc), Add); }
            catch (CatalogueException e)
            {
                var rule = e.Message.Contains("cycle", StringComparison.Ordinal) ? Cycle : Invalid;
                Add(rule, [], e.Message, "统计表不一致：" + e.Message);
            }
        }
        return problems;
    }

    /// <summary>
    /// A catalogue with quarterly tables makes a year from them (<see cref="Rollup.YearFromQuarters"/>): its flows summed, its
    /// stocks the last quarter's, its openings the first's. A sum adding cells of different kinds cannot hold in such a year —
    /// 2021's 总计 of table 四 adds 尚未审结, cases pending at the end of the period, to the cases decided in it, so four
    /// quarters' 总计 would count a case pending all year four times — so it is refused there; in a yearly catalogue it is
    /// what the printed form asks and is left be.
    /// </summary>
    private static void CheckSumsOverTime(Catalogue catalogue, Action<string, IReadOnlyList<string>, string, string> add)
    {
        if (!catalogue.Document.Periods.Granularities.Contains(Granularity.Quarter)) return;
        foreach (var sum in catalogue.Sums)
        {
            var cells = sum.Children.Prepend(sum.Parent).Select(i => catalogue.Cells[i]).ToList();
            if (cells.Select(c => c.OverTime).Distinct().Count() < 2) continue;
            var kinds = string.Join(", ", cells.Select(c => $"{c.Code} {Kind(c.OverTime)}"));
            add(Parent, [.. cells.Select(c => c.Code)],
                $"'{cells[0].Code}' is the sum of cells of different kinds over time ({kinds}): a year made from quarterly tables sums a flow, " +
                "takes a stock from its last quarter and an opening balance from its first, so the sum would not hold in it. " +
                "Make the sum's cells one kind, or allow the catalogue yearly tables only.",
                $"“{cells[0].Code}”是不同时间属性单元格之和（{string.Join("，", cells.Select(c => $"{c.Code} {KindZh(c.OverTime)}"))}）：" +
                "由季报汇成年度时，流量按季相加，存量取最后一个季度，期初数取第一个季度，此合计在年度中不再成立。请使合计各单元格属性一致，或只允许年报。");
        }

        static string Kind(OverTime t) => t switch { OverTime.Flow => "flow", OverTime.Stock => "stock", _ => "opening" };
        static string KindZh(OverTime t) => t switch { OverTime.Flow => "流量", OverTime.Stock => "存量", _ => "期初数" };
    }

    private static void CheckEdition(CatalogueDocument doc, EditionDocument edition, Dictionary<string, UnitDocument> units, HashSet<string> cells, Func<string, Catalogue?> find,
        Action<string, IReadOnlyList<string>, string, string> add)
    {
        var national = find(edition.National ?? "");
        if (national is null)
        {
            add(Edition, [edition.National ?? ""], $"The edition maps to '{edition.National}', which is not a built-in national catalogue.",
                $"该版本对应的“{edition.National}”不是内置的全国统计表。");
            return;
        }
        var mappedOnce = new HashSet<string>(StringComparer.Ordinal);
        var inSums = new Dictionary<string, string>(StringComparer.Ordinal);
        var alone = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in edition.Cells)
        {
            if (!cells.Contains(m.Code ?? ""))
            {
                add(Edition, [m.Code ?? ""], $"The edition maps '{m.Code}', which is not a value cell of this catalogue.", $"版本对应关系中的“{m.Code}”不是本统计表的数值单元格。");
                continue;
            }
            if (!mappedOnce.Add(m.Code!))
                add(Edition, [m.Code!], $"'{m.Code}' is mapped twice.", $"“{m.Code}”的对应关系重复声明。");
            var unit = UnitOf(doc, m.Code!);
            foreach (var code in m.National)
            {
                if (!national.TryGetCell(code, out var target))
                {
                    add(Edition, [m.Code!, code], $"'{m.Code}' maps to '{code}', which is not a value cell of '{national.Id}'.",
                        $"“{m.Code}”对应的“{code}”不是“{national.Id}”的数值单元格。");
                    continue;
                }
                if (unit is not null && unit != target.Unit && !national.TryGetConversion(unit, target.Unit, out _))
                    add(Edition, [m.Code!, code], $"'{m.Code}' is counted in {unit} and '{code}' in {target.Unit}, which {unit} does not convert to.",
                        $"“{m.Code}”以“{unit}”计，“{code}”以“{target.Unit}”计，二者不能换算。");
                else if (unit is not null && units.TryGetValue(unit, out var u) && unit == target.Unit && u.Decimals > target.Decimals)
                    add(Edition, [m.Code!, code], $"'{m.Code}' allows {u.Decimals} decimals of {unit}, more than '{code}' keeps.",
                        $"“{m.Code}”允许 {u.Decimals} 位小数，多于“{code}”。");
                // A national cell reached through a sum of several has an unknown split, so nothing else may claim it.
                var owner = m.National.Count > 1 ? inSums : alone;
                var other = m.National.Count > 1 ? alone : inSums;
                if (other.TryGetValue(code, out var by) || (m.National.Count > 1 && inSums.TryGetValue(code, out by)))
                    add(Edition, [m.Code!, code, by!], $"'{code}' is reached both by '{m.Code}' and by '{by}', one of them as part of a sum of several: its value would be counted twice or split unknowably.",
                        $"“{code}”同时由“{m.Code}”和“{by}”对应，且其一为多项之和：其数值会重复计算或无法拆分。");
                owner.TryAdd(code, m.Code!);
            }
        }
    }

    private enum NullKind { RequiredList, OptionalList, Item }

    /// <summary>
    /// Where <paramref name="doc"/> holds null in place of a list or of a list's item, as a client wrote the path, and which: a
    /// required list (which cannot be left out either), an optional one, or an item.
    /// </summary>
    private static IEnumerable<(string At, NullKind Kind)> NullsIn(CatalogueDocument doc) =>
        Nulls(doc.Units, "units", true, (u, at) => Nulls(u.Accepts, $"{at}.accepts", false))
            .Concat(Nulls(doc.Tables, "tables", true, (t, at) =>
                Nulls(t.Columns, $"{at}.columns", false, (c, cat) => Nulls(c.SumOf, $"{cat}.sumOf", false))
                    .Concat(Nulls(t.Rows, $"{at}.rows", true, (r, rat) => Nulls(r.SumOf, $"{rat}.sumOf", false).Concat(Nulls(r.Columns, $"{rat}.columns", false))))))
            .Concat(Nulls(doc.Rules, "rules", true))
            .Concat(doc.Edition is { } e ? Nulls(e.Cells, "edition.cells", true, (c, at) => Nulls(c.National, $"{at}.national", false)) : []);

    /// <summary>Every name and title of <paramref name="doc"/>, and the table ids (sheet names in the exports), with where each is; none of its lists is null.</summary>
    private static IEnumerable<(string At, string? Text)> TextsIn(CatalogueDocument doc)
    {
        yield return ("title", doc.Title);
        yield return ("titleEn", doc.TitleEn);
        yield return ("source", doc.Source);
        foreach (var (i, u) in doc.Units.Index()) { yield return ($"units[{i}].code", u.Code); yield return ($"units[{i}].nameEn", u.NameEn); }
        foreach (var (t, table) in doc.Tables.Index())
        {
            yield return ($"tables[{t}].id", table.Id);
            yield return ($"tables[{t}].title", table.Title);
            foreach (var (i, c) in table.Columns.Index()) { yield return ($"tables[{t}].columns[{i}].name", c.Name); yield return ($"tables[{t}].columns[{i}].unit", c.Unit); }
            foreach (var (i, r) in table.Rows.Index()) { yield return ($"tables[{t}].rows[{i}].name", r.Name); yield return ($"tables[{t}].rows[{i}].unit", r.Unit); }
        }
        foreach (var (i, r) in doc.Rules.Index()) { yield return ($"rules[{i}].why", r.Why); yield return ($"rules[{i}].whyEn", r.WhyEn); }
    }

    private static IEnumerable<(string At, NullKind Kind)> Nulls<T>(IReadOnlyList<T?>? items, string at, bool required,
        Func<T, string, IEnumerable<(string, NullKind)>>? within = null) where T : class
    {
        if (items is null)
        {
            yield return (at, required ? NullKind.RequiredList : NullKind.OptionalList);
            yield break;
        }
        for (var i = 0; i < items.Count; i++)
            if (items[i] is not { } item) yield return ($"{at}[{i}]", NullKind.Item);
            else if (within is not null)
                foreach (var inner in within(item, $"{at}[{i}]")) yield return inner;
    }

    private static string? UnitOf(CatalogueDocument doc, string cellCode)
    {
        var at = cellCode.IndexOf(':', StringComparison.Ordinal);
        var rowCode = at < 0 ? cellCode : cellCode[..at];
        foreach (var table in doc.Tables)
            foreach (var row in table.Rows)
                if (row.Code == rowCode)
                    return at < 0 ? row.Unit : table.Columns.FirstOrDefault(c => c.Code == cellCode[(at + 1)..])?.Unit ?? row.Unit;
        return null;
    }
}
