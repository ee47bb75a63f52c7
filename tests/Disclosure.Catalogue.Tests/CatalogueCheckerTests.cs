using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disclosure.Catalogue.Tests;

/// <summary>What an office's catalogue document must satisfy before it is accepted, every problem listed at once.</summary>
public sealed class CatalogueCheckerTests
{
    private static readonly CatalogueRegistry Shipped = CatalogueRegistry.LoadEmbedded();

    private static Catalogue? National(string id) => Shipped.IsBuiltIn(id) && Shipped.TryGet(id, out var c) ? c : null;

    private static JsonObject Fujian()
    {
        var text = ReadEmbedded("gov-info-disclosure-fujian-2008.json");
        return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues." + name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IReadOnlyList<Violation> Check(JsonObject doc) =>
        CatalogueChecker.Check(JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!, National);

    private static JsonObject Row(JsonObject doc, string code) =>
        doc["tables"]![0]!["rows"]!.AsArray().Single(r => (string)r!["code"]! == code)!.AsObject();

    [Theory]
    [InlineData("gov-info-disclosure-2014.json")]
    [InlineData("gov-info-disclosure-2021.json")]
    [InlineData("gov-info-disclosure-fujian-2008.json")]
    public void Every_Shipped_Catalogue_Passes(string file)
    {
        var doc = JsonNode.Parse(ReadEmbedded(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        Assert.Empty(Check(doc));
    }

    [Fact]
    public void Every_Problem_Is_Listed_Not_Only_The_First()
    {
        var doc = Fujian();
        doc["id"] = "Fujian 2008";                                       // not an id
        Row(doc, "2.4")["code"] = "2.1";                                  // a code twice
        Row(doc, "1.1")["parent"] = "9";                                  // an unknown parent
        Row(doc, "5")["unit"] = "吨";                                     // an unknown unit
        doc["rules"]![0]!["expression"] = "1:year <= 7:year";             // a rule naming no cell
        doc["units"]![1]!["decimals"] = 7;                                // finer than the stores keep
        doc["edition"]!["cells"]![0]!["national"] = new JsonArray("99.9"); // no such national cell

        var problems = Check(doc);

        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Id && p.Codes[0] == "Fujian 2008");
        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Code && p.Codes[0] == "2.1");
        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Parent && p.Codes.SequenceEqual(["1.1", "9"]));
        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Unit && p.Codes.SequenceEqual(["5", "吨"]));
        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Rule && p.Codes.SequenceEqual(["F1", "7:year"]));
        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Unit && p.Codes[0] == "件" && p.Message.Contains("7 decimals", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Rule == CatalogueChecker.Edition && p.Codes.SequenceEqual(["1:year", "99.9"]));
        Assert.All(problems, p => Assert.Equal(Severity.Error, p.Severity));
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.MessageZh)));
    }

    [Fact]
    public void Null_In_Place_Of_A_List_Or_An_Item_Is_Listed_By_Its_Path_Not_Thrown()
    {
        var doc = Fujian();
        doc["rules"] = null;
        doc["units"]![0] = null;
        doc["tables"]![0]!["columns"]![1] = null;
        Row(doc, "1.1")["sumOf"] = null;
        doc["edition"]!["cells"]![0]!["national"] = new JsonArray((JsonNode?)null);

        var problems = Check(doc);

        Assert.Equal(["units[0]", "tables[0].columns[1]", "tables[0].rows[1].sumOf", "rules", "edition.cells[0].national[0]"],
            problems.Select(p => Assert.Single(p.Codes)));
        Assert.All(problems, p => Assert.Equal(CatalogueChecker.Invalid, p.Rule));
        Assert.All(problems, p => Assert.StartsWith(p.Codes[0] + " is null", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_Name_Or_Title_That_Cannot_Be_Printed_Is_Listed_By_Its_Path()
    {
        var doc = Fujian();
        doc["title"] = "莆田市\u0000";
        Row(doc, "1.1")["name"] = "第一行\n第二行";
        doc["units"]![0]!["code"] = "\uFFFE";

        var problems = Check(doc);

        Assert.Equal(["title", "units[0].code", "tables[0].rows[1].name"],
            problems.Where(p => p.Rule == CatalogueChecker.Invalid).Select(p => Assert.Single(p.Codes)));
    }

    [Fact]
    public void A_Sum_Cycle_Is_Refused()
    {
        var doc = Fujian();
        Row(doc, "5")["sumOf"] = new JsonArray("6");
        Row(doc, "6")["sumOf"] = new JsonArray("5");

        var p = Assert.Single(Check(doc));

        Assert.Equal(CatalogueChecker.Cycle, p.Rule);
    }

    [Fact]
    public void A_Parent_Chain_That_Loops_Is_Refused()
    {
        var doc = Fujian();
        Row(doc, "5")["parent"] = "6";
        Row(doc, "6")["parent"] = "5";

        Assert.Contains(Check(doc), p => p.Rule == CatalogueChecker.Cycle);
    }

    [Fact]
    public void Every_Row_On_Or_Below_A_Parent_Loop_Is_Named_And_No_Other()
    {
        var doc = Fujian();
        Row(doc, "5")["parent"] = "6";
        Row(doc, "6")["parent"] = "5";
        Row(doc, "1")["parent"] = "5"; // 1.1 and 1.2 hang below 1, so below the loop too

        var named = Check(doc).Where(p => p.Rule == CatalogueChecker.Cycle).Select(p => Assert.Single(p.Codes)).Order(StringComparer.Ordinal);

        Assert.Equal(["1", "1.1", "1.2", "5", "6"], named);
    }

    [Fact]
    public void A_Table_Thousands_Of_Rows_Deep_Is_Checked_And_Its_Sums_Derived()
    {
        // Each row the sum of the one below it: the checker's parent walks and the compiler's child lists must not grow
        // with the square of the depth (perf/README.md has the times), and the sums must still derive bottom-up. As deep as a
        // catalogue may be: one cell a row, the most cells a catalogue may have.
        const int depth = CatalogueChecker.MaxCells;
        var doc = Fujian();
        var rows = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            var row = new JsonObject
            {
                ["code"] = $"r{i}", ["role"] = "value", ["children"] = i < depth - 1 ? "sum" : "none",
                ["relation"] = i > 0 ? "sum-member" : "none", ["unit"] = "件", ["overTime"] = "flow", ["name"] = $"第{i}行",
            };
            if (i > 0) row["parent"] = $"r{i - 1}";
            rows.Add(row);
        }
        doc["tables"]![0]!["rows"] = rows;
        doc["tables"]![0]!["columns"] = new JsonArray();
        doc["rules"] = new JsonArray();
        doc.Remove("edition");

        Assert.Empty(Check(doc));
        var catalogue = Catalogue.Compile(JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!);
        var result = TableValidator.Validate(catalogue, "2010", [new InputValue($"r{depth - 1}", 7m)]);
        Assert.Empty(result.Violations);
        Assert.Equal(7m, result["r0"]);
    }

    [Fact]
    public void An_Each_Column_Rule_Names_Value_Rows_Of_Its_Own_Table()
    {
        var doc = Fujian();
        doc["tables"]![0]!["rows"]!.AsArray().Add(new JsonObject { ["code"] = "h", ["role"] = "header", ["name"] = "标题" });
        JsonObject Rule(string id, string table, string expression) => new()
        {
            ["id"] = id, ["severity"] = "warning", ["scope"] = "each-column", ["table"] = table, ["expression"] = expression,
            ["blank"] = "skip", ["why"] = "w", ["whyEn"] = "w",
        };
        var rules = doc["rules"]!.AsArray();
        rules.Add(Rule("E1", "1", "1.1 <= 1; 2.1 + 2.2 <= 2"));  // value rows of table 1: fine
        rules.Add(Rule("E2", "1", "1 <= 9"));                    // no such row
        rules.Add(Rule("E3", "1", "h <= 1"));                    // a header row holds no value
        rules.Add(Rule("E4", "2", "1 <= 1"));                    // no such table

        var problems = Check(doc).Where(p => p.Rule == CatalogueChecker.Rule).ToList();

        Assert.Equal([["E2", "9"], ["E3", "h"], ["E4"]], problems.Select(p => p.Codes.ToArray()));

        rules.RemoveAt(rules.Count - 1);
        rules.RemoveAt(rules.Count - 1);
        rules.RemoveAt(rules.Count - 1);
        Assert.Empty(Check(doc));
        var catalogue = Catalogue.Compile(JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!);
        Assert.Equal(["1.1 <= 1 [year]", "1.1 <= 1 [cumulative]", "2.1 + 2.2 <= 2 [year]", "2.1 + 2.2 <= 2 [cumulative]"],
            catalogue.Rules.Single(r => r.Source.Id == "E1").Comparisons.Select(c => c.Text));
    }

    [Fact]
    public void A_Code_With_A_Colon_Is_Refused_Since_Cell_Codes_Are_Row_Colon_Column()
    {
        var doc = Fujian();
        Row(doc, "6")["code"] = "6:x";

        Assert.Contains(Check(doc), p => p.Rule == CatalogueChecker.Code && p.Codes[0] == "6:x");
    }

    [Fact]
    public void A_Sum_Of_A_Flow_And_A_Stock_Is_Refused_Where_A_Year_Is_Made_From_Quarters()
    {
        // 2021's table 四: 总计 adds 尚未审结 (pending at the period's end, a stock) to the cases decided in it. Right for a year, the
        // only period the shipped catalogue has; four quarters' 总计 summed would count a case pending all year four times.
        var doc = JsonNode.Parse(ReadEmbedded("gov-info-disclosure-2021.json"), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        doc["periods"]!["granularities"] = new JsonArray("year", "quarter");

        var problems = Check(doc);

        Assert.Equal(["4.1:total", "4.2.1:total", "4.2.2:total"], problems.Select(p => p.Codes[0]));
        Assert.All(problems, p => Assert.Equal(CatalogueChecker.Parent, p.Rule));
        var first = problems[0];
        Assert.Equal(["4.1:total", "4.1:upheld", "4.1:corrected", "4.1:other", "4.1:pending"], first.Codes);
        Assert.Contains("4.1:pending stock", first.Message);
        Assert.Contains("4.1:pending 存量", first.MessageZh);
        // Table 三's sums are each of one kind (3.2 carried in, 3.4 carried out, whatever the column), and pass.
        Assert.DoesNotContain(problems, p => p.Codes.Any(c => c.StartsWith("3.", StringComparison.Ordinal)));
    }

    private static JsonObject Doc2021() =>
        JsonNode.Parse(ReadEmbedded("gov-info-disclosure-2021.json"), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();

    /// <summary>A row of any table of <paramref name="doc"/>.</summary>
    private static JsonObject AnyRow(JsonObject doc, string code) =>
        doc["tables"]!.AsArray().SelectMany(t => t!["rows"]!.AsArray()).Single(r => (string)r!["code"]! == code)!.AsObject();

    private static Catalogue Compile(JsonObject doc) =>
        Catalogue.Compile(JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!);

    [Fact]
    public void The_2021_Balance_Carried_In_Is_Carried_From_Last_Years_Balance_Carried_Forward_Column_By_Column()
    {
        var catalogue = Compile(Doc2021());

        Assert.Equal("3.4", AnyRow(Doc2021(), "3.2")["carriedFrom"]!.GetValue<string>());
        Assert.Equal(new[] { "natural", "commercial", "research", "welfare", "legal", "other", "total" }.Select(c => $"3.2:{c} ← 3.4:{c}"),
            catalogue.Carried.Select(c => $"{catalogue.Cells[c.Opening].Code} ← {catalogue.Cells[c.Stock].Code}"));
        Assert.Empty(Compile(Fujian()).Carried);
    }

    [Theory]
    [InlineData("3.9", "not another value row")]      // no such row
    [InlineData("3.3", "not another value row")]      // a header
    [InlineData("3.2", "not another value row")]      // itself
    [InlineData("3.1", "3.1:natural, 3.1:commercial")] // a flow, not a stock
    public void A_Balance_Carried_From_What_Is_Not_A_Stock_Row_Is_Refused(string from, string said)
    {
        var doc = Doc2021();
        AnyRow(doc, "3.2")["carriedFrom"] = from;

        var p = Assert.Single(Check(doc));

        Assert.Equal(CatalogueChecker.Carried, p.Rule);
        Assert.Equal(["3.2", from], p.Codes.Take(2));
        Assert.Contains(said, p.Message, StringComparison.Ordinal);
        Assert.Contains("3.2", p.MessageZh, StringComparison.Ordinal);
        Assert.StartsWith("gov-info-disclosure-2021: Row '3.2'", Assert.Throws<CatalogueException>(() => Compile(doc)).Message);
    }

    [Fact]
    public void A_Row_That_Is_Not_A_Balance_Carried_In_Cannot_Carry_One_In()
    {
        var doc = Doc2021();
        AnyRow(doc, "3.1")["carriedFrom"] = "3.4";

        var p = Assert.Single(Check(doc));

        Assert.Equal((CatalogueChecker.Carried, "3.1", "3.4", "3.1:natural"), (p.Rule, p.Codes[0], p.Codes[1], p.Codes[2]));
        Assert.Contains("opening", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Stock_Of_Other_Columns_Or_Another_Unit_Is_Refused()
    {
        var ragged = Doc2021();
        AnyRow(ragged, "3.4")["columns"] = new JsonArray("natural", "total");
        var columns = Assert.Single(Check(ragged));
        Assert.Equal((CatalogueChecker.Carried, "3.2", "3.4"), (columns.Rule, columns.Codes[0], columns.Codes[1]));
        Assert.Contains("[natural, total]", columns.Message, StringComparison.Ordinal);

        var money = Doc2021();
        AnyRow(money, "3.4")["unit"] = "万元";
        var problems = Check(money);
        Assert.Equal(7, problems.Count);
        Assert.All(problems, p => Assert.Equal(CatalogueChecker.Carried, p.Rule));
        Assert.Equal(["3.2:natural", "3.4:natural"], problems[0].Codes);
        Assert.Contains("same unit", problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_Far_Gap_Not_Above_Zero_Is_Refused(int gap)
    {
        var doc = Fujian();
        doc["units"]![1]!["farGap"] = gap;

        var p = Assert.Single(Check(doc));
        Assert.Equal((CatalogueChecker.Unit, "件"), (p.Rule, p.Codes[0]));
        Assert.Contains("farGap", p.Message);
    }

    [Fact]
    public void An_Edition_Of_A_Catalogue_That_Is_Not_Built_In_Is_Refused()
    {
        var doc = Fujian();
        doc["edition"]!["national"] = "some-loaded-catalogue";

        var p = Assert.Single(Check(doc));
        Assert.Equal((CatalogueChecker.Edition, "some-loaded-catalogue"), (p.Rule, p.Codes[0]));
    }

    [Fact]
    public void A_National_Cell_Reached_Alone_And_Inside_A_Sum_Is_Refused()
    {
        // Were 信函 (2.5) mapped to 传真 + 信函 together, 传真 (2.2) mapped to 3.1.2 alone would count it twice.
        var doc = Fujian();
        doc["edition"]!["cells"]![8]!["national"] = new JsonArray("3.1.2", "3.1.4");

        Assert.Contains(Check(doc), p => p.Rule == CatalogueChecker.Edition && p.Codes.Contains("3.1.2"));
    }

    [Fact]
    public void An_Edition_Cell_In_A_Unit_That_Does_Not_Convert_To_The_National_One_Is_Refused()
    {
        var doc = Fujian();
        doc["edition"]!["cells"]![14]!["national"] = new JsonArray("2.1"); // 行政复议数 (件) to 回应热点 (次)

        Assert.Contains(Check(doc), p => p.Rule == CatalogueChecker.Edition && p.Codes.SequenceEqual(["4:year", "2.1"]));
    }
}
