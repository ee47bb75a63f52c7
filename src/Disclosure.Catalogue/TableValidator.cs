using System.Globalization;

namespace Disclosure.Catalogue;

/// <summary>One value as a reporter states it. <c>Value == null</c> is a blank cell, never zero.</summary>
public readonly record struct InputValue(string Code, decimal? Value, string? Unit = null);

/// <summary>
/// The engine's verdict on a table: the normalised values by <see cref="Cell.Index"/> in the catalogue's unit (null = blank),
/// which of them it derived, and every violation.
/// </summary>
public sealed record TableResult(Catalogue Catalogue, Period? Period, decimal?[] Values, bool[] Derived, IReadOnlyList<Violation> Violations)
{
    public bool HasErrors => Violations.Any(v => v.Severity == Severity.Error);
    public IEnumerable<Violation> Warnings => Violations.Where(v => v.Severity == Severity.Warning);

    public decimal? this[string code] => Catalogue.TryGetCell(code, out var c) ? Values[c.Index] : throw new KeyNotFoundException(code);

    /// <summary>Every non-blank cell in table order.</summary>
    public IEnumerable<(Cell Cell, decimal Value, bool Derived)> NonBlank()
    {
        for (var i = 0; i < Values.Length; i++)
            if (Values[i] is { } v) yield return (Catalogue.Cells[i], v, Derived[i]);
    }
}

/// <summary>
/// The validation engine. Pure and thread-safe: it judges a table against a catalogue and reports every
/// violation, never only the first.
/// </summary>
public static class TableValidator
{
    /// <summary>No cell of a district statistics table comes near this; it keeps sums of many reporters far from overflow.</summary>
    public const decimal MaxValue = 999_999_999_999m;

    /// <summary>
    /// The most decimal places any unit may declare: 6 places of 万元 hold an amount in 元 to the fen with room to
    /// spare, and the stores keep a value exactly to this many places.
    /// </summary>
    public const int MaxDecimals = 6;

    public static TableResult Validate(Catalogue catalogue, string period, IReadOnlyList<InputValue> input)
    {
        // Allocation-light on purpose: a valid table costs the two result arrays and the result itself;
        // the violation list exists only once there is something to report.
        List<Violation>? violations = null;
        Period? parsed = Period.TryParse(period, out var p) ? p : null;
        if (parsed is null)
            Add(ref violations, new(RuleIds.Period, Severity.Error, [], "YYYY or YYYYQ1..YYYYQ4", period,
                $"'{period}' is not a period: use a year such as 2014 or a quarter such as 2014Q3.",
                $"“{period}”不是有效的统计期：应为年度（如 2014）或季度（如 2014Q3）。"));
        else if (!catalogue.AllowsPeriod(p))
            Add(ref violations, new(RuleIds.Period, Severity.Error, [], DescribePeriods(catalogue), period,
                $"Catalogue '{catalogue.Id}' does not allow period {period}: {DescribePeriods(catalogue)}.",
                $"统计表“{catalogue.Id}”不适用于统计期 {period}（{DescribePeriodsZh(catalogue)}）。"));

        var cells = catalogue.CellArray;
        var n = cells.Length;
        var values = new decimal?[n];
        // Per cell: Seen and/or Invalid. Scratch only, so it lives on the stack for any realistic catalogue.
        Span<byte> state = n <= 1024 ? stackalloc byte[n] : new byte[n];
        state.Clear();
        // Indexed as a span, not through the interface; an array (what the API passes) is not copied.
        ReadOnlySpan<InputValue> items = input as InputValue[] ?? [.. input];
        var count = items.Length;
        var limit = catalogue.CodeCount;
        if (count > limit)
            Add(ref violations, new(RuleIds.TooManyValues, Severity.Error, [], limit.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture),
                $"The table has {count} values but catalogue '{catalogue.Id}' has only {limit} codes ({n} cells and their headers).",
                $"提交了 {count} 个数值，但统计表“{catalogue.Id}”只有 {limit} 个指标代码（{n} 个单元格及标题行）。"));

