namespace Disclosure.Catalogue;

/// <summary>
/// 与上年比较, a check for the eye (核实性审核) rather than a rule: a figure five times the same reporter's figure of the
/// same period a year before or more, or a fifth of it or less, and at least its unit's gap apart (<see cref="UnitDocument.FarGap"/>:
/// 50 for a count, 1 for 万元), is the mark of a digit typed twice or left out (98760 for 9876). It is pointed out to be
/// checked and refuses nothing, since a year can truly differ.
/// </summary>
public static class YearOnYear
{
    /// <summary>A figure five times the reporter's of a year before or more, or a fifth of it or less, and at least its unit's <c>farGap</c> apart: check it.</summary>
    public const string Rule = "far-from-last-year";

    /// <summary>The gap of a unit that gives none: small counts move a lot by chance (6 requests after 1 is no typing error).</summary>
    public const decimal DefaultGap = 50;

    public static bool IsFar(decimal before, decimal now, decimal gap = DefaultGap)
    {
        var (low, high) = before <= now ? (before, now) : (now, before);
        return high - low >= gap && high >= 5 * low;
    }

    /// <summary>
    /// The cells, by index and in table order, whose figure in <paramref name="now"/> is far from the one in
    /// <paramref name="before"/> (both by <see cref="Cell.Index"/>, null = blank; a cell blank in either year is not compared), each
    /// by the gap of its unit (<see cref="Catalogue.FarGapOf"/>).
    /// A sum is left out when one of its parts, or a part of those, is listed: the part is the figure to check.
    /// </summary>
    public static IReadOnlyList<int> Far(Catalogue catalogue, IReadOnlyList<decimal?> before, IReadOnlyList<decimal?> now)
    {
        var far = new bool[catalogue.Cells.Count];
        for (var i = 0; i < far.Length; i++)
            far[i] = before[i] is { } b && now[i] is { } n && IsFar(b, n, catalogue.FarGapOf(catalogue.Cells[i]));
        return catalogue.InnermostOf(far);
    }

    /// <summary>
    /// The warning for <paramref name="cell"/>, given as <paramref name="now"/> against <paramref name="before"/> in <paramref name="yearBefore"/>,
    /// read from <paramref name="readFrom"/> where that is another catalogue (<see cref="Editions.ReadThrough"/>).
    /// </summary>
    public static Violation Warning(Cell cell, decimal before, decimal now, Period yearBefore, Catalogue? readFrom = null)
    {
        var (was, isNow) = (TableValidator.Format(before), TableValidator.Format(now));
        var (on, onZh) = Editions.ReadThrough(readFrom);
        return new Violation(Rule, Severity.Warning, [cell.Code], $"within five times {was}, the figure of {yearBefore}", isNow,
            $"{cell.Code} ({cell.Name}) is {isNow} against {was} in {yearBefore}{on}: five times as much or more, or a fifth or less. " +
            "Check for a digit typed twice or left out; this does not stop the submission.",
            $"{cell.Code} {cell.Name}为 {isNow}，{yearBefore.Printed()}{onZh}为 {was}，相差五倍以上：请核对是否多打或漏打了数字（不影响提交）。");
    }
}
