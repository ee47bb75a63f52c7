using System.Globalization;

namespace Disclosure.Catalogue;

/// <summary>One value as a reporter states it. <c>Value == null</c> is a blank cell, never zero.</summary>
public readonly record struct InputValue(string Code, decimal? Value, string? Unit = null);

/// <summary>The engine's verdict on a table: the normalised values by cell index, which of them it derived, and every violation.</summary>
public sealed class TableResult(Catalogue catalogue, Period? period, decimal?[] values, bool[] derived, IReadOnlyList<Violation> violations)
{
    public Catalogue Catalogue { get; } = catalogue;
    public Period? Period { get; } = period;
    /// <summary>By <see cref="Cell.Index"/>, in the catalogue's unit; null = blank.</summary>
    public decimal?[] Values { get; } = values;
    public bool[] Derived { get; } = derived;
    public IReadOnlyList<Violation> Violations { get; } = violations;
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

    public static TableResult Validate(Catalogue catalogue, string period, IReadOnlyList<InputValue> input)
    {
        var violations = new List<Violation>();
        Period? parsed = null;
        if (!Period.TryParse(period, out var p))
            violations.Add(new(RuleIds.Period, Severity.Error, [], "YYYY or YYYYQ1..YYYYQ4", period,
                $"'{period}' is not a period: use a year such as 2014 or a quarter such as 2014Q3.",
                $"“{period}”不是有效的统计期：应为年度（如 2014）或季度（如 2014Q3）。"));
        else if (!catalogue.AllowsPeriod(p))
        {
            parsed = p;
            violations.Add(new(RuleIds.Period, Severity.Error, [], DescribePeriods(catalogue), period,
                $"Catalogue '{catalogue.Id}' does not allow period {period}: {DescribePeriods(catalogue)}.",
                $"统计表“{catalogue.Id}”不适用于统计期 {period}（{DescribePeriods(catalogue)}）。"));
        }
        else parsed = p;

        var n = catalogue.Cells.Count;
        var values = new decimal?[n];
        var seen = new bool[n];
        var invalid = new bool[n];
        if (input.Count > n)
            violations.Add(new(RuleIds.TooManyValues, Severity.Error, [], n.ToString(CultureInfo.InvariantCulture), input.Count.ToString(CultureInfo.InvariantCulture),
                $"The table has {input.Count} values but the catalogue has only {n} cells.",
                $"提交了 {input.Count} 个数值，但统计表只有 {n} 个单元格。"));

        foreach (var item in input)
        {
            if (!catalogue.TryGetCell(item.Code, out var cell))
            {
                violations.Add(NotACell(catalogue, item));
                continue;
            }
            var i = cell.Index;
            if (seen[i])
            {
                invalid[i] = true;
                violations.Add(new(RuleIds.DuplicateCode, Severity.Error, [item.Code], null, null,
                    $"{item.Code} is given more than once.", $"{item.Code} 重复填报。"));
                continue;
            }
            seen[i] = true;
            if (item.Value is not { } raw) continue;
            var value = raw;
            if (item.Unit is { } unit && unit != cell.Unit)
            {
                if (catalogue.TryGetConversion(unit, cell.Unit, out var divisor)) value = raw / divisor;
                else
                {
                    invalid[i] = true;
                    violations.Add(new(RuleIds.Unit, Severity.Error, [item.Code], cell.Unit, unit,
                        $"{item.Code} is counted in {cell.Unit}; {unit} is not that unit and does not convert to it.",
                        $"{item.Code} 的计量单位是“{cell.Unit}”，“{unit}”不是该单位，也不能换算。"));
                    continue;
                }
            }
            if (value < 0)
            {
                invalid[i] = true;
                violations.Add(new(RuleIds.Negative, Severity.Error, [item.Code], ">= 0", Format(raw),
                    $"{item.Code} is negative ({Format(raw)}); counts and amounts cannot be below zero.", $"{item.Code} 为负数（{Format(raw)}），统计数不能小于零。"));
                continue;
            }
            if (Scale(value) > cell.Decimals)
            {
                invalid[i] = true;
                violations.Add(cell.Decimals == 0
                    ? new(RuleIds.Integer, Severity.Error, [item.Code], "a whole number", Format(raw),
                        $"{item.Code} counts {cell.Unit} and must be a whole number, not {Format(raw)}.", $"{item.Code} 以“{cell.Unit}”计数，应为整数，不能是 {Format(raw)}。")
                    : new(RuleIds.Decimals, Severity.Error, [item.Code], $"at most {cell.Decimals} decimals in {cell.Unit}", Format(value),
                        $"{item.Code} is {Format(value)} {cell.Unit}; at most {cell.Decimals} decimals are allowed.", $"{item.Code} 为 {Format(value)} {cell.Unit}，最多保留 {cell.Decimals} 位小数。"));
                continue;
            }
            if (value > MaxValue)
            {
                invalid[i] = true;
                violations.Add(new(RuleIds.Range, Severity.Error, [item.Code], $"<= {Format(MaxValue)}", Format(value),
                    $"{item.Code} is {Format(value)}, beyond any plausible count.", $"{item.Code} 为 {Format(value)}，超出合理范围。"));
                continue;
            }
            values[i] = Normalise(value);
        }

        var derived = new bool[n];
        Check(catalogue, values, derived, invalid, violations);
        return new TableResult(catalogue, parsed, values, derived, violations);
    }

