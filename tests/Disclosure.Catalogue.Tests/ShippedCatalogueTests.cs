namespace Disclosure.Catalogue.Tests;

/// <summary>The shipped catalogue file against the reference transcription it was generated from.</summary>
public sealed class ShippedCatalogueTests
{
    private static readonly CatalogueDocument Doc = TestData.Catalogue2014.Document;

    [Fact]
    public void Catalogue_Has_Exactly_The_Reference_Codes_In_Table_Order()
    {
        var rows = Assert.Single(Doc.Tables).Rows;
        Assert.Equal(TestData.ReferenceRows().Select(r => r.Code), rows.Select(r => r.Code));
    }

    [Fact]
    public void Every_Row_Matches_Its_Reference_Row()
    {
        var rows = Assert.Single(Doc.Tables).Rows.ToDictionary(r => r.Code);
        foreach (var expected in TestData.ReferenceRows())
        {
            var row = rows[expected.Code];
            Assert.Equal((expected.Code, Dash(expected.Parent)), (row.Code, row.Parent));
            Assert.Equal((expected.Code, expected.Role), (row.Code, row.Role == RowRole.Header ? "header" : "value"));
            Assert.Equal((expected.Code, expected.Children), (row.Code, row.Children switch
            {
                ChildrenRelation.None => "-", ChildrenRelation.Sum => "sum", ChildrenRelation.Part => "part", _ => "mixed",
            }));
            Assert.Equal((expected.Code, expected.Relation), (row.Code, row.Relation switch
            {
                ParentRelation.None => "-", ParentRelation.SumMember => "sum-member", ParentRelation.Part => "part", _ => "independent",
            }));
            Assert.Equal((expected.Code, Dash(expected.Unit)), (row.Code, row.Unit));
            Assert.Equal((expected.Code, Dash(expected.OverTime)), (row.Code, row.OverTime switch
            {
                null => null, OverTime.Flow => "flow", _ => "stock",
            }));
            Assert.Equal((expected.Code, expected.Name), (row.Code, row.Name));
            Assert.Empty(row.SumOf);
            Assert.Empty(row.Columns);
        }
    }

    [Fact]
    public void Rules_Match_The_Reference_Rules()
    {
        var expected = TestData.ReferenceRules();
        Assert.Equal(expected.Select(r => r.Id), Doc.Rules.Select(r => r.Id));
        foreach (var (e, r) in expected.Zip(Doc.Rules))
        {
            Assert.Equal(e.Severity, r.Severity == Severity.Error ? "error" : "warning");
            Assert.Equal(e.Expression, r.Expression);
            Assert.Equal(e.Blank, r.Blank == BlankPolicy.Skip ? "skip" : "zero");
            Assert.Equal(e.Why, r.WhyEn);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", r.Why);
            Assert.Equal(RuleScope.Cells, r.Scope);
        }
    }

    [Fact]
    public void Compiled_Catalogue_Has_One_Cell_Per_Value_Row_And_The_Reference_Relations()
    {
        var c = TestData.Catalogue2014;
        var reference = TestData.ReferenceRows();
        Assert.Equal(reference.Where(r => r.Role == "value").Select(r => r.Code), c.Cells.Select(x => x.Code));
        Assert.Equal(73, c.Cells.Count);
        foreach (var header in reference.Where(r => r.Role == "header")) Assert.True(c.IsHeader(header.Code), header.Code);

        var sums = c.Sums.ToDictionary(s => c.Cells[s.Parent].Code, s => s.Children.Select(i => c.Cells[i].Code).ToArray());
        var expectedSums = reference.Where(r => r.Children == "sum")
            .ToDictionary(r => r.Code, r => reference.Where(x => x.Parent == r.Code).Select(x => x.Code).ToArray());
        Assert.Equal(expectedSums.OrderBy(k => k.Key), sums.OrderBy(k => k.Key));

        var parts = c.Parts.Select(p => (c.Cells[p.Part].Code, c.Cells[p.Whole].Code)).ToHashSet();
        var expectedParts = reference.Where(r => r.Relation == "part").Select(r => (r.Code, r.Parent)).ToHashSet();
        Assert.Equal(expectedParts, parts);
    }

    [Fact]
    public void Nested_Sums_Are_Ordered_So_That_A_Child_Is_Derived_Before_Its_Parent()
    {
        var c = TestData.Catalogue2014;
        var order = c.Sums.Select(s => c.Cells[s.Parent].Code).ToList();
        Assert.True(order.IndexOf("3.3.4") < order.IndexOf("3.3"));
    }

    [Fact]
    public void The_Catalogue_Allows_Years_And_Quarters_And_Converts_Yuan_To_Ten_Thousand_Yuan()
    {
        var c = TestData.Catalogue2014;
        Assert.True(c.AllowsPeriod(Period.Parse("2014")));
        Assert.True(c.AllowsPeriod(Period.Parse("2014Q4")));
        Assert.True(c.TryGetConversion("元", "万元", out var divisor));
        Assert.Equal(10000m, divisor);
        Assert.False(c.TryGetConversion("人次", "人", out _));
    }

    [Fact]
    public void Allowed_Periods_Run_From_The_First_Year_To_The_Earlier_Of_Its_Last_And_The_Given_Year_Each_Year_Before_Its_Quarters()
    {
        var c = TestData.Catalogue2014;
        var periods = c.AllowedPeriods(2009).Select(p => p.ToString()).ToList();
        Assert.Equal(["2008", "2008Q1", "2008Q2", "2008Q3", "2008Q4", "2009", "2009Q1", "2009Q2", "2009Q3", "2009Q4"], periods);
        Assert.Equal("2020Q4", c.AllowedPeriods(2030).Last().ToString());
    }

    private static string? Dash(string s) => s is "-" or "" ? null : s;
}
