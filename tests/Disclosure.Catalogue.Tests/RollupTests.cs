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
    public void A_Stock_Sum_Group_Is_Taken_Whole_From_The_Latest_Quarter_That_Gave_Any_Of_It()
    {
        // Q3 gives 12.3 and 12.3.2 and leaves 12.3.1 blank, which the engine reads as 0 beside its sibling: a valid table. The year
        // takes the whole group from Q3, 12.3.1 blank with it, not Q2's 32 (80 ≠ 48 + 32 in the district table).
        var q2 = TableValidator.Validate(C, "2014Q2", [new("12.3", 80), new("12.3.1", 32), new("12.3.2", 48)]);
        var q3 = TableValidator.Validate(C, "2014Q3", [new("12.3", 48), new("12.3.2", 48)]);
        Assert.False(q2.HasErrors || q3.HasErrors);

        var year = Rollup.TracedYearFromQuarters(C, [(3, q3.Values), (2, q2.Values)]);

        Assert.Equal((48m, null, 48m), (year.Values[Index("12.3")], year.Values[Index("12.3.1")], year.Values[Index("12.3.2")]));
        Assert.Equal([3, 0, 3], new[] { "12.3", "12.3.1", "12.3.2" }.Select(c => year.TakenFrom[Index(c)]));
        Assert.Empty(TableValidator.Check(C, year.Values).Violations);
        Assert.Empty(TableValidator.Check(C, Rollup.Sum(C, [year.Values, year.Values])).Violations);
    }

    [Fact]
    public void A_Quarter_That_Gives_Only_A_Child_Of_A_Stock_Group_Carries_The_Group_And_Other_Groups_Keep_Their_Own_Quarter()
    {
        // Q4 gives 8.1 alone (8 is derived from it when stored, but a quarter's own table may well lack it): 8 and 8.2 do not
        // come from Q3 beside it. 12.1, a group of its own that Q4 left blank, is Q3's; 2.1, a flow, is summed.
        var year = Rollup.TracedYearFromQuarters(C, [
            (3, Table(("8", 5), ("8.1", 2), ("8.2", 3), ("12.1", 1), ("2.1", 4))),
            (4, Table(("8.1", 4), ("2.1", 6)))]);

        Assert.Equal((null, 4m, null), (year.Values[Index("8")], year.Values[Index("8.1")], year.Values[Index("8.2")]));
        Assert.Equal(4, year.TakenFrom[Index("8.1")]);
        Assert.Equal((1m, 3), (year.Values[Index("12.1")], year.TakenFrom[Index("12.1")]));
        Assert.Equal((10m, 0), (year.Values[Index("2.1")], year.TakenFrom[Index("2.1")]));
        Assert.Empty(TableValidator.Check(C, year.Values).Violations);
    }

    [Fact]
    public void Stock_Cells_A_Cross_Row_Rule_Ties_Are_Taken_From_One_Quarter_Too()
    {
        // 12.2 == 9 (rule C3, skipped while either is blank): Q4 gives 9 and leaves 12.2 blank, so the year's 12.2 is blank too,
        // not Q3's 2 beside Q4's 3.
        var year = Rollup.YearFromQuarters(C, [
            (3, Table(("9", 2), ("9.1", 1), ("9.2", 1), ("12.2", 2))),
            (4, Table(("9", 3), ("9.1", 2), ("9.2", 1)))]);

        Assert.Equal((3m, null), (year[Index("9")], year[Index("12.2")]));
        Assert.Empty(TableValidator.Check(C, year).Violations);
    }

    [Fact]
    public void An_Opening_Group_Is_Taken_Whole_From_The_Earliest_Quarter_That_Gave_Any_Of_It()
    {
        // 2021's 二、上年结转 across its columns sums into 总计: Q1 gave only 自然人, so the year's balance carried in is Q1's alone,
        // not Q1's 自然人 beside Q2's 法人或其他组织.
        var c = District2021.Catalogue;
        decimal?[] Quarter(params (string Code, decimal Value)[] values)
        {
            var t = new decimal?[c.Cells.Count];
            foreach (var (code, value) in values) t[c.Cells.Single(x => x.Code == code).Index] = value;
            return t;
        }
        int At(string code) => c.Cells.Single(x => x.Code == code).Index;

        var year = Rollup.TracedYearFromQuarters(c, [(2, Quarter(("3.2:natural", 1), ("3.2:legal", 5), ("3.2:total", 6))), (1, Quarter(("3.2:natural", 2)))]);

        Assert.Equal((2m, null, null), (year.Values[At("3.2:natural")], year.Values[At("3.2:legal")], year.Values[At("3.2:total")]));
        Assert.Equal(1, year.TakenFrom[At("3.2:natural")]);
    }

    [Fact]
    public void The_Catalogue_Groups_Stock_Cells_By_Its_Sums_And_Parts_And_Leaves_Flows_Alone()
    {
        string[] GroupOf(string code) =>
            [.. C.Cells.Where(x => C.OverTimeGroups[x.Index] == C.OverTimeGroups[Index(code)]).Select(x => x.Code)];

        Assert.Equal(["8", "8.1", "8.2"], GroupOf("8.2"));
        Assert.Equal(["12.3", "12.3.1", "12.3.2"], GroupOf("12.3.1"));
        Assert.Equal(["9", "9.1", "9.2", "12.2"], GroupOf("12.2"));   // rule C3: 12.2 == 9
        Assert.Equal(["12.1"], GroupOf("12.1"));   // under a header, summed with nothing
        Assert.Equal(["2.1"], GroupOf("2.1"));     // a flow
        Assert.Equal(Index("12.3"), C.OverTimeGroups[Index("12.3.2")]);
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