        // Tables come in table order nearly always, so the cell after the last one found is tried before the lookup.
        var next = 0;
        for (var k = 0; k < count; k++)
        {
            var item = items[k];
            var code = item.Code ?? "";
            int i;
            if ((uint)next < (uint)n && string.Equals(cells[next].Code, code, StringComparison.Ordinal)) i = next;
            else if (!catalogue.TryGetIndex(code, out i))
            {
                // A header sent as null is the blank it always is (a form may post every row it drew).
                if (!(catalogue.IsHeader(code) && item.Value is null))
                    Add(ref violations, NotACell(catalogue, item));
                continue;
            }
            next = i + 1;
            var cell = cells[i];
            if ((state[i] & Seen) != 0)
            {
                // Which of the two values is meant is unknown, so the cell is neither kept nor checked further.
                state[i] |= Invalid;
                values[i] = null;
                Add(ref violations, new(RuleIds.DuplicateCode, Severity.Error, [code], null, null,
                    $"{code} is given more than once.", $"{code} 重复填报。"));
                continue;
            }
            state[i] |= Seen;
            if (item.Value is not { } raw) continue;
            var value = raw;
            if (item.Unit is { } unit && !string.Equals(unit, cell.Unit, StringComparison.Ordinal))
            {
                if (catalogue.TryGetConversion(unit, cell.Unit, out var divisor))
                {
                    // Past the range in the catalogue's unit; dividing first would overflow decimal for a divisor under one.
                    if (Math.Abs(raw) / MaxValue > divisor)
                    {
                        state[i] |= Invalid;
                        Add(ref violations, OutOfRange(code, $"{Format(raw)} {unit}"));
                        continue;
                    }
                    value = raw / divisor;
                }
                else
                {
                    state[i] |= Invalid;
                    Add(ref violations, new(RuleIds.Unit, Severity.Error, [code], cell.Unit, unit,
                        $"{code} is counted in {cell.Unit}; {unit} is not that unit and does not convert to it.",
                        $"{code} 的计量单位是“{cell.Unit}”，“{unit}”不是该单位，也不能换算。"));
                    continue;
                }
            }
            if (value < 0)
            {
                state[i] |= Invalid;
                Add(ref violations, new(RuleIds.Negative, Severity.Error, [code], ">= 0", Format(raw),
                    $"{code} is negative ({Format(raw)}); counts and amounts cannot be below zero.", $"{code} 为负数（{Format(raw)}），统计数不能小于零。"));
                continue;
            }
            // JSON integers arrive with scale 0: only values written with a fraction need normalising.
            if (value.Scale != 0)
            {
                value = Normalise(value);
                if (value.Scale > cell.Decimals)
                {
                    state[i] |= Invalid;
                    Add(ref violations, cell.Decimals == 0
                        ? new(RuleIds.Integer, Severity.Error, [code], "a whole number", Format(raw),
                            $"{code} counts {cell.Unit} and must be a whole number, not {Format(raw)}.", $"{code} 以“{cell.Unit}”计数，应为整数，不能是 {Format(raw)}。")
                        : TooManyDecimals(code, cell, raw, item.Unit, value));
                    continue;
                }
            }
            if (value > MaxValue)
            {
                state[i] |= Invalid;
                Add(ref violations, OutOfRange(code, Format(value)));
                continue;
            }
            values[i] = value;
        }

