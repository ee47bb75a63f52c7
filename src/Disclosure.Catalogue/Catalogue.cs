using System.Collections.Frozen;

namespace Disclosure.Catalogue;

/// <summary>One cell that carries a value: a value row of a table without columns, or a value row × value column.</summary>
public sealed record Cell(
    int Index,
    string Code,
    string TableId,
    string RowCode,
    string? ColumnCode,
    string Name,
    string Unit,
    int Decimals,
    OverTime OverTime);

/// <summary><c>Parent = Σ Children</c>. Relations are stored so that a child is derived before its parent.</summary>
public sealed record SumRelation(int Parent, int[] Children);

/// <summary><c>Part ≤ Whole</c>, and a part may not be given while its whole is blank.</summary>
public sealed record PartRelation(int Part, int Whole);

public enum Comparison { LessOrEqual, GreaterOrEqual, Equal, Less, Greater }

/// <summary>A term of a rule side: a cell with a sign.</summary>
public readonly record struct Term(int Cell, int Sign);

public sealed record CompiledComparison(Term[] Left, Comparison Op, Term[] Right, string Text);

public sealed record CompiledRule(RuleDocument Source, IReadOnlyList<CompiledComparison> Comparisons);

/// <summary>
/// A catalogue compiled from its file: cells indexed densely so that the engine works on arrays, every
/// parent/child relation and cross-row rule resolved to cell indexes.
/// </summary>
public sealed class Catalogue
{
    private readonly FrozenDictionary<string, int> cellsByCode;
    private readonly FrozenSet<string> headerCodes;
    private readonly FrozenSet<string> absentCodes;
    private readonly FrozenDictionary<string, decimal> conversionDivisors; // key "from→to"
    private readonly FrozenDictionary<string, decimal> farGaps; // by unit code

    // Arrays so that the engine's hot path indexes instead of enumerating through interfaces (which boxes an
    // enumerator per loop); the public lists below are these same arrays.
    internal readonly Cell[] CellArray;
    internal readonly SumRelation[] SumArray;
    internal readonly PartRelation[] PartArray;
    internal readonly CompiledComparison[][] RuleComparisons;

    public CatalogueDocument Document { get; }
    public string Id => Document.Id;
    public IReadOnlyList<Cell> Cells => CellArray;
    public IReadOnlyList<SumRelation> Sums => SumArray;
    public IReadOnlyList<PartRelation> Parts => PartArray;
    public IReadOnlyList<CompiledRule> Rules { get; }
    /// <summary>Each balance carried in with the stock of the period before it must equal (<see cref="RowDocument.CarriedFrom"/>), in table order.</summary>
    public IReadOnlyList<CarriedRelation> Carried { get; }

    /// <summary>
    /// For each cell, by index, the first cell (in table order) of the cells a year from quarters takes from one quarter
    /// (<see cref="Rollup.YearFromQuarters(Catalogue, IEnumerable{ValueTuple{int, decimal?[]}})"/>): the stock cells that the
    /// sums, parts (其中) and cross-row rules link, taken together — a stock row with its parent and children, at any depth, and
    /// 12.2 with 9, which count the same reading points — and the opening cells likewise, so that a year's sum or rule is never
    /// mixed from two quarters. A flow cell, or one linked to no cell of its kind, is its own.
    /// </summary>
    public IReadOnlyList<int> OverTimeGroups { get; }

    private Catalogue(CatalogueDocument document, Cell[] cells, FrozenSet<string> headerCodes, FrozenSet<string> absentCodes,
        SumRelation[] sums, PartRelation[] parts, CompiledRule[] rules, FrozenDictionary<string, decimal> conversions, CarriedRelation[] carried)
    {
        Document = document;
        CellArray = cells;
        cellsByCode = cells.ToFrozenDictionary(c => c.Code, c => c.Index, StringComparer.Ordinal);
        this.headerCodes = headerCodes;
        this.absentCodes = absentCodes;
        SumArray = sums;
        PartArray = parts;
        Rules = rules;
        Carried = carried;
        RuleComparisons = [.. rules.Select(r => r.Comparisons.ToArray())];
        conversionDivisors = conversions;
        farGaps = document.Units.ToFrozenDictionary(u => u.Code, u => u.FarGap ?? YearOnYear.DefaultGap, StringComparer.Ordinal);
        OverTimeGroups = GroupOverTime(cells, sums, parts, RuleComparisons);
    }

