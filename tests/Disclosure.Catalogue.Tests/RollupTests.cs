namespace Disclosure.Catalogue.Tests;

/// <summary>A year from its quarters and a district from its reporters.</summary>
public sealed class RollupTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    private static decimal?[] Table(params (string Code, decimal? Value)[] values)
    {
        var t = new decimal?[C.Cells.Count];
        foreach (var (code, value) in values) t[Index(code)] = value;
        return t;
    }

    [Fact]
    public void Flow_Cells_Of_A_Year_Are_The_Sum_Of_Its_Quarters()
    {
        var year = Rollup.YearFromQuarters(C, [(1, Table(("2.1", 3))), (2, Table(("2.1", 4))), (3, Table(("2.1", 0))), (4, Table(("2.1", 5)))]);
        Assert.Equal(12m, year[Index("2.1")]);
    }

    [Fact]
    public void A_Year_Is_Written_As_The_Stores_Write_A_Sum_Without_Trailing_Zeros()
    {
        var year = Rollup.YearFromQuarters(C, [(1, Table(("2.1", 1.0m), ("8", 60.00m))), (2, Table(("2.1", 1.0m))), (3, Table(("2.1", 0.50m))), (4, Table(("2.1", 0.50m)))]);
        Assert.Equal("3", year[Index("2.1")]!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("60", year[Index("8")]!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Stock_Cells_Of_A_Year_Take_The_Latest_Quarter_That_Gave_A_Value_In_Any_Order()
    {
        // 8 (websites) is a stock: Q4 left it blank, so Q3's value stands; order of the quarters does not matter.
        var year = Rollup.YearFromQuarters(C, [(3, Table(("8", 64))), (1, Table(("8", 60))), (4, Table(("8", null))), (2, Table(("8", 62)))]);
        Assert.Equal(64m, year[Index("8")]);
    }

    [Fact]
    public void Opening_Cells_Of_A_Year_Take_The_Earliest_Quarter_That_Gave_A_Value_In_Any_Order()
    {
        // 二、上年结转 is the balance the year opened with: Q1's, not the sum of four openings nor Q4's.
        var c = District2021.Catalogue;
        decimal?[] Quarter(decimal? carried, decimal received, decimal pending)
        {
            var t = new decimal?[c.Cells.Count];
            t[c.Cells.Single(x => x.Code == "3.2:natural").Index] = carried;
            t[c.Cells.Single(x => x.Code == "3.1:natural").Index] = received;
            t[c.Cells.Single(x => x.Code == "3.4:natural").Index] = pending;
            return t;
        }

        var year = Rollup.YearFromQuarters(c, [(3, Quarter(4, 5, 2)), (2, Quarter(3, 6, 4)), (4, Quarter(2, 1, 1)), (1, Quarter(null, 7, 3))]);

        Assert.Equal(3m, year[c.Cells.Single(x => x.Code == "3.2:natural").Index]);   // Q1 left it blank, Q2 is the earliest given
        Assert.Equal(19m, year[c.Cells.Single(x => x.Code == "3.1:natural").Index]);  // a flow: 5 + 6 + 1 + 7
        Assert.Equal(1m, year[c.Cells.Single(x => x.Code == "3.4:natural").Index]);   // a stock: Q4
    }

    [Fact]
    public void A_Missing_Quarter_Is_Simply_Not_Counted()
    {
        var year = Rollup.YearFromQuarters(C, [(1, Table(("2.1", 3), ("12.3", 10))), (3, Table(("2.1", 4), ("12.3", 12)))]);
        Assert.Equal(7m, year[Index("2.1")]);
        Assert.Equal(12m, year[Index("12.3")]);
    }

    [Fact]
    public void A_Cell_Blank_In_Every_Quarter_Stays_Blank_In_The_Year()
    {
        var year = Rollup.YearFromQuarters(C, [(1, Table(("2.1", 3))), (2, Table()), (3, Table()), (4, Table())]);
        Assert.Null(year[Index("2.2.3")]);
        Assert.Null(year[Index("8")]);
        Assert.Equal(3m, year[Index("2.1")]);
    }

    [Fact]
    public void Flow_With_Zero_In_One_Quarter_Is_Zero_Not_Blank()
    {
        var year = Rollup.YearFromQuarters(C, [(2, Table(("4", 0)))]);
        Assert.Equal(0m, year[Index("4")]);
    }

    [Fact]
    public void No_Quarters_Give_An_All_Blank_Year()
    {
        Assert.All(Rollup.YearFromQuarters(C, []), Assert.Null);
    }

    [Fact]
    public void District_Sum_Adds_The_Tables_That_Gave_A_Cell_And_Keeps_Blank_Where_None_Did()
    {
        var total = Rollup.Sum(C, [Table(("2.1", 3), ("12.4", 1.25m)), Table(("2.1", 4), ("12.4", null)), Table(("12.4", 0.5m))]);
        Assert.Equal(7m, total[Index("2.1")]);
        Assert.Equal(1.75m, total[Index("12.4")]);
        Assert.Null(total[Index("2.2.3")]);
    }

    [Fact]
    public void Sum_Of_No_Tables_Is_All_Blank()
    {
        Assert.All(Rollup.Sum(C, []), Assert.Null);
    }

    [Fact]
    public void Sum_Of_Valid_Tables_Checks_Clean()
    {
        var seed = TableValidator.Validate(C, "2014", TestData.SeedTable()).Values;
        var total = Rollup.Sum(C, [seed, seed]);
        Assert.Equal(1160m, total[Index("10")]);
        Assert.Empty(TableValidator.Check(C, total).Violations);
    }

    [Fact]
    public void The_Same_Quarter_Twice_Is_Refused_Rather_Than_Counted_Twice()
    {
        Assert.Throws<ArgumentException>(() => Rollup.YearFromQuarters(C, [(1, Table(("2.1", 3))), (1, Table(("2.1", 3)))]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rollup.YearFromQuarters(C, [(5, Table())]));
    }

    [Fact]
    public void Tables_Of_Another_Shape_Are_Refused()
    {
        Assert.Throws<ArgumentException>(() => Rollup.Sum(C, [new decimal?[3]]));
        Assert.Throws<ArgumentException>(() => Rollup.YearFromQuarters(C, [(1, new decimal?[3])]));
        Assert.Throws<ArgumentException>(() => TableValidator.Check(C, new decimal?[3]));
    }

    private static int Index(string code) => C.TryGetIndex(code, out var i) ? i : throw new KeyNotFoundException(code);
}