    /// <summary>
    /// Judges an already-normalised table (such as a district aggregate): derives blank sum parents and
    /// checks sums, parts and the catalogue's rules.
    /// </summary>
    public static TableResult Check(Catalogue catalogue, decimal?[] values)
    {
        var violations = new List<Violation>();
        var derived = new bool[values.Length];
        var copy = (decimal?[])values.Clone();
        Check(catalogue, copy, derived, new bool[values.Length], violations);
        return new TableResult(catalogue, null, copy, derived, violations);
    }

    private static void Check(Catalogue catalogue, decimal?[] values, bool[] derived, bool[] invalid, List<Violation> violations)
    {
        var cells = catalogue.Cells;
        foreach (var sum in catalogue.Sums)
        {
            if (values[sum.Parent] is not null || invalid[sum.Parent]) continue;
            decimal total = 0;
            var any = false;
            foreach (var c in sum.Children)
                if (values[c] is { } v) { total += v; any = true; }
            if (any && !AnyInvalid(invalid, sum.Children)) { values[sum.Parent] = total; derived[sum.Parent] = true; }
        }

        foreach (var sum in catalogue.Sums)
        {
            if (invalid[sum.Parent] || AnyInvalid(invalid, sum.Children)) continue;
            decimal total = 0;
            var any = false;
            foreach (var c in sum.Children)
                if (values[c] is { } v) { total += v; any = true; }
            if (!any) continue;
            var parent = values[sum.Parent] ?? 0;
            if (parent == total) continue;
            var parentCode = cells[sum.Parent].Code;
            var codes = new string[sum.Children.Length + 1];
            codes[0] = parentCode;
            for (var k = 0; k < sum.Children.Length; k++) codes[k + 1] = cells[sum.Children[k]].Code;
            var members = string.Join(" + ", codes.Skip(1));
            violations.Add(new(RuleIds.Sum, Severity.Error, codes, Format(total), Format(parent),
                $"{parentCode} is {Format(parent)} but its parts {members} add up to {Format(total)} (blank parts count as 0).",
                $"{parentCode} 为 {Format(parent)}，但其分项 {members} 合计为 {Format(total)}（空白分项按 0 计）。"));
        }

        foreach (var part in catalogue.Parts)
        {
            if (values[part.Part] is not { } p || invalid[part.Whole]) continue;
            var partCode = cells[part.Part].Code;
            var wholeCode = cells[part.Whole].Code;
            if (values[part.Whole] is not { } whole)
                violations.Add(new(RuleIds.PartWithoutWhole, Severity.Error, [partCode, wholeCode], "a value for " + wholeCode, "blank",
                    $"{partCode} is a part (其中) of {wholeCode}, which is blank: give the whole as well.",
                    $"{partCode} 是 {wholeCode} 的“其中”项，而 {wholeCode} 为空：请同时填报总数。"));
            else if (p > whole)
                violations.Add(new(RuleIds.Part, Severity.Error, [partCode, wholeCode], "<= " + Format(whole), Format(p),
                    $"{partCode} ({Format(p)}) is a part (其中) of {wholeCode} and cannot exceed it ({Format(whole)}).",
                    $"{partCode}（{Format(p)}）是 {wholeCode} 的“其中”项，不能大于 {wholeCode}（{Format(whole)}）。"));
        }

        foreach (var rule in catalogue.Rules)
            foreach (var cmp in rule.Comparisons)
                CheckComparison(rule.Source, cmp, values, invalid, cells, violations);
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

    private static void CheckComparison(RuleDocument rule, CompiledComparison cmp, decimal?[] values, bool[] invalid, IReadOnlyList<Cell> cells, List<Violation> violations)
    {
        int blanks = 0, operands = cmp.Left.Length + cmp.Right.Length;
        foreach (var t in cmp.Left) { if (invalid[t.Cell]) return; if (values[t.Cell] is null) blanks++; }
        foreach (var t in cmp.Right) { if (invalid[t.Cell]) return; if (values[t.Cell] is null) blanks++; }
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
        if (holds) return;
        var codes = cmp.Left.Concat(cmp.Right).Select(t => cells[t.Cell].Code).Distinct().ToArray();
        var op = cmp.Op switch
        {
            Comparison.LessOrEqual => "<=", Comparison.GreaterOrEqual => ">=", Comparison.Equal => "==",
            Comparison.Less => "<", _ => ">",
        };
        violations.Add(new(rule.Id, rule.Severity, codes, $"{op} {Format(right)}", Format(left),
            $"{rule.Id}: {cmp.Text} does not hold ({Format(left)} {op} {Format(right)} is false): {rule.WhyEn}.",
            $"{rule.Id}：{cmp.Text} 不成立（{Format(left)} {op} {Format(right)}）：{rule.Why}。"));
    }

    private static decimal Evaluate(Term[] terms, decimal?[] values)
    {
        decimal total = 0;
        foreach (var t in terms) total += t.Sign * (values[t.Cell] ?? 0);
        return total;
    }

    private static bool AnyInvalid(bool[] invalid, int[] cells)
    {
        foreach (var c in cells) if (invalid[c]) return true;
        return false;
    }

    private static string DescribePeriods(Catalogue catalogue)
    {
        var p = catalogue.Document.Periods;
        var kinds = string.Join(" or ", p.Granularities.Select(g => g == Granularity.Year ? "years" : "quarters"));
        return $"{kinds} from {p.FromYear}" + (p.ToYear is { } to ? $" to {to}" : "");
    }

    /// <summary>Decimal places actually used, ignoring trailing zeros (JSON 3.0 is the whole number 3).</summary>
    internal static int Scale(decimal value) => Normalise(value).Scale;

    /// <summary>Drops trailing zeros so that 3.0 and 3 are the same stored value.</summary>
    public static decimal Normalise(decimal value) => value / 1.000000000000000000000000000000000m;

    public static string Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "blank";
}