    private static int[] GroupOverTime(Cell[] cells, SumRelation[] sums, PartRelation[] parts, CompiledComparison[][] rules)
    {
        // Union-find whose root is the smallest index, so that a group is named by its first cell.
        var first = Enumerable.Range(0, cells.Length).ToArray();
        int Find(int i)
        {
            while (first[i] != i) i = first[i] = first[first[i]];
            return i;
        }
        // Only cells of one kind are taken together: a flow is summed whatever quarter a stock it is checked with came from.
        void Link(IEnumerable<int> related)
        {
            foreach (var kind in related.Where(i => cells[i].OverTime != OverTime.Flow).GroupBy(i => cells[i].OverTime))
            {
                var root = Find(kind.First());
                foreach (var other in kind.Skip(1).Select(Find))
                {
                    if (other == root) continue;
                    (root, var child) = other < root ? (other, root) : (root, other);
                    first[child] = root;
                }
            }
        }
        foreach (var sum in sums) Link(sum.Children.Prepend(sum.Parent));
        foreach (var part in parts) Link([part.Part, part.Whole]);
        foreach (var comparison in rules.SelectMany(r => r)) Link(comparison.Left.Concat(comparison.Right).Select(t => t.Cell));
        return [.. Enumerable.Range(0, cells.Length).Select(Find)];
    }

    public bool TryGetCell(string code, out Cell cell)
    {
        cell = cellsByCode.TryGetValue(code, out var index) ? CellArray[index] : null!;
        return cell is not null;
    }

    /// <summary>How many codes a table may name: its value cells and its header codes (a form may post a header as blank).</summary>
    public int CodeCount => CellArray.Length + headerCodes.Count;

    /// <summary>The dense index of the value cell with this code.</summary>
    public bool TryGetIndex(string code, out int index) => cellsByCode.TryGetValue(code, out index);

    /// <summary>True for the code of a header row or column (or a cell a ragged row does not have).</summary>
    public bool IsHeader(string code) => headerCodes.Contains(code);

    /// <summary>True for <c>row:column</c> where a ragged row does not have that value column (the printed cell is empty by design).</summary>
    public bool IsAbsent(string code) => absentCodes.Contains(code);

    /// <summary>Refuses a table of values that does not have one entry per cell of this catalogue.</summary>
    internal void CheckLength<T>(IReadOnlyCollection<T> values, string paramName)
    {
        if (values.Count != CellArray.Length)
            throw new ArgumentException($"Catalogue '{Id}' has {CellArray.Length} cells, not {values.Count}.", paramName);
    }

    public bool AllowsPeriod(Period period)
    {
        var p = Document.Periods;
        if (period.Year < p.FromYear || (p.ToYear is { } to && period.Year > to)) return false;
        return p.Granularities.Contains(period.IsYear ? Granularity.Year : Granularity.Quarter);
    }

    /// <summary>Every period the catalogue allows up to <paramref name="lastYear"/> (its own last year if earlier), years before their quarters.</summary>
    public IEnumerable<Period> AllowedPeriods(int lastYear)
    {
        var p = Document.Periods;
        for (var year = p.FromYear; year <= Math.Min(p.ToYear ?? lastYear, lastYear); year++)
        {
            var y = new Period(year, null);
            if (AllowsPeriod(y)) yield return y;
            foreach (var q in y.QuartersOfYear().Where(AllowsPeriod)) yield return q;
        }
    }

    /// <summary>The divisor that turns a value stated in <paramref name="from"/> into <paramref name="to"/>, if the catalogue allows it.</summary>
    public bool TryGetConversion(string from, string to, out decimal divisor) =>
        conversionDivisors.TryGetValue(from + "→" + to, out divisor);

    /// <summary>与上年比较: how far apart a figure of <paramref name="cell"/> and last year's must be to be pointed out, in its unit (<see cref="UnitDocument.FarGap"/>).</summary>
    public decimal FarGapOf(Cell cell) => farGaps.GetValueOrDefault(cell.Unit, YearOnYear.DefaultGap);

