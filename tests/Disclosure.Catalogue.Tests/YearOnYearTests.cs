namespace Disclosure.Catalogue.Tests;

/// <summary>与上年比较: which figures are pointed out as far from the same reporter's a year before.</summary>
public sealed class YearOnYearTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    private static decimal?[] Table(params (string Code, decimal? Value)[] values)
    {
        var t = new decimal?[C.Cells.Count];
        foreach (var (code, value) in values)
        {
            Assert.True(C.TryGetIndex(code, out var i), code);
            t[i] = value;
        }
        return t;
    }

    private static string[] Far(decimal?[] before, decimal?[] now) => [.. YearOnYear.Far(C, before, now).Select(i => C.Cells[i].Code)];

    [Theory]
    [InlineData(9876, 98760, true)]   // a digit typed twice
    [InlineData(9876, 987, true)]     // a digit left out
    [InlineData(100, 500, true)]      // five times, exactly
    [InlineData(100, 499, false)]
    [InlineData(500, 100, true)]      // a fifth, exactly
    [InlineData(10, 60, true)]        // 50 apart, exactly
    [InlineData(10, 59, false)]       // six times, but 49 apart: small counts move a lot
    [InlineData(0, 50, true)]
    [InlineData(0, 49, false)]
    [InlineData(7, 7, false)]
    public void A_Figure_Is_Far_When_Five_Times_Or_A_Fifth_And_At_Least_50_Apart(int before, int now, bool far) =>
        Assert.Equal(far, YearOnYear.IsFar(before, now));

    [Fact]
    public void An_Amount_In_万元_Is_Far_From_A_Smaller_Gap_Than_A_Count()
    {
        // 3 typed as 30: 27 apart is too little for a count (staff, reading points), but 3 万元 of 专项经费 typed as 30 万元 is
        // the slip the check is for; 万元 declares a gap of 1 (farGap), counts keep 50.
        Assert.Equal(1m, C.FarGapOf(C.Cells.Single(c => c.Code == "12.4")));
        Assert.Equal(50m, C.FarGapOf(C.Cells.Single(c => c.Code == "12.1")));
        Assert.Equal(["12.4"], Far(Table(("12.1", 3), ("12.4", 3)), Table(("12.1", 30), ("12.4", 30))));
        // 0.5 万元 to 1.2 is not five times; 0.1 to 0.9 is, but 0.8 apart.
        Assert.Empty(Far(Table(("11", 0.5m)), Table(("11", 1.2m))));
        Assert.Empty(Far(Table(("11", 0.1m)), Table(("11", 0.9m))));
        Assert.Equal(["11"], Far(Table(("11", 0.1m)), Table(("11", 1.1m))));
    }

    [Fact]
    public void A_Cell_Blank_In_Either_Year_Is_Not_Compared()
    {
        Assert.Equal(["2.1"], Far(Table(("2.1", 10), ("7", null), ("12.1", 3)), Table(("2.1", 100), ("7", 900), ("12.1", null))));
    }

    [Fact]
    public void The_Part_That_Moved_Is_Listed_And_Not_The_Sums_It_Carried_With_It()
    {
        // 3.3.4.a is a part of 3.3.4, itself a part of 3.3: a digit typed twice there moves all three; only it is to be checked.
        var before = Table(("3.3.4.a", 12), ("3.3.4", 12), ("3.3.1", 5), ("3.3", 17));
        var now = Table(("3.3.4.a", 120), ("3.3.4", 120), ("3.3.1", 5), ("3.3", 125));
        Assert.Equal(["3.3.4.a"], Far(before, now));
    }

    [Fact]
    public void A_Sum_Is_Listed_When_Its_Parts_Each_Moved_Too_Little_To_Be()
    {
        // 10 → 45 and 2 → 45 are each too little (4.5 times; 43 apart), their sum 12 → 90 is far.
        var before = Table(("3.1.1", 10), ("3.1.3", 2), ("3.1", 12));
        var now = Table(("3.1.1", 45), ("3.1.3", 45), ("3.1", 90));
        Assert.Equal(["3.1"], Far(before, now));
    }

    [Fact]
    public void The_Warning_Names_The_Cell_Both_Figures_And_The_Year_Before_In_Both_Languages()
    {
        Assert.True(C.TryGetCell("1.2.1", out var cell));
        var warning = YearOnYear.Warning(cell, 9876, 98760, Period.Parse("2013"));
        Assert.Equal((YearOnYear.Rule, Severity.Warning), (warning.Rule, warning.Severity));
        Assert.Equal(["1.2.1"], warning.Codes);
        Assert.Equal("1.2.1 1、政府网站公开政府信息数为 98760，2013年为 9876，相差五倍以上：请核对是否多打或漏打了数字（不影响提交）。", warning.MessageZh);
        Assert.Contains("against 9876 in 2013", warning.Message);
        Assert.Contains("2013年第3季度为 9876", YearOnYear.Warning(cell, 9876, 98760, Period.Parse("2013Q3")).MessageZh);
    }
}
