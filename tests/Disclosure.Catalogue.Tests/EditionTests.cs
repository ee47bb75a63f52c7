namespace Disclosure.Catalogue.Tests;

/// <summary>
/// The Fujian pre-2021 edition (rows as printed in Putian's 2009 form, cited in the catalogue's source), and reading an
/// edition's table in the national layout.
/// </summary>
public sealed class EditionTests
{
    private static readonly CatalogueRegistry Shipped = CatalogueRegistry.LoadEmbedded();
    private static readonly Catalogue Fujian = Shipped["gov-info-disclosure-fujian-2008"];
    private static readonly Catalogue National = Shipped["gov-info-disclosure-2014"];

    // A constructed table (no filled-in one of this form could be read): every row of both columns non-zero.
    private static readonly (string Code, decimal Year, decimal Cumulative)[] Constructed =
    [
        ("1", 120, 900), ("1.1", 110, 850), ("1.2", 12, 60),
        ("2", 12, 50), ("2.1", 3, 10), ("2.2", 1, 4), ("2.3", 2, 6), ("2.4", 4, 20), ("2.5", 1, 5), ("2.6", 1, 5),
        ("3", 11, 47), ("3.1", 6, 30), ("3.2", 1, 4), ("3.3", 2, 8),
        ("4", 1, 2), ("5", 2, 3), ("6", 1, 1),
    ];

    private static List<InputValue> Table() =>
        [.. Constructed.SelectMany(r => new[] { new InputValue(r.Code + ":year", r.Year), new InputValue(r.Code + ":cumulative", r.Cumulative) })];

    [Fact]
    public void The_Edition_Has_The_Printed_Rows_In_Their_Order_Two_Columns_And_Maps_To_The_National_2014_Catalogue()
    {
        // As printed in the form (法搜网's copy of Putian's notice on the 2009 reports, page 2): 传真 and 信函 are two rows.
        string[] printed =
        [
            "主动公开信息数", "其中：1.政府网站", "2.政府公报", "受理依申请公开信息总数", "其中：1.当面申请数", "2.传真申请数",
            "3.电子邮件申请数", "4.网上申请数", "5.信函申请数", "6.其它形式申请数", "本年度对申请的答复总数",
            "其中：1.同意公开答复数", "2.同意部分公开答复数", "3.否决公开答复总数", "行政复议数", "行政诉讼数", "行政申诉数",
        ];
        Assert.Equal(printed, Fujian.Document.Tables.Single().Rows.Select(r => r.Name));
        Assert.Equal(["本年度", "历年累计"], Fujian.Document.Tables.Single().Columns.Select(c => c.Name));
        Assert.Equal("gov-info-disclosure-2014", Fujian.Document.Edition!.National);
        Assert.Contains("17155898_2.html", Fujian.Document.Source);
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

        Assert.Equal(120m, At("1.1"));     // 主动公开信息数
        Assert.Equal(110m, At("1.2.1"));   // 政府网站
        Assert.Equal(12m, At("3.1"));      // 受理依申请公开信息总数
        Assert.Equal(3m, At("3.1.1"));     // 当面
        Assert.Equal(1m, At("3.1.2"));     // 传真
        Assert.Equal(6m, At("3.1.3"));     // 网络申请数 = 电子邮件 2 + 网上 4
        Assert.Equal(1m, At("3.1.4"));     // 信函
        Assert.Equal(1m, At("3.1.5"));
        Assert.Equal(11m, At("3.3"));      // 答复总数
        Assert.Equal(6m, At("3.3.2"));
        Assert.Equal(1m, At("4"));         // 行政复议
        Assert.Equal(2m, At("5"));         // 行政诉讼
        Assert.Null(At("6"));              // 行政申诉 is not 被举报投诉
        Assert.Null(At("3.3.4"));          // 否决公开's national split is not printed
        Assert.Null(At("1.2.4"));          // 政府公报 has no counterpart
        Assert.Empty(reading.Unreadable);  // no edition cell stands for a sum of several national ones
        Assert.Equal(["2.3:year", "2.4:year"], reading.Sources[National.Cells.Single(c => c.Code == "3.1.3").Index]);
        Assert.Equal(["2:year"], reading.Sources[National.Cells.Single(c => c.Code == "3.1").Index]);
        // 3.1 = 3 + 1 + 6 + 1 + 1 holds in the national layout too; 3.3 is given with parts unknown, and is not judged.
        Assert.Empty(reading.Result.Violations);
    }

    [Fact]
    public void A_Blank_Edition_Total_Is_Derived_In_The_Edition_And_Carried_Over()
    {
        var values = Table().Where(v => v.Code != "2:year").ToList();
        var own = TableValidator.Validate(Fujian, "2015", values);
        Assert.Equal(12m, own["2:year"]); // derived in the edition's own layout, where its parts are all known

        var reading = Editions.ToNational(Fujian, National, own.Values);

        Assert.Equal(12m, reading.Result["3.1"]);
        Assert.False(reading.Result.Derived[National.Cells.Single(c => c.Code == "3.1").Index]); // carried over, not derived again
    }

    // An edition whose one row stands for two national cells (as a combined 信函、传真 row would): a constructed catalogue,
    // since the printed Fujian form has no such row.
    private static Catalogue CombinedEdition() => Catalogue.Compile(new CatalogueDocument
    {
        Id = "test-combined", Title = "t", TitleEn = "t",
        Periods = new() { FromYear = 2014, Granularities = [Granularity.Year] },
        Units = [new() { Code = "件", NameEn = "cases" }],
        Tables = [new() { Id = "1", Title = "t", Rows = [
            new() { Code = "a", Role = RowRole.Value, Children = ChildrenRelation.Sum, Unit = "件", OverTime = OverTime.Flow, Name = "申请总数" },
            new() { Code = "b", Parent = "a", Relation = ParentRelation.SumMember, Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "当面" },
            new() { Code = "c", Parent = "a", Relation = ParentRelation.SumMember, Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "信函、传真" }] }],
        Edition = new() { National = "gov-info-disclosure-2014", Cells = [
            new() { Code = "a", National = ["3.1"] }, new() { Code = "b", National = ["3.1.1"] }, new() { Code = "c", National = ["3.1.2", "3.1.4"] }] },
    });

    [Fact]
    public void A_Row_Standing_For_Several_National_Cells_Leaves_Them_Unreadable_And_A_Blank_Parent_Over_Them_Underived()
    {
        var edition = CombinedEdition();
        var own = TableValidator.Validate(edition, "2015", [new("b", 3), new("c", 2)]);
        Assert.Equal(5m, own["a"]);

        var reading = Editions.ToNational(edition, National, own.Values);
        Assert.Equal(5m, reading.Result["3.1"]);
        Assert.Null(reading.Result["3.1.2"]);
        Assert.Equal(["3.1.2", "3.1.4"], reading.Unreadable);

        var blank = own.Values.ToArray();
        blank[edition.Cells.Single(c => c.Code == "a").Index] = null;
        Assert.Null(Editions.ToNational(edition, National, blank).Result["3.1"]); // not the sum of the known parts only
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
