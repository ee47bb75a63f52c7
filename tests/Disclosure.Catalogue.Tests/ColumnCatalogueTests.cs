namespace Disclosure.Catalogue.Tests;

/// <summary>
/// The 2021 national format in miniature: cells are <c>row:column</c>, a 总计 column sums the others, a
/// row sums its siblings, and a rule is checked in every column. The engine must judge such a table as well.
/// </summary>
public sealed class ColumnCatalogueTests
{
    // Rows: 1 received, 2 carried over, 3 total (= 1 + 2), 3.1 granted (part of 3), 4 closed; C: 4 <= 3 in every column.
    // Columns: t (总计) = a + b; "x" is a header column.
    private static readonly Catalogue C = Catalogue.Compile(new CatalogueDocument
    {
        Id = "mini-2021",
        Title = "测试表",
        TitleEn = "mini",
        Periods = new() { FromYear = 2021, Granularities = [Granularity.Year] },
        Units = [new() { Code = "件", NameEn = "cases" }],
        Tables =
        [
            new()
            {
                Id = "apply",
                Title = "申请",
                Columns =
                [
                    new() { Code = "x", Role = RowRole.Header, Name = "申请人情况" },
                    new() { Code = "a", Parent = "x", Role = RowRole.Value, Name = "自然人" },
                    new() { Code = "b", Parent = "x", Role = RowRole.Value, Name = "法人" },
                    new() { Code = "t", Role = RowRole.Value, Name = "总计", SumOf = ["a", "b"] },
                ],
                Rows =
                [
                    new() { Code = "1", Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "一、本年新收" },
                    new() { Code = "2", Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "二、上年结转" },
                    new() { Code = "3", Role = RowRole.Value, Children = ChildrenRelation.Part, Unit = "件", OverTime = OverTime.Flow, Name = "三、合计", SumOf = ["1", "2"] },
                    new() { Code = "3.1", Parent = "3", Role = RowRole.Value, Relation = ParentRelation.Part, Unit = "件", OverTime = OverTime.Flow, Name = "其中：予以公开" },
                    new() { Code = "4", Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "四、办结" },
                ],
            },
        ],
        Rules = [new() { Id = "C1", Severity = Severity.Error, Expression = "4 <= 3", Scope = RuleScope.EachColumn, Table = "apply", Why = "办结不多于合计", WhyEn = "closed at most total" }],
    });

    private static TableResult Validate(params (string Code, decimal? Value)[] values) =>
        TableValidator.Validate(C, "2021", [.. values.Select(v => new InputValue(v.Code, v.Value))]);

    private static readonly (string, decimal?)[] Valid =
    [
        ("1:a", 3), ("1:b", 1), ("1:t", 4),
        ("2:a", 1), ("2:b", 0), ("2:t", 1),
        ("3:a", 4), ("3:b", 1), ("3:t", 5),
        ("3.1:a", 2), ("3.1:b", 1), ("3.1:t", 3),
        ("4:a", 4), ("4:b", 1), ("4:t", 5),
    ];

    [Fact]
    public void Cells_Are_Row_By_Column_And_Header_Columns_Carry_No_Value()
    {
        Assert.Equal(15, C.Cells.Count);
        Assert.Equal("1:a", C.Cells[0].Code);
        Assert.True(C.IsHeader("1:x"));
        Assert.Equal(RuleIds.HeaderValue, Assert.Single(Validate(("1:x", 3)).Violations).Rule);
        Assert.Equal(RuleIds.UnknownCode, Assert.Single(Validate(("1", 3)).Violations).Rule);
    }

    [Fact]
    public void A_Consistent_Table_Passes()
    {
        Assert.Empty(Validate(Valid).Violations);
    }

    [Fact]
    public void Total_Column_Must_Be_The_Sum_Of_The_Other_Columns()
    {
        var v = Assert.Single(Validate([.. Valid.Where(x => x.Item1 != "4:t"), ("4:t", 4)]).Violations);
        Assert.Equal((RuleIds.Sum, "4:t", "5", "4"), (v.Rule, v.Codes[0], v.Expected, v.Actual));
        Assert.Equal(["4:t", "4:a", "4:b"], v.Codes);
    }

    [Fact]
    public void Total_Row_Must_Be_The_Sum_Of_Its_Rows_In_Every_Column()
    {
        var result = Validate([.. Valid.Where(x => x.Item1 is not ("3:b" or "3:t" or "4:b" or "4:t")), ("3:b", 2), ("3:t", 6), ("4:b", 2), ("4:t", 6)]);
        // 3:b breaks the row sum in column b, and 3:t (kept the 总计 of 3:a and 3:b) breaks it in column t.
        Assert.Equal([(RuleIds.Sum, "3:b", "1", "2"), (RuleIds.Sum, "3:t", "5", "6")],
            result.Violations.Select(v => (v.Rule, v.Codes[0], v.Expected, v.Actual)));
    }

    [Fact]
    public void Blank_Totals_Are_Derived_From_Rows_And_Columns()
    {
        var result = Validate([.. Valid.Where(x => !x.Item1.EndsWith(":t", StringComparison.Ordinal) && !x.Item1.StartsWith("3:", StringComparison.Ordinal))]);
        Assert.Empty(result.Violations);
        Assert.Equal(5m, result["3:t"]);
        Assert.Equal(4m, result["1:t"]);
        Assert.True(result.Derived[C.Cells.Single(c => c.Code == "3:t").Index]);
    }

    [Fact]
    public void Each_Column_Rule_Is_Checked_And_Named_In_Every_Column()
    {
        var result = Validate([.. Valid.Where(x => x.Item1 is not ("4:a" or "4:t")), ("4:a", 5), ("4:t", 6)]);
        Assert.Equal([("C1", "4:a", "<= 4", "5"), ("C1", "4:t", "<= 5", "6")],
            result.Violations.Select(v => (v.Rule, v.Codes[0], v.Expected, v.Actual)));
        Assert.Contains("[a]", result.Violations[0].Message);
        Assert.Contains("[t]", result.Violations[1].Message);
    }

    [Theory]
    [InlineData("2021Q1")]
    [InlineData("2020")]
    public void Period_The_Catalogue_Does_Not_Allow_Is_Refused(string period)
    {
        var v = Assert.Single(TableValidator.Validate(C, period, [.. Valid.Select(x => new InputValue(x.Item1, x.Item2))]).Violations);
        Assert.Equal((RuleIds.Period, "years from 2021", period), (v.Rule, v.Expected, v.Actual));
        Assert.EndsWith($"不适用于统计期 {period}（适用于 2021 年起的年报）。", v.MessageZh);
    }

    [Fact]
    public void Part_Row_Is_Checked_In_Every_Column()
    {
        var result = Validate([.. Valid.Where(x => x.Item1 is not ("3.1:b" or "3.1:t")), ("3.1:b", 2), ("3.1:t", 4)]);
        var v = Assert.Single(result.Violations);
        Assert.Equal((RuleIds.Part, "3.1:b", "3:b"), (v.Rule, v.Codes[0], v.Codes[1]));
    }
}
