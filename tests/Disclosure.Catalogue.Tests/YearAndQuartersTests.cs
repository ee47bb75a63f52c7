namespace Disclosure.Catalogue.Tests;

/// <summary>年报与季报衔接: which figures of a year's table are pointed out as not what the same reporter's four quarters give.</summary>
public sealed class YearAndQuartersTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    private static decimal?[] Table(Catalogue catalogue, params (string Code, decimal? Value)[] values)
    {
        var t = new decimal?[catalogue.Cells.Count];
        foreach (var (code, value) in values)
        {
            Assert.True(catalogue.TryGetIndex(code, out var i), code);
            t[i] = value;
        }
        return t;
    }

    private static string[] Differing(Catalogue catalogue, decimal?[] year, decimal?[] fromQuarters) =>
        [.. YearAndQuarters.Differing(catalogue, year, fromQuarters).Select(i => catalogue.Cells[i].Code)];

    [Fact]
    public void Any_Difference_Counts_And_A_Cell_Blank_In_Either_Is_Not_Compared()
    {
        Assert.Equal(["1.2.1", "2.1"], Differing(C,
            Table(C, ("1.2.1", 401), ("2.1", 0), ("7", null), ("12.1", 3), ("10", 0.5m)),
            Table(C, ("1.2.1", 400), ("2.1", 1), ("7", 9), ("12.1", null), ("10", 0.50m))));
    }

    [Fact]
    public void A_Sum_Is_Left_Out_When_A_Part_Of_It_At_Any_Depth_Differs()
    {
        // 3.1.1 differs: 3.1, its sum, moves with it and is not a second finding. 3.2 differs on its own: it is listed.
        Assert.Equal(["3.1.1", "3.2"], Differing(C,
            Table(C, ("3.1", 70), ("3.1.1", 50), ("3.1.3", 20), ("3.2", 9)),
            Table(C, ("3.1", 60), ("3.1.1", 40), ("3.1.3", 20), ("3.2", 8))));
    }

    [Fact]
    public void The_Warning_Says_What_The_Quarters_Give_By_How_The_Cell_Runs_Over_Time()
    {
        Assert.True(C.TryGetCell("1.2.1", out var flow));
        Assert.True(C.TryGetCell("12.2", out var stock));
        var flowWarning = YearAndQuarters.Warning(flow, 410, 400, 2017, 0);
        Assert.Equal((YearAndQuarters.Rule, Severity.Warning, "400", "410"), (flowWarning.Rule, flowWarning.Severity, flowWarning.Expected, flowWarning.Actual));
        Assert.Equal(["1.2.1"], flowWarning.Codes);
        Assert.Contains("2017年四个季度季报合计为 400", flowWarning.MessageZh);
        Assert.Contains("2017年第四季度季报为 6", YearAndQuarters.Warning(stock, 5, 6, 2017, 4).MessageZh);
        var c2021 = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-2021"];
        var opening = c2021.Cells.First(c => c.OverTime == OverTime.Opening);
        Assert.Contains("2022年第一季度季报为 3", YearAndQuarters.Warning(opening, 4, 3, 2022, 1).MessageZh);
        Assert.Contains("its 2022Q1 table gives 3", YearAndQuarters.Warning(opening, 4, 3, 2022, 1).Message);
    }

    [Fact]
    public void The_Warning_Names_The_Quarter_A_Stock_Was_Taken_From_When_The_Fourth_Left_Its_Group_Blank()
    {
        // Q4 gave no staff figure at all, so the year's 12.3 group is Q3's: the warning says so, not "第四季度".
        var fromQuarters = Rollup.TracedYearFromQuarters(C, [
            (1, Table(C, ("12.3", 50), ("12.3.1", 10), ("12.3.2", 40))), (2, Table(C, ("12.3", 55), ("12.3.1", 15), ("12.3.2", 40))),
            (3, Table(C, ("12.3", 58), ("12.3.1", 18), ("12.3.2", 40))), (4, Table(C, ("1.2.1", 7)))]);
        var year = Table(C, ("12.3", 60), ("12.3.1", 20), ("12.3.2", 40));
        Assert.True(C.TryGetIndex("12.3.1", out var i));
        Assert.Equal(["12.3.1"], Differing(C, year, fromQuarters.Values));
        Assert.Equal(3, fromQuarters.TakenFrom[i]);

        var warning = YearAndQuarters.Warning(C.Cells[i], 20, fromQuarters.Values[i]!.Value, 2014, fromQuarters.TakenFrom[i]);

        Assert.Contains("2014年第三季度季报为 18", warning.MessageZh);
        Assert.Contains("its 2014Q3 table gives 18", warning.Message);
        Assert.DoesNotContain("第四季度", warning.MessageZh);
        Assert.Contains("2014年第二季度季报为 15", YearAndQuarters.Warning(C.Cells[i], 20, 15, 2014, 2).MessageZh);
        Assert.Throws<ArgumentOutOfRangeException>(() => YearAndQuarters.Warning(C.Cells[i], 20, 18, 2014, 0));
    }

    [Fact]
    public void A_Table_Of_Another_Length_Is_Refused() =>
        Assert.Throws<ArgumentException>(() => YearAndQuarters.Differing(C, new decimal?[C.Cells.Count], new decimal?[3]));
}
