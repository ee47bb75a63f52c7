namespace Disclosure.Catalogue.Tests;

/// <summary>The Fujian pre-2021 edition, and reading an edition's table in the national layout.</summary>
public sealed class EditionTests
{
    private static readonly CatalogueRegistry Shipped = CatalogueRegistry.LoadEmbedded();
    private static readonly Catalogue Fujian = Shipped["gov-info-disclosure-fujian-2008"];
    private static readonly Catalogue National = Shipped["gov-info-disclosure-2014"];

    // A constructed table (not a published one): every row of both columns, the combined and summed rows non-zero.
    private static readonly (string Code, decimal Year, decimal Cumulative)[] Constructed =
    [
        ("1", 120, 900), ("1.a", 110, 850), ("1.b", 12, 60),
        ("2", 10, 45), ("2.1", 3, 10), ("2.2", 4, 20), ("2.3", 2, 10), ("2.4", 1, 5),
        ("3", 9, 44), ("3.1", 5, 30), ("3.2", 1, 4), ("3.3", 1, 3), ("3.4", 2, 7),
        ("4", 35.5m, 80), ("5", 1, 2), ("6", 2, 3),
    ];

    private static List<InputValue> Table() =>
        [.. Constructed.SelectMany(r => new[] { new InputValue(r.Code + ":year", r.Year), new InputValue(r.Code + ":cumulative", r.Cumulative) })];

    [Fact]
    public void The_Edition_Has_Sixteen_Rows_Two_Columns_And_Maps_To_The_National_2014_Catalogue()
    {
        Assert.Equal(16, Fujian.Document.Tables.Single().Rows.Count);
        Assert.Equal(["本年度", "历年累计"], Fujian.Document.Tables.Single().Columns.Select(c => c.Name));
        Assert.Equal("gov-info-disclosure-2014", Fujian.Document.Edition!.National);
        Assert.True(Fujian.TryGetCell("2.3:year", out var combined));
        Assert.Equal("信函、传真申请数 · 本年度", combined.Name);
        Assert.Equal(OverTime.Stock, Fujian.Cells.Single(c => c.Code == "2:cumulative").OverTime);
    }

    [Fact]
    public void A_Fujian_Table_Validates_In_Its_Own_Layout()
    {
        var result = TableValidator.Validate(Fujian, "2015", Table());
        Assert.True(result.Violations.Count == 0, string.Join("; ", result.Violations.Select(v => v.Message)));
    }

    [Fact]
    public void A_Cumulative_Figure_Below_This_Years_Is_Warned_Of()
    {
        var values = Table().Select(v => v.Code == "5:cumulative" ? v with { Value = 0 } : v).ToList();
        var v = Assert.Single(TableValidator.Validate(Fujian, "2015", values).Violations);
        Assert.Equal(("F1", Severity.Warning), (v.Rule, v.Severity));
        Assert.Equal(["5:year", "5:cumulative"], v.Codes);
    }

    [Fact]
    public void Read_In_The_National_Layout_One_To_One_Cells_Carry_Over_And_Sums_Of_Several_Stay_Unknown()
    {
        var own = TableValidator.Validate(Fujian, "2015", Table());

        var reading = Editions.ToNational(Fujian, National, own.Values);
        decimal? At(string code) => reading.Result[code];

        Assert.Equal(120m, At("1.1"));     // 主动公开文件数
        Assert.Equal(110m, At("1.2.1"));   // 政府网站公开数
        Assert.Equal(10m, At("3.1"));      // 申请总数
        Assert.Equal(3m, At("3.1.1"));
        Assert.Equal(4m, At("3.1.3"));
        Assert.Equal(1m, At("3.1.5"));
        Assert.Equal(1m, At("4"));         // 行政复议
        Assert.Null(At("3.1.2"));          // 传真 and 信函 are one printed row: their split is unknown
        Assert.Null(At("3.1.4"));
        Assert.Null(At("5"));              // 行政诉讼 and 举报 likewise
        Assert.Null(At("11"));             // 收费减免 has no national counterpart
        Assert.Null(At("1.2.4"));          // 政府公报 has none either
        Assert.Equal(["3.1.2", "3.1.4", "3.3.1", "3.3.5", "3.3.6", "3.3.7", "3.3.8", "5", "6"], reading.Unreadable);
        Assert.Equal(["2:year"], reading.Sources[National.Cells.Single(c => c.Code == "3.1").Index]);
        // 3.1 is given while two of its parts are unknown: the sum is not checked, and nothing is reported for it.
        Assert.Empty(reading.Result.Violations);
    }

    [Fact]
    public void A_Blank_National_Parent_Over_An_Unknown_Part_Is_Not_Derived()
    {
        var values = Table().Where(v => v.Code != "2:year").ToList();
        var own = TableValidator.Validate(Fujian, "2015", values);
        Assert.Equal(10m, own["2:year"]); // derived in the edition's own layout, where its parts are all known

        var reading = Editions.ToNational(Fujian, National, own.Values);

        Assert.Equal(10m, reading.Result["3.1"]); // carried over from the edition's derived total
        var blank = own.Values.ToArray();
        blank[Fujian.Cells.Single(c => c.Code == "2:year").Index] = null;
        Assert.Null(Editions.ToNational(Fujian, National, blank).Result["3.1"]); // not the sum of the known parts only
    }

    [Fact]
    public void Several_Edition_Cells_Mapped_To_One_National_Cell_Add_Up_Exactly_In_Its_Unit()
    {
        var edition = Catalogue.Compile(new CatalogueDocument
        {
            Id = "test-edition", Title = "t", TitleEn = "t",
            Periods = new() { FromYear = 2014, Granularities = [Granularity.Year] },
            Units = [new() { Code = "元", NameEn = "yuan", Decimals = 2 }],
            Tables = [new() { Id = "1", Title = "t", Rows = [
                new() { Code = "a", Role = RowRole.Value, Unit = "元", OverTime = OverTime.Flow, Name = "a" },
                new() { Code = "b", Role = RowRole.Value, Unit = "元", OverTime = OverTime.Flow, Name = "b" }] }],
            Edition = new() { National = "gov-info-disclosure-2014", Cells = [new() { Code = "a", National = ["11"] }, new() { Code = "b", National = ["11"] }] },
        });
        var own = TableValidator.Validate(edition, "2015", [new("a", 59490886.67m), new("b", 0.01m)]);

        var reading = Editions.ToNational(edition, National, own.Values);

        Assert.Equal("5949.088668", TableValidator.Format(reading.Result["11"]));
        Assert.Equal(["a", "b"], reading.Sources[National.Cells.Single(c => c.Code == "11").Index]);
    }
}