        var derived = new bool[n];
        Check(catalogue, values, derived, state, ref violations);
        return new TableResult(catalogue, parsed, values, derived, (IReadOnlyList<Violation>?)violations ?? []);
    }

    /// <summary>
    /// Judges an already-normalised table (such as a district aggregate): derives blank sum parents and checks sums, parts
    /// and the catalogue's rules. Cells in <paramref name="unknown"/> are not blank but unknown: no parent is derived over
    /// them and no check that involves them is reported, as for a value the engine refused.
    /// </summary>
    public static TableResult Check(Catalogue catalogue, decimal?[] values, IEnumerable<int>? unknown = null)
    {
        catalogue.CheckLength(values, nameof(values));
        List<Violation>? violations = null;
        var derived = new bool[values.Length];
        var copy = (decimal?[])values.Clone();
        var state = new byte[values.Length];
        foreach (var i in unknown ?? []) { state[i] = Invalid; copy[i] = null; }
        Check(catalogue, copy, derived, state, ref violations);
        return new TableResult(catalogue, null, copy, derived, (IReadOnlyList<Violation>?)violations ?? []);
    }

    private const byte Seen = 1, Invalid = 2;

    private static void Add(ref List<Violation>? violations, Violation violation) => (violations ??= []).Add(violation);

    private static void Check(Catalogue catalogue, decimal?[] values, bool[] derived, Span<byte> state, ref List<Violation>? violations)
    {
        var cells = catalogue.CellArray;
        // Relations come children first (Catalogue.OrderForDerivation), so each child is final when a relation is reached:
        // a blank parent takes the sum of its children, a parent given a value is checked against it.
        foreach (var sum in catalogue.SumArray)
        {
            if (IsInvalid(state, sum.Parent)) continue;
            if (AnyInvalid(state, sum.Children))
            {
                // A blank parent over an unusable child is unknown, not the sum of the rest: checks that
                // involve it are skipped instead of failing for a reason already reported.
                if (values[sum.Parent] is null) state[sum.Parent] |= Invalid;
                continue;
            }
            decimal total = 0;
            var any = false;
            foreach (var c in sum.Children)
                if (values[c] is { } v) { total += v; any = true; }
            if (!any) continue;
            if (values[sum.Parent] is not { } parent) { values[sum.Parent] = total; derived[sum.Parent] = true; continue; }
            if (parent == total) continue;
            var parentCode = cells[sum.Parent].Code;
            var codes = new string[sum.Children.Length + 1];
            codes[0] = parentCode;
            for (var k = 0; k < sum.Children.Length; k++) codes[k + 1] = cells[sum.Children[k]].Code;
            var members = string.Join(" + ", codes, 1, sum.Children.Length);
            Add(ref violations, new(RuleIds.Sum, Severity.Error, codes, Format(total), Format(parent),
                $"{parentCode} is {Format(parent)} but its parts {members} add up to {Format(total)} (blank parts count as 0).",
                $"{parentCode} 为 {Format(parent)}，但其分项 {members} 合计为 {Format(total)}（空白分项按 0 计）。"));
        }

        foreach (var part in catalogue.PartArray)
        {
            if (values[part.Part] is not { } p || IsInvalid(state, part.Part) || IsInvalid(state, part.Whole)) continue;
            var partCode = cells[part.Part].Code;
            var wholeCode = cells[part.Whole].Code;
            if (values[part.Whole] is not { } whole)
                Add(ref violations, new(RuleIds.PartWithoutWhole, Severity.Error, [partCode, wholeCode], "a value for " + wholeCode, "blank",
                    $"{partCode} is a part (其中) of {wholeCode}, which is blank: give the whole as well.",
                    $"{partCode} 是 {wholeCode} 的“其中”项，而 {wholeCode} 为空：请同时填报总数。"));
            else if (p > whole)
                Add(ref violations, new(RuleIds.Part, Severity.Error, [partCode, wholeCode], "<= " + Format(whole), Format(p),
                    $"{partCode} ({Format(p)}) is a part (其中) of {wholeCode} and cannot exceed it ({Format(whole)}).",
                    $"{partCode}（{Format(p)}）是 {wholeCode} 的“其中”项，不能大于 {wholeCode}（{Format(whole)}）。"));
        }

        var rules = catalogue.RuleComparisons;
        for (var r = 0; r < rules.Length; r++)
        {
            var source = catalogue.Rules[r].Source;
            foreach (var cmp in rules[r])
                CheckComparison(source, cmp, values, state, cells, ref violations);
        }
    }

    /// <summary>A value past <see cref="MaxValue"/>, shown as it was given (<paramref name="shown"/>).</summary>
    private static Violation OutOfRange(string code, string shown) =>
        new(RuleIds.Range, Severity.Error, [code], $"<= {Format(MaxValue)}", shown,
            $"{code} is {shown}, beyond any plausible count.", $"{code} 为 {shown}，超出合理范围。");

    private static Violation TooManyDecimals(string code, Cell cell, decimal raw, string? unit, decimal value)
    {
        // Amounts are kept exactly, never rounded: a value finer than the unit holds is refused, and when it was
        // converted the message says from what, since the figure the reporter typed is not the one shown.
        var converted = unit is not null && !string.Equals(unit, cell.Unit, StringComparison.Ordinal);
        var en = converted ? $"{code} is {Format(raw)} {unit}, which is {Format(value)} {cell.Unit}" : $"{code} is {Format(value)} {cell.Unit}";
        var zh = converted ? $"{code} 为 {Format(raw)} {unit}，即 {Format(value)} {cell.Unit}" : $"{code} 为 {Format(value)} {cell.Unit}";
        return new(RuleIds.Decimals, Severity.Error, [code], $"at most {cell.Decimals} decimals in {cell.Unit}", Format(value),
            $"{en}; amounts are kept exactly with at most {cell.Decimals} decimals in {cell.Unit}, never rounded.",
            $"{zh}；金额按原值精确保存，以“{cell.Unit}”计最多 {cell.Decimals} 位小数，不作四舍五入。");
    }

    private static Violation NotACell(Catalogue catalogue, InputValue item)
    {
        var code = item.Code;
        if (catalogue.IsAbsent(code))
        {
            var at = code.LastIndexOf(':');
            var (row, column) = (code[..at], code[(at + 1)..]);
            return new(RuleIds.AbsentCell, Severity.Error, [code], null, Format(item.Value),
                $"{code} is not a cell: row {row} has no column {column} (the printed table leaves it empty).",
                $"{code} 不是可填报的单元格：第 {row} 行没有“{column}”列（表样中该格为空）。");
        }
        if (catalogue.IsHeader(code))
            return code.Contains(':', StringComparison.Ordinal)
                ? new(RuleIds.HeaderValue, Severity.Error, [code], null, Format(item.Value),
                    $"{code} lies in a header row or column and carries no value.", $"{code} 位于标题行或标题列，不能填报数值。")
                : new(RuleIds.HeaderValue, Severity.Error, [code], null, Format(item.Value),
                    $"{code} is a header and carries no value.", $"{code} 是标题行，不能填报数值。");
        return new(RuleIds.UnknownCode, Severity.Error, [code], null, null,
            $"{code} is not an indicator of catalogue '{catalogue.Id}'.", $"{code} 不是统计表“{catalogue.Id}”的指标。");
    }

    private static void CheckComparison(RuleDocument rule, CompiledComparison cmp, decimal?[] values, Span<byte> state, Cell[] cells, ref List<Violation>? violations)
    {
        int blanks = 0, operands = cmp.Left.Length + cmp.Right.Length;
        foreach (var t in cmp.Left) { if (IsInvalid(state, t.Cell)) return; if (values[t.Cell] is null) blanks++; }
        foreach (var t in cmp.Right) { if (IsInvalid(state, t.Cell)) return; if (values[t.Cell] is null) blanks++; }
        if (blanks == operands || (blanks > 0 && rule.Blank == BlankPolicy.Skip)) return;
        var left = Evaluate(cmp.Left, values);
        var right = Evaluate(cmp.Right, values);
        var holds = cmp.Op switch
        {
            Comparison.LessOrEqual => left <= right,
            Comparison.GreaterOrEqual => left >= right,
            Comparison.Equal => left == right,
            Comparison.Less => left < right,
            _ => left > right,
        };
        if (!holds) ReportComparison(rule, cmp, left, right, cells, ref violations);
    }

    // Separate from the check so that the closure below is allocated only when there is something to report.
    private static void ReportComparison(RuleDocument rule, CompiledComparison cmp, decimal left, decimal right, Cell[] cells, ref List<Violation>? violations)
    {
        var codes = cmp.Left.Concat(cmp.Right).Select(t => cells[t.Cell].Code).Distinct().ToArray();
        var op = RuleExpression.Token(cmp.Op);
        Add(ref violations, new(rule.Id, rule.Severity, codes, $"{op} {Format(right)}", Format(left),
            $"{rule.Id}: {cmp.Text} does not hold ({Format(left)} {op} {Format(right)} is false): {rule.WhyEn}.",
            $"{rule.Id}：{cmp.Text} 不成立（{Format(left)} {op} {Format(right)}）：{rule.Why}。"));
    }

    private static decimal Evaluate(Term[] terms, decimal?[] values)
    {
        decimal total = 0;
        foreach (var t in terms) total += t.Sign * (values[t.Cell] ?? 0);
        return total;
    }

    private static bool IsInvalid(Span<byte> state, int cell) => (state[cell] & Invalid) != 0;

    private static bool AnyInvalid(Span<byte> state, int[] cells)
    {
        foreach (var c in cells) if ((state[c] & Invalid) != 0) return true;
        return false;
    }

    private static string DescribePeriods(Catalogue catalogue)
    {
        var p = catalogue.Document.Periods;
        var kinds = string.Join(" or ", p.Granularities.Select(g => g == Granularity.Year ? "years" : "quarters"));
        return $"{kinds} from {p.FromYear}" + (p.ToYear is { } to ? $" to {to}" : "");
    }

    /// <summary>The same in Chinese: 适用于 2021 年起的年报.</summary>
    private static string DescribePeriodsZh(Catalogue catalogue)
    {
        var p = catalogue.Document.Periods;
        var kinds = string.Join("和", p.Granularities.Select(g => g == Granularity.Year ? "年报" : "季报"));
        return $"适用于 {p.FromYear} 年" + (p.ToYear is { } to ? $"至 {to} 年" : "起") + "的" + kinds;
    }

    /// <summary>Drops trailing zeros so that 3.0 and 3 are the same stored value.</summary>
    public static decimal Normalise(decimal value) => value / 1.000000000000000000000000000000000m;

    public static string Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "blank";
}