    /// <summary>Compiles a catalogue file; throws <see cref="CatalogueException"/> naming what is inconsistent.</summary>
    public static Catalogue Compile(CatalogueDocument doc)
    {
        var units = new Dictionary<string, UnitDocument>(StringComparer.Ordinal);
        foreach (var u in doc.Units)
        {
            if (!units.TryAdd(u.Code, u)) throw new CatalogueException($"{doc.Id}: unit '{u.Code}' is declared twice.");
            if (u.Decimals is < 0 or > TableValidator.MaxDecimals)
                throw new CatalogueException($"{doc.Id}: unit '{u.Code}' declares {u.Decimals} decimals; a unit has 0 to {TableValidator.MaxDecimals}.");
            if (u.FarGap is <= 0) throw new CatalogueException($"{doc.Id}: unit '{u.Code}' declares farGap {u.FarGap}; it must be above 0.");
        }
        var cells = new List<Cell>();
        var headers = new HashSet<string>(StringComparer.Ordinal);
        var absent = new HashSet<string>(StringComparer.Ordinal);
        var sums = new List<SumRelation>();
        var parts = new List<PartRelation>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var allCodes = new HashSet<string>(StringComparer.Ordinal);
        // Each table with its row codes, the first table of an id: what an each-column rule is resolved against.
        var tables = new Dictionary<string, (TableDocument Table, HashSet<string> Rows)>(StringComparer.Ordinal);

        foreach (var table in doc.Tables)
        {
            var rows = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in table.Rows)
                if (!allCodes.Add(row.Code) || !rows.Add(row.Code)) throw new CatalogueException($"{doc.Id}: row code '{row.Code}' appears twice.");
            tables.TryAdd(table.Id, (table, rows));
            foreach (var row in table.Rows)
                if (row.Parent is { } p && !rows.Contains(p)) throw new CatalogueException($"{doc.Id}: row '{row.Code}' names unknown parent '{p}'.");
            var columns = new Dictionary<string, ColumnDocument>(StringComparer.Ordinal);
            foreach (var col in table.Columns)
                if (!columns.TryAdd(col.Code, col)) throw new CatalogueException($"{doc.Id}: table '{table.Id}' has column code '{col.Code}' twice.");
            var valueColumns = table.Columns.Where(c => c.Role == RowRole.Value).ToList();
            foreach (var col in table.Columns)
            {
                if (col.Parent is { } cp && (!columns.TryGetValue(cp, out var parentColumn) || parentColumn.Role != RowRole.Header))
                    throw new CatalogueException($"{doc.Id}: column '{col.Code}' names '{cp}' as its parent, which is not a header column of table '{table.Id}'.");
                if (col.Role == RowRole.Header && (col.SumOf.Count > 0 || col.Unit is not null || col.OverTime is not null))
                    throw new CatalogueException($"{doc.Id}: header column '{col.Code}' carries no value and cannot state sumOf, unit or overTime.");
            }
            foreach (var row in table.Rows)
                foreach (var c in row.Columns)
                    if (!columns.TryGetValue(c, out var rc) || rc.Role != RowRole.Value)
                        throw new CatalogueException($"{doc.Id}: row '{row.Code}' lists '{c}', which is not a value column of table '{table.Id}'.");

            foreach (var row in table.Rows)
            {
                if (row.Role == RowRole.Header)
                {
                    headers.Add(row.Code);
                    foreach (var col in table.Columns) headers.Add(CellCode(row.Code, col.Code));
                    continue;
                }
                if (row.Unit is null) throw new CatalogueException($"{doc.Id}: value row '{row.Code}' has no unit.");
                if (!units.ContainsKey(row.Unit)) throw new CatalogueException($"{doc.Id}: value row '{row.Code}' has unknown unit '{row.Unit}'.");
                if (row.OverTime is null) throw new CatalogueException($"{doc.Id}: value row '{row.Code}' does not say whether it is a flow or a stock.");
                if (valueColumns.Count == 0)
                {
                    index[row.Code] = cells.Count;
                    cells.Add(new Cell(cells.Count, row.Code, table.Id, row.Code, null, row.Name, row.Unit, units[row.Unit].Decimals, row.OverTime.Value));
                    continue;
                }
                foreach (var h in table.Columns.Where(c => c.Role == RowRole.Header)) headers.Add(CellCode(row.Code, h.Code));
                foreach (var col in valueColumns)
                {
                    var code = CellCode(row.Code, col.Code);
                    if (row.Columns.Count > 0 && !row.Columns.Contains(col.Code)) { headers.Add(code); absent.Add(code); continue; }
                    var unit = col.Unit ?? row.Unit;
                    if (!units.ContainsKey(unit)) throw new CatalogueException($"{doc.Id}: column '{col.Code}' has unknown unit '{unit}'.");
                    index[code] = cells.Count;
                    cells.Add(new Cell(cells.Count, code, table.Id, row.Code, col.Code, $"{row.Name} · {col.Name}", unit, units[unit].Decimals,
                        col.OverTime ?? row.OverTime.Value));
                }
            }

            // Row relations hold in every value column; column relations in every value row.
            var columnCodes = valueColumns.Count == 0 ? [null] : valueColumns.Select(c => (string?)c.Code).ToList();
            var childrenOf = table.Rows.Where(r => r.Parent is not null).ToLookup(r => r.Parent!, StringComparer.Ordinal);
            foreach (var parent in table.Rows.Where(r => r.Role == RowRole.Value))
            {
                var children = childrenOf[parent.Code];
                foreach (var child in children)
                {
                    var expected = parent.Children switch
                    {
                        ChildrenRelation.Sum => ParentRelation.SumMember,
                        ChildrenRelation.Part => ParentRelation.Part,
                        ChildrenRelation.Mixed => child.Relation,
                        _ => throw new CatalogueException($"{doc.Id}: row '{parent.Code}' has children but says 'none'."),
                    };
                    if (child.Relation != expected)
                        throw new CatalogueException($"{doc.Id}: row '{child.Code}' says '{child.Relation}' but its parent '{parent.Code}' says '{parent.Children}'.");
                }
                foreach (var col in columnCodes)
                {
                    if (!index.TryGetValue(CellCode(parent.Code, col), out var parentCell)) continue;
                    var members = new List<int>();
                    foreach (var child in children)
                    {
                        if (!index.TryGetValue(CellCode(child.Code, col), out var childCell)) continue;
                        if (child.Relation == ParentRelation.SumMember) members.Add(childCell);
                        else if (child.Relation == ParentRelation.Part) parts.Add(new PartRelation(childCell, parentCell));
                    }
                    if (members.Count > 0) sums.Add(new SumRelation(parentCell, [.. members]));
                    if (parent.SumOf.Count > 0)
                        sums.Add(new SumRelation(parentCell, [.. parent.SumOf.Select(s => Resolve(doc, index, CellCode(s, col), $"row '{parent.Code}' sums"))]));
                }
            }
            foreach (var col in valueColumns.Where(c => c.SumOf.Count > 0))
            {
                foreach (var s in col.SumOf)
                    if (!columns.TryGetValue(s, out var member) || member.Role != RowRole.Value || s == col.Code)
                        throw new CatalogueException($"{doc.Id}: column '{col.Code}' sums '{s}', which is not another value column of table '{table.Id}'.");
                foreach (var row in table.Rows.Where(r => r.Role == RowRole.Value))
                {
                    if (!index.TryGetValue(CellCode(row.Code, col.Code), out var total)) continue;
                    var members = col.SumOf.Select(s => index.TryGetValue(CellCode(row.Code, s), out var m) ? m : -1).Where(m => m >= 0).ToArray();
                    if (members.Length > 0) sums.Add(new SumRelation(total, members));
                }
            }
        }

