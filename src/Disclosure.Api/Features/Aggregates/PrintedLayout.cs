using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>One figure column of a printed table: a catalogue value column, or (for a table without columns) a position such as 统计数.</summary>
public sealed record FigureColumn(string? Code, string Name);

/// <summary>A cell of the column header, placed relative to the first figure column; spans become merged cells.</summary>
public sealed record HeadingCell(string Text, int Row, int Column, int RowSpan, int ColumnSpan);

/// <summary>A catalogue row as printed: its depth in the catalogue tree (其中 rows sit deeper) and its 序号 (value rows only).</summary>
public sealed record PrintedRow(RowDocument Row, int Depth, int? Number)
{
    public bool IsHeader => Row.Role == RowRole.Header;
}

/// <summary>Rows printed under one column header, with the section title printed above it, if any.</summary>
public sealed record PrintedSegment(string? Title, IReadOnlyList<FigureColumn> Columns, IReadOnlyList<HeadingCell> Headings, int HeadingRows, IReadOnlyList<PrintedRow> Rows);

/// <summary>
/// A catalogue table laid out as the national form prints it, shared by the exports and the Excel template so that both
/// look like the paper. Columns grouped in the catalogue (申请人情况 → 自然人 / 法人或其他组织 → 商业企业 …) become a
/// header several rows deep; a table whose rows use different columns (2021 table 二) is printed as sections, each
/// under its header row's title with only the columns its rows have, as the form prints 第二十条第（一）项 etc.
/// </summary>
public sealed record PrintedTable(TableDocument Table, IReadOnlyList<PrintedSegment> Segments, string? Note)
{
    /// <summary>The widest segment's figure columns: narrower segments stretch their last column to it.</summary>
    public int FigureWidth => Segments.Max(s => s.Columns.Count);

    /// <summary>The unit of a figure: its column's, where the catalogue gives one (本年收费金额, 万元), else its row's.</summary>
    public string? UnitOf(PrintedRow line, FigureColumn column) =>
        (column.Code is { } code ? Table.Columns.FirstOrDefault(c => c.Code == code)?.Unit : null) ?? line.Row.Unit;

    public static PrintedTable Of(Catalogue.Catalogue catalogue, TableDocument table, IReadOnlyList<FigureColumn>? flatColumns = null)
    {
        var note = string.Join("；", catalogue.Document.Rules
            .Where(r => r.Scope == RuleScope.EachColumn && r.Table == table.Id)
            .Select(r => $"（{r.Why}）")) is { Length: > 0 } notes ? notes : null;
        var depth = Depths(table.Rows.Select(r => (r.Code, r.Parent)));
        var number = 0;
        PrintedRow Printed(RowDocument r, int lift) =>
            new(r, Math.Max(0, depth[r.Code] - lift), r.Role == RowRole.Header ? null : ++number);

        if (table.Columns.Count == 0)
        {
            var columns = flatColumns ?? [new FigureColumn(null, "统计数")];
            return new(table, [new(null, columns, [.. columns.Select((c, i) => new HeadingCell(c.Name, 0, i, 1, 1))], 1, [.. table.Rows.Select(r => Printed(r, 0))])], note);
        }

        var values = table.Columns.Where(c => c.Role == RowRole.Value).ToList();
        List<string> ColumnsOf(RowDocument r) => r.Columns.Count > 0 ? [.. values.Where(v => r.Columns.Contains(v.Code)).Select(v => v.Code)] : [.. values.Select(v => v.Code)];
        var valueRows = table.Rows.Where(r => r.Role == RowRole.Value).ToList();
        var ragged = valueRows.Select(r => string.Join(',', ColumnsOf(r))).Distinct(StringComparer.Ordinal).Count() > 1;
        if (!ragged)
            return new(table, [Segment(table, null, valueRows.Count == 0 ? [] : ColumnsOf(valueRows[0]), [.. table.Rows.Select(r => Printed(r, 0))])], note);

        var segments = new List<PrintedSegment>();
        string? title = null;
        var rows = new List<RowDocument>();
        void Close()
        {
            if (title is null && rows.Count == 0) return;
            var used = rows.Where(r => r.Role == RowRole.Value).SelectMany(ColumnsOf).ToHashSet(StringComparer.Ordinal);
            segments.Add(Segment(table, title, [.. values.Where(v => used.Contains(v.Code)).Select(v => v.Code)], [.. rows.Select(r => Printed(r, title is null ? 0 : 1))]));
        }
        foreach (var row in table.Rows)
        {
            if (row.Role == RowRole.Header && row.Parent is null)
            {
                Close();
                (title, rows) = (row.Name, []);
                continue;
            }
            rows.Add(row);
        }
        Close();
        return new(table, segments, note);
    }

    /// <summary>The column header of the given value columns: each group over the leaves below it, each leaf down to the last header row.</summary>
    private static PrintedSegment Segment(TableDocument table, string? title, IReadOnlyList<string> leafCodes, IReadOnlyList<PrintedRow> rows)
    {
        var byCode = table.Columns.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var depth = Depths(table.Columns.Select(c => (c.Code, c.Parent)));
        var leaves = leafCodes.Select(c => byCode[c]).ToList();
        var headingRows = leaves.Count == 0 ? 1 : leaves.Max(l => depth[l.Code]) + 1;
        var headings = new List<HeadingCell>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i];
            headings.Add(new HeadingCell(leaf.Name, depth[leaf.Code], i, headingRows - depth[leaf.Code], 1));
            for (var parent = leaf.Parent; parent is not null && byCode.TryGetValue(parent, out var group); parent = group.Parent)
            {
                if (!placed.Add(group.Code)) continue;
                var span = 0;
                for (var j = i; j < leaves.Count && IsUnder(leaves[j], group.Code, byCode); j++) span++;
                headings.Add(new HeadingCell(group.Name, depth[group.Code], i, 1, span));
            }
        }
        return new(title, [.. leaves.Select(l => new FigureColumn(l.Code, l.Name))], headings, headingRows, rows);
    }

    private static bool IsUnder(ColumnDocument column, string group, Dictionary<string, ColumnDocument> byCode)
    {
        for (var parent = column.Parent; parent is not null; parent = byCode.TryGetValue(parent, out var p) ? p.Parent : null)
            if (parent == group) return true;
        return false;
    }

    /// <summary>Each node's depth in its tree (0 at a root), by code.</summary>
    internal static Dictionary<string, int> Depths(IEnumerable<(string Code, string? Parent)> nodes)
    {
        var parents = nodes.ToDictionary(n => n.Code, n => n.Parent, StringComparer.Ordinal);
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var code in parents.Keys)
        {
            var d = 0;
            for (var p = parents[code]; p is not null && parents.ContainsKey(p) && d < parents.Count; p = parents[p]) d++;
            depths[code] = d;
        }
        return depths;
    }
}
