namespace Disclosure.Catalogue.Tests;

/// <summary>Every violation is reported, never only the first; and one fault does not cause spurious others.</summary>
public sealed class MultipleFaultTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    [Fact]
    public void Table_With_Several_Independent_Faults_Reports_Each_Of_Them()
    {
        var input = TestData.SeedWith(("2.1", -3), ("2.2.3", 2.5m), ("3.1.1", 53), ("1.1.a", 20000), ("12.2", 18), ("3.2", 61), ("3.2.2", 1));
        input.Add(new("99", 1));
        input.Add(new("13", 2));
        input.Add(new("7.1", 212));
        input.AddRange(Enumerable.Range(0, 10).Select(i => new InputValue("x" + i, null)));
        var result = TableValidator.Validate(C, "2030", input);

        var found = result.Violations.Select(v => (v.Rule, v.Codes.FirstOrDefault())).ToList();
        (string, string?)[] expected =
        [
            (RuleIds.Period, null), (RuleIds.TooManyValues, null), (RuleIds.Negative, "2.1"), (RuleIds.Integer, "2.2.3"),
            (RuleIds.UnknownCode, "99"), .. Enumerable.Range(0, 10).Select(i => (RuleIds.UnknownCode, (string?)("x" + i))), (RuleIds.HeaderValue, "13"), (RuleIds.DuplicateCode, "7.1"),
            (RuleIds.Sum, "3.1"), (RuleIds.Part, "1.1.a"), ("C3", "12.2"), ("C4", "3.2"),
        ];
        Assert.Equal(expected.OrderBy(x => x.ToString()), found.OrderBy(x => x.ToString()));
        Assert.Equal(Severity.Warning, Assert.Single(result.Violations, v => v.Rule == "C4").Severity);
    }

    [Fact]
    public void Duplicated_Code_Is_Neither_Kept_Nor_Checked_Further()
    {
        // 1.1.a twice: the first value would break the part rule, but which value is meant is unknown.
        var input = TestData.SeedWith(("1.1.a", 20000)).Where(v => v.Value is not null).ToList();
        input.Add(new("1.1.a", 3));
        var result = TableValidator.Validate(C, "2014", input);
        var v = Assert.Single(result.Violations);
        Assert.Equal((RuleIds.DuplicateCode, "1.1.a"), (v.Rule, v.Codes[0]));
        Assert.Null(result["1.1.a"]);
    }

    [Fact]
    public void Refused_Child_Makes_Its_Sum_Unchecked_Instead_Of_Reporting_A_Second_Fault()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedWith(("3.1.1", -52)));
        Assert.Equal(RuleIds.Negative, Assert.Single(result.Violations).Rule);
    }

    [Fact]
    public void Refused_Grandchild_Leaves_Its_Blank_Parent_Unknown_And_The_Grandparent_Unchecked()
    {
        // 3.3.4 cannot be derived (3.3.4.b is refused); 3.3 = 60 already includes 3.3.4, so checking 3.3
        // against the remaining children would report a sum fault that is not there.
        var result = TableValidator.Validate(C, "2014",
            TestData.SeedWith(("3.3.2", 44), ("3.3.4.a", 2), ("3.3.4.b", 1.5m)));
        var v = Assert.Single(result.Violations);
        Assert.Equal((RuleIds.Integer, "3.3.4.b"), (v.Rule, v.Codes[0]));
        Assert.Null(result["3.3.4"]);
        Assert.DoesNotContain(true, result.Derived);
    }

    [Fact]
    public void Refused_Operand_Leaves_A_Cross_Row_Rule_Unchecked()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedWith(("1.2.1", 9876.5m), ("1.1", 20000)));
        // C2 would fail against 1.2.2..1.2.4 alone, C1 and the part rule hold; only the refused value is reported.
        Assert.Equal([RuleIds.Integer], result.Violations.Select(v => v.Rule));
    }
}
