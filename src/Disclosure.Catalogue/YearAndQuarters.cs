namespace Disclosure.Catalogue;

/// <summary>
/// 年报与季报衔接: a reporter that sent its four quarters (or, merged during the year, all it owed) and then its year has given the year twice, and the two should agree:
/// the year's flows are the quarters' sum, its stocks the last quarter's that gave their group (the fourth, unless it left the
/// group blank) and its balances carried in the first's (<see cref="Rollup.YearFromQuarters"/>). A cell where they differ is pointed out to be checked; it refuses nothing, since the
/// year table may be the corrected one (the district table takes the year table where there is one).
/// </summary>
public static class YearAndQuarters
{
    /// <summary>A year table's figure that differs from what its four quarterly tables add up to.</summary>
    public const string Rule = "differs-from-quarters";

    /// <summary>
    /// The cells, by index and in table order, whose figure in <paramref name="year"/> is not the one in <paramref name="fromQuarters"/>
    /// (a cell blank in either is not compared); a sum is left out when one of its parts is listed (<see cref="Catalogue.InnermostOf"/>).
    /// </summary>
    public static IReadOnlyList<int> Differing(Catalogue catalogue, IReadOnlyList<decimal?> year, IReadOnlyList<decimal?> fromQuarters)
    {
        catalogue.CheckLength(year, nameof(year));
        catalogue.CheckLength(fromQuarters, nameof(fromQuarters));
        var differs = new bool[catalogue.Cells.Count];
        for (var i = 0; i < differs.Length; i++)
            differs[i] = year[i] is { } y && fromQuarters[i] is { } q && y != q;
        return catalogue.InnermostOf(differs);
    }

    /// <summary>
    /// The warning for <paramref name="cell"/>, given as <paramref name="value"/> in the year <paramref name="year"/> against
    /// <paramref name="fromQuarters"/> from its quarters: for a stock or opening cell, the figure of the quarter <paramref name="takenFrom"/>
    /// (<see cref="TracedYear.TakenFrom"/>), which the message names; for a flow, the quarters' sum (<paramref name="takenFrom"/> is not read),
    /// of <paramref name="quarters"/> quarters: four, or the first ones alone of a reporter retired during the year.
    /// </summary>
    public static Violation Warning(Cell cell, decimal value, decimal fromQuarters, int year, int takenFrom, int quarters = 4)
    {
        if (cell.OverTime != OverTime.Flow && takenFrom is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(takenFrom), takenFrom, $"{cell.Code} is taken from one quarter, 1 to 4.");
        var (q, given) = (TableValidator.Format(fromQuarters), TableValidator.Format(value));
        var (en, zh) = cell.OverTime switch
        {
            OverTime.Flow when quarters < 4 => ($"the {quarters} quarters of {year} it reported before it was merged add up to {q}",
                $"{year}年撤并前的{"一两三"[quarters - 1]}个季度季报合计为 {q}"),
            OverTime.Flow => ($"its four quarters of {year} add up to {q}", $"{year}年四个季度季报合计为 {q}"),
            _ => ($"its {year}Q{takenFrom} table gives {q}", $"{year}年第{"一二三四"[takenFrom - 1]}季度季报为 {q}"),
        };
        return new Violation(Rule, Severity.Warning, [cell.Code], q, given,
            $"{cell.Code} ({cell.Name}) is {given} in the year's table, but {en}. " +
            "Check which is right; this does not stop the submission, and the district table takes the year's table.",
            $"{cell.Code} {cell.Name}年报为 {given}，{zh}，两者不一致：请核对（不影响提交；汇总以年报为准）。");
    }

    /// <summary>A year that cannot be checked against its quarterly tables yet: some were sent, others are still owed (named in the message).</summary>
    public const string ToComeRule = "quarters-to-come";

    /// <summary>
    /// 年报与季报暂无法核对: the reporter sent <paramref name="sent"/> quarters of <paramref name="year"/> and owes <paramref name="toCome"/> still, so
    /// its year's table is compared with nothing yet; said, so that no mark is not read as checked and fine. It stops nothing. Those of
    /// them <paramref name="closed"/> (closed on their own) are said to go through the district office, as the reporter cannot send them.
    /// </summary>
    public static Violation ToComeWarning(int year, int sent, IReadOnlyList<int> toCome, IReadOnlyList<int>? closed = null) => new(ToComeRule, Severity.Warning, [],
        $"{sent + toCome.Count} quarterly tables", $"{sent} quarterly table{(sent > 1 ? "s" : "")}",
        $"The quarterly table{(toCome.Count > 1 ? "s" : "")} of {Quarters(toCome, q => $"{year}Q{q}", ", ")} {(toCome.Count > 1 ? "have" : "has")} not been submitted yet" +
        (closed is { Count: > 0 } ? $" ({Quarters(closed, q => $"{year}Q{q}", ", ")} {(closed.Count > 1 ? "are" : "is")} closed: a table for {(closed.Count > 1 ? "them goes" : "it goes")} through the district office)" : "") +
        ": the year's table cannot be checked against its quarters until then. This does not stop the submission.",
        $"{year}年第{Quarters(toCome, Chinese, "、")}季度季报尚未报送" +
        (closed is { Count: > 0 } ? $"（第{Quarters(closed, Chinese, "、")}季度已关闭，须经区政务公开办补报）" : "") + "，年报与季报暂无法核对（报齐后再核对）；不影响提交。");

    private static string Chinese(int quarter) => "一二三四"[quarter - 1].ToString();

    private static string Quarters(IReadOnlyList<int> quarters, Func<int, string> name, string separator) => string.Join(separator, quarters.Select(name));
}
