namespace Disclosure.Catalogue.Tests;

/// <summary>
/// A regression set of real published 2021-format tables, each transcribed as printed with its source and expected
/// verdict in its file's header (Data/published-2021/*.tsv). Each is the part of the report that could be read:
/// table 二 always, table 三 in part where the rows read leave its identity whole; none of them prints an arithmetic error.
/// </summary>
public sealed class PublishedTables2021Tests
{
    private static readonly Catalogue Catalogue = District2021.Catalogue;

    public static TheoryData<string, string> Tables() => new()
    {
        { "shaanxi-xixian-taiping-town-2022.tsv", "2022" },
        { "inner-mongolia-abag-natural-resources-2023.tsv", "2023" },
        { "heilongjiang-fuyuan-natural-resources-2022.tsv", "2022" },
        { "hunan-taojiang-songmutang-town-2022.tsv", "2022" },
        { "tianjin-beichen-jiarongli-street-2021.tsv", "2021" },
        { "guangdong-haizhu-guanzhou-street-2023.tsv", "2023" },
    };

    private static TableResult Judge(string file, string period) =>
        TableValidator.Validate(Catalogue, period, District2021.Load(Path.Combine("published-2021", file)));

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_Published_Table_Validates_As_Printed(string file, string period)
    {
        var result = Judge(file, period);
        Assert.True(result.Violations.Count == 0, string.Join("; ", result.Violations.Select(v => $"{v.Rule} {string.Join(",", v.Codes)}")));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_Printed_Figure_Is_Kept_Exactly(string file, string period)
    {
        var printed = District2021.Load(Path.Combine("published-2021", file));
        var result = Judge(file, period);
        Assert.All(printed, v => Assert.Equal(v.Value, result[v.Code]));
        Assert.Equal(printed.Count, result.NonBlank().Count(c => !c.Derived));
    }

    [Fact]
    public void A_Fee_Printed_With_Four_Decimals_Is_Kept_Exactly()
    {
        var result = Judge("inner-mongolia-abag-natural-resources-2023.tsv", "2023");
        Assert.Equal("18.871", TableValidator.Format(result["2.8.1:fees"]));
        Assert.Equal(182m, result["2.5.1:decisions"]);
    }

    [Fact]
    public void Rows_Left_Out_Of_A_Partial_Table_Three_Stay_Blank_And_Its_Totals_Are_Derived_From_The_Rows_Given()
    {
        var result = Judge("shaanxi-xixian-taiping-town-2022.tsv", "2022");
        Assert.Equal(0m, result["3.3.3:natural"]);
        Assert.Equal(0m, result["3.3.7:total"]);
        Assert.True(result.Derived[Catalogue.Cells.Single(c => c.Code == "3.3.7:total").Index]);
        Assert.Null(result["3.3.4.1:natural"]);
        Assert.Null(result["3.4:natural"]);
    }

    [Fact]
    public void Changing_One_Printed_Figure_Of_A_Published_Row_Is_Caught()
    {
        // 抚远: 一、本年新收 is 0 in every column and 0 in 总计; a 总计 of 1 beside parts that add up to 0 is refused, as is C1.
        var values = District2021.Load(Path.Combine("published-2021", "heilongjiang-fuyuan-natural-resources-2022.tsv"))
            .Select(v => v.Code == "3.1:total" ? v with { Value = 1 } : v).ToList();
        var result = TableValidator.Validate(Catalogue, "2022", values);
        Assert.Contains(result.Violations, v => v.Rule == RuleIds.Sum && v.Codes[0] == "3.1:total");
        Assert.Contains(result.Violations, v => v.Rule == "C1" && v.Codes.Contains("3.1:total"));
    }
}
