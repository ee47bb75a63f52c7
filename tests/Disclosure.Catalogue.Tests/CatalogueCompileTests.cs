namespace Disclosure.Catalogue.Tests;

/// <summary>Catalogue.Compile refuses an inconsistent catalogue file and says what is wrong.</summary>
public sealed class CatalogueCompileTests
{
    private static RowDocument Header(string code) => new() { Code = code, Role = RowRole.Header, Name = code };

    private static RowDocument Value(string code, string? parent = null, ChildrenRelation children = ChildrenRelation.None,
        ParentRelation relation = ParentRelation.None, string unit = "件", IReadOnlyList<string>? sumOf = null) =>
        new() { Code = code, Parent = parent, Role = RowRole.Value, Children = children, Relation = relation, Unit = unit,
            OverTime = OverTime.Flow, Name = code, SumOf = sumOf ?? [] };

    private static CatalogueDocument Doc(IReadOnlyList<RowDocument> rows, IReadOnlyList<RuleDocument>? rules = null,
        IReadOnlyList<ColumnDocument>? columns = null) => new()
    {
        Id = "test",
        Title = "测试",
        TitleEn = "test",
        Periods = new() { FromYear = 2014, Granularities = [Granularity.Year] },
        Units = [new() { Code = "件", NameEn = "cases" }, new() { Code = "万元", NameEn = "ten thousand yuan", Decimals = 2 }],
        Tables = [new() { Id = "main", Title = "表", Rows = rows, Columns = columns ?? [] }],
        Rules = rules ?? [],
    };

    private static RuleDocument Rule(string id, string expression) =>
        new() { Id = id, Severity = Severity.Error, Expression = expression, Why = "理由", WhyEn = "why" };

    public static TheoryData<string, string> Malformed => new()
    {
        { "unknown parent", "names unknown parent '9'" },
        { "sum cycle", "cycle through" },
        { "unknown unit", "unknown unit 'kg'" },
        { "rule naming an unknown code", "rule 'C1' names '9.9'" },
        { "unparsable rule", "rule 'C1' cannot parse" },
        { "duplicate code", "row code '1' appears twice" },
        { "duplicate unit", "unit '件' is declared twice" },
        { "relation disagrees with parent", "says 'Part' but its parent '1' says 'Sum'" },
        { "column sums an unknown column", "sums 'z', which is not another value column" },
    };

    private static CatalogueDocument MalformedDoc(string name) => name switch
    {
        "unknown parent" => Doc([Value("1"), Value("1.1", parent: "9")]),
        "sum cycle" => Doc([Value("1", sumOf: ["2"]), Value("2", sumOf: ["1"])]),
        "unknown unit" => Doc([Value("1", unit: "kg")]),
        "rule naming an unknown code" => Doc([Value("1")], [Rule("C1", "1 <= 9.9")]),
        "unparsable rule" => Doc([Value("1")], [Rule("C1", "1 ~ 2")]),
        "duplicate code" => Doc([Value("1"), Value("1")]),
        "duplicate unit" => Doc([Value("1")]) is var d ? new CatalogueDocument
        {
            Id = d.Id, Title = d.Title, TitleEn = d.TitleEn, Periods = d.Periods, Tables = d.Tables,
            Units = [.. d.Units, new() { Code = "件", NameEn = "again" }],
        } : throw new InvalidOperationException(),
        "relation disagrees with parent" => Doc([Value("1", children: ChildrenRelation.Sum), Value("1.1", "1", relation: ParentRelation.Part)]),
        "column sums an unknown column" => Doc([Value("1")], columns:
        [
            new() { Code = "t", Role = RowRole.Value, Name = "总计", SumOf = ["a", "z"] },
            new() { Code = "a", Role = RowRole.Value, Name = "a" },
        ]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_Catalogue_Is_Rejected_Naming_The_Problem(string name, string problem)
    {
        var ex = Assert.Throws<CatalogueException>(() => Catalogue.Compile(MalformedDoc(name)));
        Assert.Contains(problem, ex.Message);
        Assert.StartsWith("test:", ex.Message);
    }

    [Fact]
    public void Sum_Cycle_Through_A_Parent_And_Its_Own_Total_Is_Rejected()
    {
        var doc = Doc([Value("1", children: ChildrenRelation.Sum), Value("1.1", "1", relation: ParentRelation.SumMember, sumOf: ["1"])]);
        Assert.Contains("cycle", Assert.Throws<CatalogueException>(() => Catalogue.Compile(doc)).Message);
    }

    [Fact]
    public void Well_Formed_Minimal_Catalogue_Compiles()
    {
        var c = Catalogue.Compile(Doc([Header("0"), Value("1", children: ChildrenRelation.Sum), Value("1.1", "1", relation: ParentRelation.SumMember)],
            [Rule("C1", "1.1 <= 1")]));
        Assert.Equal(["1", "1.1"], c.Cells.Select(x => x.Code));
        Assert.True(c.IsHeader("0"));
    }
}
