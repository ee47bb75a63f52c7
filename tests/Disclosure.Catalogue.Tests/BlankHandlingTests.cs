namespace Disclosure.Catalogue.Tests;

/// <summary>Blank is not zero: sums that stand alone, derived parents, parts and the rules' blank policies.</summary>
public sealed class BlankHandlingTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    private static TableResult Validate(params (string Code, decimal? Value)[] values) =>
        TableValidator.Validate(C, "2014", [.. values.Select(v => new InputValue(v.Code, v.Value))]);

    [Fact]
    public void An_Empty_Table_Is_Valid_And_Entirely_Blank()
    {
        var result = Validate();
        Assert.Empty(result.Violations);
        Assert.All(result.Values, Assert.Null);
        Assert.Empty(result.NonBlank());
    }

    [Fact]
    public void Sum_Parent_With_All_Children_Blank_Stands_Alone()
    {
        var result = Validate(("10", 580), ("10.1", null), ("10.2", null));
        Assert.Empty(result.Violations);
        Assert.Equal(580m, result["10"]);
        Assert.False(result.Derived[Index("10")]);
    }

    [Fact]
    public void Once_One_Child_Is_Given_Blank_Siblings_Count_As_Zero_And_The_Sum_Must_Match()
    {
        var result = Validate(("10", 580), ("10.1", 500), ("10.2", null));
        var v = Assert.Single(result.Violations);
        Assert.Equal((RuleIds.Sum, "10", "500", "580"), (v.Rule, v.Codes[0], v.Expected, v.Actual));
        Assert.Equal(["10", "10.1", "10.2"], v.Codes);
    }

    [Fact]
    public void One_Child_Given_With_Blank_Siblings_Matching_The_Parent_Is_Valid()
    {
        var result = Validate(("10", 580), ("10.1", 580), ("10.2", null));
        Assert.Empty(result.Violations);
        Assert.Null(result["10.2"]);
    }

    [Fact]
    public void Zero_Children_Are_Given_Values_And_Must_Match_The_Parent()
    {
        var result = Validate(("4", 3), ("4.1", 0), ("4.2", 0), ("4.3", 0));
        Assert.Equal(("sum", "0", "3"), (result.Violations[0].Rule, result.Violations[0].Expected, result.Violations[0].Actual));
    }

    [Fact]
    public void Blank_Sum_Parent_With_Children_Given_Is_Derived_And_Flagged()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedWith(("3.1", null)));
        Assert.Empty(result.Violations);
        Assert.Equal(60m, result["3.1"]);
        Assert.True(result.Derived[Index("3.1")]);
        Assert.Equal(1, result.Derived.Count(d => d));
        Assert.Contains(result.NonBlank(), x => x.Cell.Code == "3.1" && x.Derived);
    }

    [Fact]
    public void Nested_Blank_Sum_Parents_Derive_Bottom_Up()
    {
        var result = TableValidator.Validate(C, "2014",
            TestData.SeedWith(("3.3", null), ("3.3.2", 44), ("3.3.4", null), ("3.3.4.a", 2), ("3.3.4.c", 1)));
        Assert.Empty(result.Violations);
        Assert.Equal(3m, result["3.3.4"]);
        Assert.Equal(60m, result["3.3"]);
        Assert.True(result.Derived[Index("3.3.4")]);
        Assert.True(result.Derived[Index("3.3")]);
    }

    [Fact]
    public void Derived_Inner_Parent_Is_Checked_Against_Its_Given_Outer_Parent()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedWith(("3.3.4.a", 2), ("3.3.4.c", 1)));
        Assert.True(result.Derived[Index("3.3.4")]);
        var v = Assert.Single(result.Violations);
        Assert.Equal((RuleIds.Sum, "3.3", "63", "60"), (v.Rule, v.Codes[0], v.Expected, v.Actual));
    }

    [Fact]
    public void Derived_Parents_Take_Part_In_Cross_Row_Rules()
    {
        // 3.1 is derived from its children (55) and C5 then compares 3.3 (60) with it.
        var result = TableValidator.Validate(C, "2014", TestData.SeedWith(("3.1", null), ("3.1.1", 47), ("3.2", 55), ("3.2.1", 55)));
        var v = Assert.Single(result.Violations);
        Assert.Equal(("C5", Severity.Warning, "<= 55", "60"), (v.Rule, v.Severity, v.Expected, v.Actual));
    }

    [Fact]
    public void Part_Equal_To_Its_Whole_Is_Valid()
    {
        Assert.Empty(Validate(("2.2.2", 17), ("2.2.2.a", 17)).Violations);
    }

    [Fact]
    public void Part_Given_While_Its_Whole_Is_Blank_Is_Refused()
    {
        var v = Assert.Single(Validate(("2.2.2", null), ("2.2.2.a", 0)).Violations);
        Assert.Equal((RuleIds.PartWithoutWhole, "2.2.2.a", "2.2.2"), (v.Rule, v.Codes[0], v.Codes[1]));
    }

    [Fact]
    public void Blank_Part_Of_A_Given_Whole_Is_Valid()
    {
        Assert.Empty(Validate(("2.2.2", 17), ("2.2.2.a", null)).Violations);
    }

    [Fact]
    public void Rule_With_Blank_Policy_Skip_Is_Not_Checked_When_An_Operand_Is_Blank()
    {
        // C3 (12.2 == 9, skip): 9 is blank, so 12.2 is not compared with it.
        Assert.Empty(Validate(("12.2", 19)).Violations);
        // C4 (3.2 <= 3.1, skip): 3.1 is blank.
        Assert.Empty(Validate(("3.2", 60), ("3.2.1", 60)).Violations);
    }

    [Fact]
    public void Rule_With_Blank_Policy_Zero_Counts_Blank_Operands_As_Zero()
    {
        // C2 (1.2.1 + … + 1.2.4 >= 1.1, zero): no channel given, 1.1 given.
        var v = Assert.Single(Validate(("1.1", 5)).Violations);
        Assert.Equal(("C2", ">= 5", "0"), (v.Rule, v.Expected, v.Actual));
        Assert.Empty(Validate(("1.1", 5), ("1.2.3", 5)).Violations);
    }

    [Fact]
    public void Rule_Whose_Operands_Are_All_Blank_Is_Not_Checked()
    {
        // Every operand of C2 blank: even a zero-policy rule is not checked.
        Assert.Empty(Validate(("1.1", null), ("1.2.1", null), ("2.1", 4)).Violations);
    }

    private static int Index(string code) => C.TryGetIndex(code, out var i) ? i : throw new KeyNotFoundException(code);
}
