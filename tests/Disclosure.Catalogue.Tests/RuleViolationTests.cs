namespace Disclosure.Catalogue.Tests;

/// <summary>
/// Every rule the engine raises and every cross-row rule of the 2014 catalogue, one fault at a time on
/// top of the valid seed table: the rule id, severity, codes, expected and actual, and a bilingual message.
/// </summary>
public sealed class RuleViolationTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    public sealed record Case(
        string Period,
        List<InputValue> Input,
        string Rule,
        Severity Severity,
        string[] Codes,
        string? Expected,
        string? Actual,
        bool Alone = true);

    private static List<InputValue> Seed(params (string, decimal?)[] changes) => TestData.SeedWith(changes);

    // The seed without its blanks, so that one more value does not also make the table too long.
    private static List<InputValue> SeedPlus(params InputValue[] extra) => [.. TestData.SeedTable().Where(v => v.Value is not null), .. extra];

    private static List<InputValue> SeedWithUnit(string code, decimal value, string unit)
    {
        var table = TestData.SeedTable();
        var i = table.FindIndex(v => v.Code == code);
        table[i] = new InputValue(code, value, unit);
        return table;
    }

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["period: malformed"] = new("2014-Q3", TestData.SeedTable(), RuleIds.Period, Severity.Error, [], "YYYY or YYYYQ1..YYYYQ4", "2014-Q3"),
        ["period: year after the catalogue's range"] = new("2021", TestData.SeedTable(), RuleIds.Period, Severity.Error, [], "years or quarters from 2008 to 2020", "2021"),
        ["period: quarter before the catalogue's range"] = new("2007Q2", TestData.SeedTable(), RuleIds.Period, Severity.Error, [], "years or quarters from 2008 to 2020", "2007Q2"),
        ["period: quarter after the catalogue's range"] = new("2021Q1", TestData.SeedTable(), RuleIds.Period, Severity.Error, [], "years or quarters from 2008 to 2020", "2021Q1"),
        ["unknown-code"] = new("2014", SeedPlus(new InputValue("14.1", 5)), RuleIds.UnknownCode, Severity.Error, ["14.1"], null, null),
        ["header-value"] = new("2014", SeedPlus(new InputValue("1.2", 5)), RuleIds.HeaderValue, Severity.Error, ["1.2"], null, "5"),
        ["duplicate-code"] = new("2014", SeedPlus(new InputValue("2.1", 26)), RuleIds.DuplicateCode, Severity.Error, ["2.1"], null, null),
        ["unit: 人次 is not 人"] = new("2014", SeedWithUnit("12.3.1", 32, "人次"), RuleIds.Unit, Severity.Error, ["12.3.1"], "人", "人次"),
        ["unit: 人 is not 人次"] = new("2014", SeedWithUnit("13.3", 206, "人"), RuleIds.Unit, Severity.Error, ["13.3"], "人次", "人"),
        ["unit: 条 is not 件"] = new("2014", SeedWithUnit("3.1.1", 52, "条"), RuleIds.Unit, Severity.Error, ["3.1.1"], "件", "条"),
        ["unit: unknown unit"] = new("2014", SeedWithUnit("2.1", 26, "kg"), RuleIds.Unit, Severity.Error, ["2.1"], "次", "kg"),
        ["unit: 元 is not a count"] = new("2014", SeedWithUnit("2.1", 26, "元"), RuleIds.Unit, Severity.Error, ["2.1"], "次", "元"),
        ["integer: 3.5 件"] = new("2014", Seed(("3.1.2", 3.5m)), RuleIds.Integer, Severity.Error, ["3.1.2"], "a whole number", "3.5"),
        ["integer: 3.5 次"] = new("2014", Seed(("2.1", 3.5m)), RuleIds.Integer, Severity.Error, ["2.1"], "a whole number", "3.5"),
        ["decimals: 万元 with 7 decimals"] = new("2014", Seed(("12.4", 0.1234567m)), RuleIds.Decimals, Severity.Error, ["12.4"], "at most 6 decimals in 万元", "0.1234567"),
        ["decimals: 0.005 元 is 0.0000005 万元"] = new("2014", SeedWithUnit("12.4", 0.005m, "元"), RuleIds.Decimals, Severity.Error, ["12.4"], "at most 6 decimals in 万元", "0.0000005"),
        ["negative"] = new("2014", Seed(("2.1", -1)), RuleIds.Negative, Severity.Error, ["2.1"], ">= 0", "-1"),
        ["negative 万元"] = new("2014", Seed(("12.4", -0.01m)), RuleIds.Negative, Severity.Error, ["12.4"], ">= 0", "-0.01"),
        ["range"] = new("2014", Seed(("2.1", 1_000_000_000_000m)), RuleIds.Range, Severity.Error, ["2.1"], "<= 999999999999", "1000000000000"),
        ["sum"] = new("2014", Seed(("3.1.1", 53)), RuleIds.Sum, Severity.Error, ["3.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5"], "61", "60"),
        ["sum: stock row"] = new("2014", Seed(("8.2", 8)), RuleIds.Sum, Severity.Error, ["8", "8.1", "8.2"], "66", "65"),
        ["part"] = new("2014", Seed(("1.1.a", 11842)), RuleIds.Part, Severity.Error, ["1.1.a", "1.1"], "<= 11841", "11842"),
        ["part-without-whole"] = new("2014", Seed(("2.2.1.a", 1)), RuleIds.PartWithoutWhole, Severity.Error, ["2.2.1.a", "2.2.1"], "a value for 2.2.1", "blank"),
        ["too-many-values"] = new("2014", [.. TestData.ReferenceRows().Select(r => new InputValue(r.Code, null)), new("14.1", 1)], RuleIds.TooManyValues, Severity.Error, [], "80", "81", Alone: false),
        ["C1: one channel above all items"] = new("2014", Seed(("1.2.2", 11842)), "C1", Severity.Error, ["1.2.2", "1.1"], "<= 11841", "11842"),
        ["C2: channels below all items"] = new("2014", Seed(("1.2.4", 578)), "C2", Severity.Error, ["1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.1"], ">= 11841", "11840"),
        ["C3: reading points differ"] = new("2014", Seed(("12.2", 18)), "C3", Severity.Error, ["12.2", "9"], "== 19", "18"),
        ["C4: more closed than received"] = new("2014", Seed(("3.2", 61), ("3.2.2", 1)), "C4", Severity.Warning, ["3.2", "3.1"], "<= 60", "61"),
        ["C5: more replies than received"] = new("2014", Seed(("3.3", 62), ("3.3.5", 2)), "C5", Severity.Warning, ["3.3", "3.1"], "<= 60", "62"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fault_Is_Reported_With_Rule_Severity_Codes_Expected_Actual_And_Bilingual_Message(string name)
    {
        var c = Cases[name];
        var result = TableValidator.Validate(C, c.Period, c.Input);

        var v = Assert.Single(result.Violations, x => x.Rule == c.Rule);
        if (c.Alone) Assert.Single(result.Violations);
        Assert.Equal(c.Severity, v.Severity);
        Assert.Equal(c.Codes, v.Codes);
        Assert.Equal(c.Expected, v.Expected);
        Assert.Equal(c.Actual, v.Actual);
        Assert.Matches("[A-Za-z]{3}", v.Message);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", v.MessageZh);
        foreach (var code in v.Codes) Assert.Contains(code, v.Message);
        Assert.Equal(c.Severity == Severity.Error, result.HasErrors);
    }

    [Fact]
    public void Every_Engine_Rule_Id_And_Every_Catalogue_Rule_Has_A_Case()
    {
        // absent-cell only exists in tables with ragged rows; Catalogue2021Tests covers it.
        var engineIds = typeof(RuleIds).GetFields().Select(f => (string)f.GetValue(null)!).Where(id => id != RuleIds.AbsentCell);
        var covered = Cases.Values.Select(c => c.Rule).ToHashSet();
        Assert.All(engineIds.Concat(C.Rules.Select(r => r.Source.Id)), id => Assert.Contains(id, covered));
    }

    [Fact]
    public void Warnings_Alone_Leave_The_Table_Without_Errors()
    {
        var result = TableValidator.Validate(C, "2014", Seed(("3.2", 61), ("3.2.2", 1), ("3.3", 62), ("3.3.5", 2)));
        Assert.False(result.HasErrors);
        Assert.Equal(["C4", "C5"], result.Warnings.Select(w => w.Rule));
    }

    [Fact]
    public void C1_Reports_Each_Channel_That_Exceeds_The_Whole()
    {
        // C2 holds as well: with 1.1 at 10, every channel bound breaks but their sum is above 10.
        var result = TableValidator.Validate(C, "2014", Seed(("1.1", 20), ("1.1.a", 3)));
        Assert.Equal(["1.2.1", "1.2.2", "1.2.4"], result.Violations.Where(v => v.Rule == "C1").Select(v => v.Codes[0]));
        Assert.All(result.Violations, v => Assert.Equal("C1", v.Rule));
    }
}
