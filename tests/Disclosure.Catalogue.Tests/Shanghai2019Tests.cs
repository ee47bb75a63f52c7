namespace Disclosure.Catalogue.Tests;

/// <summary>
/// Tables 三 and 四 of a real published report — 《2019年上海市人民政府办公厅政府信息公开工作年度报告》 (上海市人民政府办公厅,
/// published 2020-01-31 on www.shanghai.gov.cn) — as printed, blanks included: see Data/shanghai-2019-tables-3-4.tsv.
/// The catalogue's periods start in 2021, so the table is judged as a 2021 table (its tables 三 and 四 have the 2021 shape).
/// </summary>
public sealed class Shanghai2019Tests
{
    private static readonly Catalogue Catalogue = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-2021"];

    private static IReadOnlyList<InputValue> Load() => District2021.Load("shanghai-2019-tables-3-4.tsv");

    [Fact]
    public void The_Published_Tables_Validate_With_No_Violation()
    {
        var result = TableValidator.Validate(Catalogue, "2021", Load());
        Assert.True(result.Violations.Count == 0, string.Join("; ", result.Violations.Select(v => $"{v.Rule} {string.Join(",", v.Codes)} {v.Message}")));
    }

    [Theory]
    [InlineData("3.3.1:total", 272)]        // （一）予以公开: 258 + 12 + 1 + 1, 总计 left blank in print
    [InlineData("3.3.3:natural", 32)]       // （三）不予公开 for 自然人: 14 + 5 + 3 + 10
    [InlineData("3.3.4:total", 337)]        // （四）无法提供: 252 + 12 + 1 + 44 + 3 + 25
    [InlineData("3.3.5:commercial", 5)]     // （五）不予处理 for 商业企业: 1 + 4
    [InlineData("4.2.1:total", 9)]          // printed, and equal to its parts
    public void Cells_The_Report_Left_Blank_Are_Derived_From_Their_Parts(string code, int expected)
    {
        var result = TableValidator.Validate(Catalogue, "2021", Load());
        Assert.Equal(expected, result[code]);
    }

    [Fact]
    public void Blank_Cells_Whose_Parts_Are_All_Blank_Stay_Blank()
    {
        var result = TableValidator.Validate(Catalogue, "2021", Load());
        Assert.Null(result["3.3.6:natural"]);      // （六）其他处理: nothing printed
        Assert.Null(result["4.2.2:total"]);        // 复议后起诉: nothing printed
        Assert.Null(result["3.1:research"]);
    }

    [Fact]
    public void Changing_One_Printed_Figure_Breaks_The_Printed_Identity()
    {
        var values = Load().Select(v => v.Code == "3.4:natural" ? v with { Value = 71 } : v).ToList();
        var result = TableValidator.Validate(Catalogue, "2021", values);
        Assert.Contains(result.Violations, v => v.Codes.Contains("3.4:natural"));
    }
}
