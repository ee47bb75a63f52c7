namespace Disclosure.Catalogue;

/// <summary><c>Opening</c> (a balance carried in) equals <c>Stock</c> (the balance carried forward) of the period before.</summary>
public sealed record CarriedRelation(int Opening, int Stock);

/// <summary>
/// 上年结转 与 上年结转下年度 衔接, a check for the eye (核实性审核): what a reporter carries into a year (2021's 3.2 二、上年结转) is
/// what it carried forward at the end of the year before (3.4 四、结转下年度继续办理), column by column, as the catalogue says with
/// <see cref="RowDocument.CarriedFrom"/>; into a later quarter, what it carried forward at the end of the quarter before. A cell that differs is pointed out to be checked and refuses nothing: last year's table
/// may be the one to correct.
/// </summary>
public static class CarriedOver
{
    /// <summary>An opening balance that differs from the closing figure it carries over: last year's, or for a second to fourth quarter the quarter before's.</summary>
    public const string Rule = "differs-from-last-year-carried";

    /// <summary>
    /// The period whose closing stocks <paramref name="period"/> carries in: the year before for a year and for a first quarter, whose
    /// balance carried in is its year's (2021 for 2022 and for 2022Q1); the quarter before for a later quarter (2022Q1 for 2022Q2),
    /// since a year made of quarters takes its balance carried in from the first and its stocks from the last, so each quarter
    /// opens with what the one before it closed with.
    /// </summary>
    public static Period PeriodBefore(Period period) =>
        period.Quarter is { } quarter and > 1 ? new(period.Year, quarter - 1) : new(period.Year - 1, null);

    /// <summary>
    /// The cells of <paramref name="now"/>, by index and in table order, whose balance carried in is not the stock it carries in from
    /// <paramref name="before"/>, the table of the period before (both by <see cref="Cell.Index"/>, null = blank; a cell blank on
    /// either side is not compared), each with the stock cell; a sum is left out when one of its parts is listed (<see cref="Catalogue.InnermostOf"/>).
    /// </summary>
    public static IReadOnlyList<CarriedRelation> Differing(Catalogue catalogue, IReadOnlyList<decimal?> before, IReadOnlyList<decimal?> now)
    {
        catalogue.CheckLength(before, nameof(before));
        catalogue.CheckLength(now, nameof(now));
        var differs = new bool[catalogue.Cells.Count];
        var from = new int[catalogue.Cells.Count];
        foreach (var carried in catalogue.Carried)
        {
            differs[carried.Opening] = now[carried.Opening] is { } n && before[carried.Stock] is { } b && n != b;
            from[carried.Opening] = carried.Stock;
        }
        return [.. catalogue.InnermostOf(differs).Select(i => new CarriedRelation(i, from[i]))];
    }

    /// <summary>
    /// The warning for <paramref name="opening"/>, given as <paramref name="now"/> in <paramref name="period"/>, against
    /// <paramref name="stock"/>'s <paramref name="before"/> in <paramref name="periodBefore"/>, read from <paramref name="readFrom"/> where
    /// that is another catalogue (<see cref="Editions.ReadThrough"/>); <c>expected</c> is <paramref name="before"/>.
    /// </summary>
    public static Violation Warning(Cell opening, Cell stock, decimal before, decimal now, Period period, Period periodBefore, Catalogue? readFrom = null)
    {
        var (was, isNow) = (TableValidator.Format(before), TableValidator.Format(now));
        var (on, onZh) = Editions.ReadThrough(readFrom);
        return new Violation(Rule, Severity.Warning, [opening.Code], was, isNow,
            $"{opening.Code} ({opening.Name}) of {period} is {isNow}, but {stock.Code} ({stock.Name}) of {periodBefore}{on}, which it carries in, is {was}. " +
            "Check which is right; this does not stop the submission.",
            $"{period.Printed()} {opening.Code} {opening.Name}为 {isNow}，{periodBefore.Printed()}{onZh} {stock.Code} {stock.Name}为 {was}，" +
            "结转数应当相等：请核对（不影响提交）。");
    }