        var conversions = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var unit in doc.Units)
            foreach (var from in unit.Accepts)
            {
                if (from.Divisor <= 0) throw new CatalogueException($"{doc.Id}: unit '{unit.Code}' has a non-positive divisor for '{from.Unit}'.");
                conversions[from.Unit + "→" + unit.Code] = from.Divisor;
            }

        var rules = doc.Rules.Select(r => CompileRule(doc, r, index, tables)).ToArray();
        if (CarriedOver.Problems(doc).Select(p => p.En).FirstOrDefault() is { } carriedProblem) throw new CatalogueException($"{doc.Id}: {carriedProblem}");
        var carried = doc.Tables.SelectMany(t => t.Rows).Where(r => r.CarriedFrom is not null)
            .SelectMany(r => cells.Where(c => c.RowCode == r.Code).Select(c => new CarriedRelation(c.Index, index[CellCode(r.CarriedFrom!, c.ColumnCode)])))
            .OrderBy(c => c.Opening).ToArray();
        return new Catalogue(doc, [.. cells], headers.ToFrozenSet(StringComparer.Ordinal), absent.ToFrozenSet(StringComparer.Ordinal),
            [.. OrderForDerivation(doc, cells, sums)], [.. parts], rules,
            conversions.ToFrozenDictionary(StringComparer.Ordinal), carried);
    }

    /// <summary>
    /// The cells marked in <paramref name="marked"/> (by <see cref="Cell.Index"/>), in table order, less every sum one of whose
    /// parts, or a part of those, is marked too: where a part is to be checked, the sum it moves is not a second finding.
    /// </summary>
    public IReadOnlyList<int> InnermostOf(IReadOnlyList<bool> marked)
    {
        CheckLength(marked, nameof(marked));
        // The relations come children first, so a part's own parts have been seen before it is asked about.
        var partMarked = new bool[marked.Count];
        foreach (var sum in SumArray)
            partMarked[sum.Parent] |= sum.Children.Any(c => marked[c] || partMarked[c]);
        return [.. Enumerable.Range(0, marked.Count).Where(i => marked[i] && !partMarked[i])];
    }

    public static string CellCode(string row, string? column) => column is null ? row : row + ":" + column;

    private static int Resolve(CatalogueDocument doc, Dictionary<string, int> index, string code, string who) =>
        index.TryGetValue(code, out var i) ? i : throw new CatalogueException($"{doc.Id}: {who} '{code}', which is not a value cell.");

    // A relation must run after every relation that derives one of its children, so that nested sums
    // (3.3.4 inside 3.3, a group row inside a 总计 column) derive bottom-up in one pass.
    private static List<SumRelation> OrderForDerivation(CatalogueDocument doc, List<Cell> cells, List<SumRelation> sums)
    {
        var byParent = sums.GroupBy(s => s.Parent).ToDictionary(g => g.Key, g => g.ToList());
        var ordered = new List<SumRelation>(sums.Count);
        var state = new Dictionary<int, int>(); // 1 = visiting, 2 = done
        void Visit(int cell)
        {
            if (!byParent.TryGetValue(cell, out var relations)) return;
            if (state.TryGetValue(cell, out var s))
            {
                if (s == 1) throw new CatalogueException($"{doc.Id}: the sum relations form a cycle through '{cells[cell].Code}'.");
                return;
            }
            state[cell] = 1;
            foreach (var r in relations)
                foreach (var c in r.Children) Visit(c);
            state[cell] = 2;
            ordered.AddRange(relations);
        }
        foreach (var s in sums) Visit(s.Parent);
        return ordered;
    }

    private static CompiledRule CompileRule(CatalogueDocument doc, RuleDocument rule, Dictionary<string, int> index,
        Dictionary<string, (TableDocument Table, HashSet<string> Rows)> tables)
    {
        IReadOnlyList<string?> columns = [null];
        (TableDocument Table, HashSet<string> Rows)? scope = null;
        if (rule.Scope == RuleScope.EachColumn)
        {
            if (rule.Table is null || !tables.TryGetValue(rule.Table, out var table))
                throw new CatalogueException($"{doc.Id}: rule '{rule.Id}' names unknown table '{rule.Table}'.");
            scope = table;
            columns = table.Table.Columns.Where(c => c.Role == RowRole.Value).Select(c => (string?)c.Code).ToList();
            if (columns.Count == 0) throw new CatalogueException($"{doc.Id}: rule '{rule.Id}' is checked in each column of table '{table.Table.Id}', which has no value columns.");
        }
        var comparisons = new List<CompiledComparison>();
        foreach (var part in rule.Expression.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (left, op, right) = RuleExpression.Parse(part) ?? throw new CatalogueException($"{doc.Id}: rule '{rule.Id}' cannot parse '{part}'.");
            if (scope is { } inTable)
                foreach (var (code, _) in left.Concat(right))
                    if (!inTable.Rows.Contains(code))
                        throw new CatalogueException($"{doc.Id}: rule '{rule.Id}' names '{code}', which is not a row of table '{inTable.Table.Id}'.");
            foreach (var col in columns)
            {
                Term[] Map(IEnumerable<(string Code, int Sign)> terms) =>
                    [.. terms.Select(t => new Term(Resolve(doc, index, CellCode(t.Code, col), $"rule '{rule.Id}' names"), t.Sign))];
                var text = col is null ? part : $"{part} [{col}]";
                comparisons.Add(new CompiledComparison(Map(left), op, Map(right), text));
            }
        }
        return new CompiledRule(rule, comparisons);
    }
}

public sealed class CatalogueException(string message) : Exception(message);
