namespace Disclosure.Catalogue.Tests;

/// <summary>The seed's district table (峄城区 2014, column yicheng2014 of the reference file).</summary>
public sealed class SeedTableTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    [Fact]
    public void Seed_Table_With_Blanks_As_Null_Has_No_Error_And_No_Warning()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedTable());
        Assert.Empty(result.Violations);
        Assert.False(result.HasErrors);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Seed_Table_With_Blanks_Omitted_Has_No_Violation()
    {
        var input = TestData.SeedTable().Where(v => v.Value is not null).ToList();
        Assert.Empty(TableValidator.Validate(C, "2014", input).Violations);
    }

    [Fact]
    public void Seed_Table_Posted_With_Every_Row_Including_Headers_As_Null_Has_No_Violation()
    {
        var input = TestData.ReferenceRows()
            .Select(r => new InputValue(r.Code, r.Seed.Length == 0 ? null : decimal.Parse(r.Seed, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Empty(TableValidator.Validate(C, "2014", input).Violations);
    }

    [Fact]
    public void Seed_Table_Keeps_Every_Printed_Value_And_Blank_And_Derives_Nothing()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedTable());
        foreach (var row in TestData.ReferenceRows().Where(r => r.Role == "value"))
        {
            decimal? printed = row.Seed.Length == 0 ? null : decimal.Parse(row.Seed, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal((row.Code, printed), (row.Code, result[row.Code]));
        }
        Assert.DoesNotContain(true, result.Derived);
    }

    [Fact]
    public void Row_10_Reported_Without_A_Breakdown_Stands_Alone()
    {
        var result = TableValidator.Validate(C, "2014", TestData.SeedTable());
        Assert.Equal(580m, result["10"]);
        Assert.Null(result["10.1"]);
        Assert.Null(result["10.2"]);
    }

    [Theory]
    [InlineData("2014Q1")]
    [InlineData("2014Q4")]
    [InlineData("2008")]
    [InlineData("2020")]
    public void Seed_Table_Is_Valid_For_Any_Allowed_Period(string period)
    {
        var result = TableValidator.Validate(C, period, TestData.SeedTable());
        Assert.Empty(result.Violations);
        Assert.Equal(Period.Parse(period), result.Period);
    }
}