    /// <summary>
    /// What is wrong with the <see cref="RowDocument.CarriedFrom"/> of <paramref name="doc"/>: a row that names it must be a value row
    /// whose cells are all <c>opening</c>, and name another value row whose cells are all <c>stock</c>, with the same value columns
    /// and each in the same unit. Each problem with the codes involved, in English and Chinese; none of the document's lists is null.
    /// </summary>
    public static IEnumerable<(IReadOnlyList<string> Codes, string En, string Zh)> Problems(CatalogueDocument doc)
    {
        var rows = new Dictionary<string, (TableDocument Table, RowDocument Row)>(StringComparer.Ordinal);
        foreach (var table in doc.Tables)
            foreach (var row in table.Rows)
                if (row.Code is not null) rows.TryAdd(row.Code, (table, row));
        foreach (var table in doc.Tables)
            foreach (var row in table.Rows)
            {
                if (row.CarriedFrom is not { } from) continue;
                var code = row.Code ?? "";
                if (row.Role != RowRole.Value)
                {
                    yield return ([code, from], $"Row '{code}' is a header and carries nothing in: only a value row of opening balances may name carriedFrom.",
                        $"行“{code}”是标题行，不承载数值：只有期初数（opening）数值行可以声明 carriedFrom。");
                    continue;
                }
                if (from == code || !rows.TryGetValue(from, out var source) || source.Row.Role != RowRole.Value)
                {
                    yield return ([code, from], $"Row '{code}' is carried from '{from}', which is not another value row of the catalogue.",
                        $"行“{code}”的 carriedFrom“{from}”不是本统计表的其他数值行。");
                    continue;
                }
                var opening = CellsOf(table, row);
                var stock = CellsOf(source.Table, source.Row);
                var openingColumns = string.Join(", ", opening.Select(c => c.Column ?? "-"));
                var stockColumns = string.Join(", ", stock.Select(c => c.Column ?? "-"));
                if (!opening.Select(c => c.Column).Order().SequenceEqual(stock.Select(c => c.Column).Order()))
                {
                    yield return ([code, from], $"Row '{code}' is carried from '{from}' column by column, but '{code}' has the value columns [{openingColumns}] and '{from}' [{stockColumns}].",
                        $"行“{code}”按列结转自“{from}”，但“{code}”的数值列为 [{openingColumns}]，“{from}”为 [{stockColumns}]。");
                    continue;
                }
                var notOpening = opening.Where(c => c.OverTime != OverTime.Opening).Select(c => Catalogue.CellCode(code, c.Column)).ToList();
                if (notOpening.Count > 0)
                    yield return ([code, from, .. notOpening], $"Row '{code}' is carried from '{from}', but {string.Join(", ", notOpening)} {(notOpening.Count == 1 ? "is not a" : "are not")} balance{(notOpening.Count == 1 ? "" : "s")} carried in: give it overTime opening.",
                        $"行“{code}”声明结转自“{from}”，但 {string.Join("、", notOpening)} 不是期初数：请将其 overTime 设为 opening。");
                var notStock = stock.Where(c => c.OverTime != OverTime.Stock).Select(c => Catalogue.CellCode(from, c.Column)).ToList();
                if (notStock.Count > 0)
                    yield return ([code, from, .. notStock], $"Row '{code}' is carried from '{from}', but {string.Join(", ", notStock)} {(notStock.Count == 1 ? "is not a stock" : "are not stocks")}: a balance carried in is one carried forward at the end of the period before.",
                        $"行“{code}”声明结转自“{from}”，但 {string.Join("、", notStock)} 不是存量（stock）：期初数应等于上期期末结转的存量。");
                foreach (var (o, s) in opening.Join(stock, c => c.Column, c => c.Column, (o, s) => (o, s)))
                    if (o.Unit != s.Unit)
                        yield return ([Catalogue.CellCode(code, o.Column), Catalogue.CellCode(from, s.Column)],
                            $"'{Catalogue.CellCode(code, o.Column)}' is counted in {o.Unit} and '{Catalogue.CellCode(from, s.Column)}', which it carries in, in {s.Unit}: they must be in the same unit.",
                            $"“{Catalogue.CellCode(code, o.Column)}”以“{o.Unit}”计，其结转自的“{Catalogue.CellCode(from, s.Column)}”以“{s.Unit}”计：二者计量单位应当相同。");
            }
    }

    /// <summary>The value cells of <paramref name="row"/> as the document says them: its column (null for a table without columns), unit and kind over time.</summary>
    private static List<(string? Column, string? Unit, OverTime? OverTime)> CellsOf(TableDocument table, RowDocument row)
    {
        var columns = table.Columns.Where(c => c.Role == RowRole.Value).ToList();
        if (columns.Count == 0) return [(null, row.Unit, row.OverTime)];
        return [.. columns.Where(c => row.Columns.Count == 0 || row.Columns.Contains(c.Code)).Select(c => ((string?)c.Code, c.Unit ?? row.Unit, c.OverTime ?? row.OverTime))];
    }
}
