using System.Globalization;

namespace Disclosure.Catalogue.Tests;

/// <summary>
/// The sample district table of the 2021 format, read from <c>Data/district-2021.tsv</c>.
/// Its figures are CONSTRUCTED, not transcribed: no published district report of the 2021 format could be
/// retrieved whole from the sources available when it was written, so it is a realistic, invented table that
/// obeys every printed rule of 国办公开办函〔2021〕30号 (see the file's header).
/// </summary>
internal static class District2021
{
    public const string Period = "2021";

    private static readonly Lazy<IReadOnlyList<InputValue>> table = new(() => Load("district-2021.tsv"));

    public static Catalogue Catalogue { get; } = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-2021"];

    public static IReadOnlyList<InputValue> Values => table.Value;

    public static decimal Value(string code) => Values.Single(v => v.Code == code).Value!.Value;

    /// <summary>The sample with some cells replaced (by code); a null value makes the cell blank.</summary>
    public static List<InputValue> With(params (string Code, decimal? Value)[] changes)
    {
        var byCode = changes.ToDictionary(c => c.Code, c => c.Value, StringComparer.Ordinal);
        var missing = byCode.Keys.Where(k => Values.All(v => v.Code != k)).ToList();
        Assert.True(missing.Count == 0, "not in the sample: " + string.Join(", ", missing));
        return [.. Values.Select(v => byCode.TryGetValue(v.Code, out var x) ? v with { Value = x } : v)];
    }

    /// <summary>The sample without the cells <paramref name="leaveOut"/> selects (they are then blank).</summary>
    public static List<InputValue> Without(Func<string, bool> leaveOut) => [.. Values.Where(v => !leaveOut(v.Code))];

    /// <summary>
    /// The sample plus one more value. 4.2.2:total is left blank (and derived) to make room: a complete table and one
    /// more value would also trip the engine's too-many-values guard.
    /// </summary>
    public static List<InputValue> WithRoomFor(InputValue extra) => [.. Without(c => c == "4.2.2:total"), extra];

    /// <summary>A 2021-format table laid out as printed (blocks of "row" + column codes; an empty field is a blank cell).</summary>
    public static IReadOnlyList<InputValue> Load(string file)
    {
        var values = new List<InputValue>();
        string[]? columns = null;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", file)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split('\t');
            if (fields[0] == "row") { columns = fields; continue; }
            Assert.NotNull(columns);
            for (var i = 1; i < fields.Length; i++)
                if (fields[i].Length > 0)
                    values.Add(new InputValue(fields[0] + ":" + columns[i], decimal.Parse(fields[i], CultureInfo.InvariantCulture)));
        }
        return values;
    }
}

public sealed class Catalogue2021Tests
{
    private static readonly Catalogue Catalogue = District2021.Catalogue;

    private static readonly string[] Applicants = ["natural", "commercial", "research", "welfare", "legal", "other"];

    private static TableResult Validate(IReadOnlyList<InputValue> values, string period = District2021.Period) =>
        TableValidator.Validate(Catalogue, period, values);

    private static string Describe(TableResult result) =>
        string.Join(Environment.NewLine, result.Violations.Select(v => $"{v.Rule} {v.Severity} [{string.Join(", ", v.Codes)}] {v.Message}"));

    // ---- the catalogue itself ----

    [Fact]
    public void Catalogue_Has_Every_Cell_Of_Tables_Two_Three_And_Four()
    {
        Assert.Equal(10, Catalogue.Cells.Count(c => c.TableId == "2"));
        Assert.Equal(29 * 7, Catalogue.Cells.Count(c => c.TableId == "3"));
        Assert.Equal(3 * 5, Catalogue.Cells.Count(c => c.TableId == "4"));
        Assert.Equal(228, Catalogue.Cells.Count);
    }

    [Fact]
    public void Catalogue_Names_Are_As_Printed()
    {
        var doc = Catalogue.Document;
        Assert.Equal(["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"],
            doc.Tables.Select(t => t.Title));
        var three = doc.Tables.Single(t => t.Id == "3");
        Assert.Equal(["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
            three.Columns.Select(c => c.Name));
        Assert.Equal("三、本年度办理结果", three.Rows.Single(r => r.Code == "3.3").Name);
        Assert.Equal(RowRole.Header, three.Rows.Single(r => r.Code == "3.3").Role);
        Assert.Equal("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", three.Rows.Single(r => r.Code == "3.3.6.2").Name);
        Assert.Equal("本年收费金额（单位：万元）", doc.Tables.Single(t => t.Id == "2").Columns.Single(c => c.Code == "fees").Name);
        Assert.True(Catalogue.TryGetCell("4.2.1:pending", out var cell));
        Assert.Equal("未经复议直接起诉 · 尚未审结", cell.Name);
        Assert.Contains("国办公开办函〔2021〕30号", doc.Source);
    }

    [Theory]
    [InlineData("2.1.2:issued", "件", OverTime.Flow)]
    [InlineData("2.1.2:current", "件", OverTime.Stock)]
    [InlineData("2.8.1:fees", "万元", OverTime.Flow)]
    [InlineData("3.1:total", "件", OverTime.Flow)]
    [InlineData("3.2:natural", "件", OverTime.Opening)]
    [InlineData("3.2:total", "件", OverTime.Opening)]
    [InlineData("3.4:natural", "件", OverTime.Stock)]
    [InlineData("4.1:upheld", "件", OverTime.Flow)]
    [InlineData("4.1:pending", "件", OverTime.Stock)]
    public void Cells_Take_Unit_And_Over_Time_From_Row_Or_Column(string code, string unit, OverTime overTime)
    {
        Assert.True(Catalogue.TryGetCell(code, out var cell));
        Assert.Equal(unit, cell.Unit);
        Assert.Equal(overTime, cell.OverTime);
    }

    // ---- the sample table ----

    [Fact]
    public void Sample_District_Table_Validates_Clean()
    {
        var result = Validate(District2021.Values);
        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Equal(228, District2021.Values.Count);
        Assert.DoesNotContain(true, result.Derived);
        Assert.Equal(1832.47m, result["2.8.1:fees"]);
    }

    [Fact]
    public void Sample_Round_Trips_Through_Aggregation()
    {
        var a = Validate(District2021.Values);
        var b = Validate(District2021.With(("3.1:natural", 270), ("3.1:total", 305), ("3.4:natural", 12), ("3.4:total", 17)));
        Assert.False(b.HasErrors, Describe(b));

        var district = TableValidator.Check(Catalogue, Rollup.Sum(Catalogue, [a.Values, b.Values]));

        Assert.True(district.Violations.Count == 0, Describe(district));
        Assert.Equal(538m, district["3.1:natural"]);
        Assert.Equal(608m, district["3.1:total"]);
        Assert.Equal(600m, district["3.3.7:total"]);
        Assert.Equal(3664.94m, district["2.8.1:fees"]);
        Assert.Equal(10m, district["4.1:total"]);
    }

    // ---- each kind of 2021 rule, broken ----

    [Fact]
    public void Total_Column_That_Is_Not_The_Sum_Of_The_Six_Is_Refused()
    {
        var result = Validate(District2021.With(("3.1:total", 304)));

        var v = Assert.Single(result.Violations, v => v.Rule == RuleIds.Sum && v.Codes[0] == "3.1:total");
        Assert.Equal(["3.1:total", .. Applicants.Select(a => "3.1:" + a)], v.Codes);
        Assert.Equal("303", v.Expected);
        Assert.Equal("304", v.Actual);
    }

    [Fact]
    public void Group_Row_That_Is_Not_The_Sum_Of_Its_Numbered_Rows_Is_Refused()
    {
        var result = Validate(District2021.With(("3.3.4:natural", 90)));

        var v = Assert.Single(result.Violations, v => v.Rule == RuleIds.Sum && v.Codes[0] == "3.3.4:natural"
            && v.Codes.Contains("3.3.4.1:natural"));
        Assert.Equal(["3.3.4:natural", "3.3.4.1:natural", "3.3.4.2:natural", "3.3.4.3:natural"], v.Codes);
        Assert.Equal("91", v.Expected);
        Assert.Equal("90", v.Actual);
    }

    [Fact]
    public void Row_Seven_That_Is_Not_The_Sum_Of_One_To_Six_Is_Refused()
    {
        // （七） and 四 raised together in one column so that the 勾稽关系 and the 总计 column still hold.
        var result = Validate(District2021.With(("3.3.7:commercial", 20), ("3.3.7:total", 301), ("3.4:commercial", 2), ("3.4:total", 14)));

        var v = Assert.Single(result.Violations, v => v.Codes[0] == "3.3.7:commercial");
        Assert.Equal(RuleIds.Sum, v.Rule);
        Assert.Equal(["3.3.7:commercial", "3.3.1:commercial", "3.3.2:commercial", "3.3.3:commercial", "3.3.4:commercial", "3.3.5:commercial", "3.3.6:commercial"], v.Codes);
        Assert.Equal("19", v.Expected);
        Assert.Equal("20", v.Actual);
        // The 总计 column's （七） is then also off from its own （一）..（六）, and nothing else is.
        var total = Assert.Single(result.Violations, v => v.Codes[0] == "3.3.7:total");
        Assert.Equal(["3.3.7:total", "3.3.1:total", "3.3.2:total", "3.3.3:total", "3.3.4:total", "3.3.5:total", "3.3.6:total"], total.Codes);
        Assert.Equal(2, result.Violations.Count);
    }

    [Fact]
    public void Balance_Broken_In_One_Column_Names_That_Columns_Cells()
    {
        // 四 raised in the 法律服务机构 column and in 总计 alike, so the 总计 column still adds up: only the 勾稽关系
        // breaks, in that column and (as 总计 carries the same change) in 总计 — in no other column.
        var result = Validate(District2021.With(("3.4:legal", 2), ("3.4:total", 16)));

        Assert.All(result.Violations, v => Assert.Equal("C1", v.Rule));
        Assert.Equal(["legal", "total"], result.Violations.Select(v => v.Codes[0][(v.Codes[0].IndexOf(':') + 1)..]));
        var v = Assert.Single(result.Violations, v => v.Codes[0] == "3.1:legal");
        Assert.Equal(Severity.Error, v.Severity);
        Assert.Equal(["3.1:legal", "3.2:legal", "3.3.7:legal", "3.4:legal"], v.Codes);
        Assert.Equal("== 10", v.Expected);
        Assert.Equal("9", v.Actual);
        Assert.Contains("[legal]", v.Message);
        Assert.Contains("勾稽关系", v.MessageZh);
    }

    [Fact]
    public void Balance_Is_Checked_In_Every_Applicant_Column()
    {
        foreach (var column in Applicants)
        {
            var code = "3.2:" + column;
            var result = Validate(District2021.With((code, District2021.Value(code) + 1), ("3.2:total", 13)));

            var v = Assert.Single(result.Violations, v => v.Codes[0] == "3.1:" + column);
            Assert.Equal("C1", v.Rule);
            Assert.Equal(["3.1:" + column, code, "3.3.7:" + column, "3.4:" + column], v.Codes);
        }
    }

    [Fact]
    public void Balance_Treats_Blank_As_Zero_Once_The_Column_Has_Values()
    {
        // 四 blank in 其他: it counts as 0 in the 勾稽关系 (and in the derived 总计, which then breaks it too).
        var result = Validate(District2021.Without(c => c is "3.4:other" or "3.4:total"));

        Assert.Equal(14m, result["3.4:total"]);
        Assert.All(result.Violations, v => Assert.Equal("C1", v.Rule));
        Assert.Equal(["3.1:other", "3.1:total"], result.Violations.Select(v => v.Codes[0]));
    }

    [Fact]
    public void A_Column_Left_Wholly_Blank_Is_Not_Checked()
    {
        var result = Validate(District2021.Without(c => c.EndsWith(":research", StringComparison.Ordinal)));
        Assert.True(result.Violations.Count == 0, Describe(result));
    }

    [Fact]
    public void Table_Four_Total_That_Is_Not_The_Sum_Of_The_Four_Results_Is_Refused()
    {
        var result = Validate(District2021.With(("4.2.1:total", 5)));

        var v = Assert.Single(result.Violations);
        Assert.Equal(RuleIds.Sum, v.Rule);
        Assert.Equal(["4.2.1:total", "4.2.1:upheld", "4.2.1:corrected", "4.2.1:other", "4.2.1:pending"], v.Codes);
        Assert.Equal("4", v.Expected);
    }

    [Fact]
    public void Every_Violation_Is_Reported_Not_Only_The_First()
    {
        var result = Validate(District2021.With(("3.1:total", 304), ("4.1:total", 6), ("2.8.1:fees", 1.2345678m)));

        Assert.Contains(result.Violations, v => v.Rule == RuleIds.Sum && v.Codes[0] == "3.1:total");
        Assert.Contains(result.Violations, v => v.Rule == RuleIds.Sum && v.Codes[0] == "4.1:total");
        Assert.Contains(result.Violations, v => v.Rule == RuleIds.Decimals && v.Codes[0] == "2.8.1:fees");
    }

    // ---- values, units, periods ----

    [Fact]
    public void Fee_With_Seven_Decimals_Is_Refused()
    {
        var v = Assert.Single(Validate(District2021.With(("2.8.1:fees", 1832.4750001m))).Violations);
        Assert.Equal(RuleIds.Decimals, v.Rule);
        Assert.Equal(["2.8.1:fees"], v.Codes);
    }

    [Theory]
    [InlineData("18324700", "1832.47")]
    [InlineData("5000", "0.5")]
    [InlineData("59490886.67", "5949.088667")]
    public void Fee_Stated_In_Yuan_Converts_To_Ten_Thousand_Yuan(string yuan, string wanYuan)
    {
        var values = District2021.Without(c => c == "2.8.1:fees");
        values.Add(new InputValue("2.8.1:fees", decimal.Parse(yuan, CultureInfo.InvariantCulture), "元"));

        var result = Validate(values);

        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Equal(decimal.Parse(wanYuan, CultureInfo.InvariantCulture), result["2.8.1:fees"]);
    }

    [Fact]
    public void Fee_In_Yuan_Finer_Than_A_Fen_Is_Refused_After_Conversion()
    {
        var values = District2021.Without(c => c == "2.8.1:fees");
        values.Add(new InputValue("2.8.1:fees", 18324712.125m, "元"));

        var v = Assert.Single(Validate(values).Violations);
        Assert.Equal(RuleIds.Decimals, v.Rule);
        Assert.Equal("1832.4712125", v.Actual);
    }

    [Fact]
    public void The_County_Fee_Printed_As_5949_088667_Ten_Thousand_Yuan_Is_Kept_As_Printed()
    {
        var result = Validate(District2021.With(("2.8.1:fees", 5949.088667m)));

        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Equal("5949.088667", TableValidator.Format(result["2.8.1:fees"]));
    }

    [Theory]
    [InlineData("2.8.1:fees", "件")]
    [InlineData("3.1:natural", "元")]
    [InlineData("4.1:upheld", "人")]
    public void Values_In_A_Unit_That_Does_Not_Convert_Are_Refused(string code, string unit)
    {
        var values = District2021.Without(c => c == code);
        values.Add(new InputValue(code, District2021.Value(code), unit));

        var v = Assert.Single(Validate(values).Violations);
        Assert.Equal(RuleIds.Unit, v.Rule);
        Assert.Equal([code], v.Codes);
    }

    [Fact]
    public void Count_With_Decimals_Is_Refused()
    {
        var result = Validate(District2021.With(("2.6.2:decisions", 186.5m)));
        var v = Assert.Single(result.Violations);
        Assert.Equal(RuleIds.Integer, v.Rule);
    }

    [Theory]
    [InlineData("2021Q1")]
    [InlineData("2022Q4")]
    [InlineData("2020")]
    [InlineData("2014")]
    public void Quarters_And_Years_Before_2021_Are_Refused(string period)
    {
        var v = Assert.Single(Validate(District2021.Values, period).Violations);
        Assert.Equal(RuleIds.Period, v.Rule);
    }

    [Theory]
    [InlineData("2022")]
    [InlineData("2035")]
    public void Any_Year_From_2021_Is_Allowed(string period) =>
        Assert.Empty(Validate(District2021.Values, period).Violations);

    // ---- cells that carry no value ----

    [Theory]
    [InlineData("3.1:org")]        // 法人或其他组织: a header column
    [InlineData("3.1:applicant")]  // 申请人情况
    [InlineData("3.3:natural")]    // 三、本年度办理结果: a header row
    [InlineData("3.3:org")]
    [InlineData("4.2:total")]      // 行政诉讼
    [InlineData("2.5:decisions")]  // 第二十条第（五）项
    public void Value_On_A_Header_Row_Or_Column_Cell_Is_Refused(string code)
    {
        var values = District2021.WithRoomFor(new InputValue(code, 1));

        var v = Assert.Single(Validate(values).Violations);
        Assert.Equal(RuleIds.HeaderValue, v.Rule);
        Assert.Equal([code], v.Codes);
    }

    [Theory]
    [InlineData("3.3")]
    [InlineData("2.1")]
    public void Value_On_A_Header_Row_Code_Is_Refused(string code)
    {
        var values = District2021.WithRoomFor(new InputValue(code, 1));

        Assert.Equal(RuleIds.HeaderValue, Assert.Single(Validate(values).Violations).Rule);
    }

    [Theory]
    [InlineData("2.5.1:issued")]
    [InlineData("2.1.1:decisions")]
    [InlineData("2.8.1:current")]
    [InlineData("2.6.2:fees")]
    public void Value_For_A_Column_A_Ragged_Row_Does_Not_Have_Is_Refused(string code)
    {
        var values = District2021.WithRoomFor(new InputValue(code, 0));

        var v = Assert.Single(Validate(values).Violations);
        Assert.Equal(RuleIds.AbsentCell, v.Rule);
        Assert.Equal([code], v.Codes);
    }

    [Theory]
    [InlineData("3.1")]            // a row of a table with columns names no cell by itself
    [InlineData("3.1:fees")]
    [InlineData("3.9:natural")]
    public void Codes_That_Name_No_Cell_Are_Unknown(string code)
    {
        var values = District2021.WithRoomFor(new InputValue(code, 1));

        Assert.Equal(RuleIds.UnknownCode, Assert.Single(Validate(values).Violations).Rule);
    }

    // ---- blank derivation, across both axes ----

    [Fact]
    public void Blank_Total_Column_Is_Derived_From_The_Six()
    {
        var result = Validate(District2021.Without(c => c.StartsWith("3.", StringComparison.Ordinal) && c.EndsWith(":total", StringComparison.Ordinal)));

        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Equal(303m, result["3.1:total"]);
        Assert.Equal(300m, result["3.3.7:total"]);
        Assert.Equal(15m, result["3.4:total"]);
        Assert.True(Catalogue.TryGetCell("3.3.3.4:total", out var cell));
        Assert.True(result.Derived[cell.Index]);
    }

    [Fact]
    public void Blank_Group_Rows_And_Row_Seven_Are_Derived_From_Their_Numbered_Rows()
    {
        var result = Validate(District2021.Without(c => c.StartsWith("3.3.3:", StringComparison.Ordinal)
            || c.StartsWith("3.3.6:", StringComparison.Ordinal) || c.StartsWith("3.3.7:", StringComparison.Ordinal)));

        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Equal(16m, result["3.3.3:natural"]);
        Assert.Equal(18m, result["3.3.3:total"]);
        Assert.Equal(16m, result["3.3.6:total"]);
        Assert.Equal(269m, result["3.3.7:natural"]);
        Assert.Equal(300m, result["3.3.7:total"]);
        Assert.True(Catalogue.TryGetCell("3.3.7:total", out var cell));
        Assert.True(result.Derived[cell.Index]);
    }

    [Fact]
    public void Table_Three_Derives_From_Its_Numbered_Rows_Alone()
    {
        // Only the leaves of 三 and rows 一, 二, 四 per applicant: every group row, （七） and the whole 总计 column are derived.
        var leaves = new HashSet<string>(StringComparer.Ordinal) { "3.1", "3.2", "3.3.1", "3.3.2", "3.4" };
        var result = Validate(District2021.Without(c =>
        {
            if (!c.StartsWith("3.", StringComparison.Ordinal)) return false;
            var (row, column) = (c[..c.IndexOf(':')], c[(c.IndexOf(':') + 1)..]);
            return column == "total" || !(leaves.Contains(row) || row.Count(ch => ch == '.') == 3);
        }));

        Assert.True(result.Violations.Count == 0, Describe(result));
        foreach (var cell in Catalogue.Cells.Where(c => c.TableId == "3"))
            Assert.Equal(District2021.Value(cell.Code), result.Values[cell.Index]);
    }

    [Fact]
    public void Blank_Table_Four_Total_Is_Derived()
    {
        var result = Validate(District2021.Without(c => c.StartsWith("4.", StringComparison.Ordinal) && c.EndsWith(":total", StringComparison.Ordinal)));

        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Equal(5m, result["4.1:total"]);
        Assert.Equal(4m, result["4.2.1:total"]);
    }

    [Fact]
    public void Table_Two_Cells_Left_Out_Stay_Blank()
    {
        var result = Validate(District2021.Without(c => c.StartsWith("2.", StringComparison.Ordinal)));

        Assert.True(result.Violations.Count == 0, Describe(result));
        Assert.Null(result["2.1.2:current"]);
        Assert.Null(result["2.8.1:fees"]);
    }
}

/// <summary>The general checks that compiling a catalogue with columns makes (engine changes made for the 2021 catalogue).</summary>
public sealed class CatalogueColumnCompileTests
{
    private static CatalogueDocument Doc(IReadOnlyList<ColumnDocument> columns, IReadOnlyList<RowDocument>? rows = null, IReadOnlyList<RuleDocument>? rules = null) => new()
    {
        Id = "t",
        Title = "t",
        TitleEn = "t",
        Periods = new() { FromYear = 2021, Granularities = [Granularity.Year] },
        Units = [new() { Code = "件", NameEn = "cases" }],
        Tables =
        [
            new()
            {
                Id = "1",
                Title = "t",
                Columns = columns,
                Rows = rows ?? [new() { Code = "1", Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "r" }],
            },
        ],
        Rules = rules ?? [],
    };

    private static ColumnDocument Value(string code, string? parent = null) => new() { Code = code, Role = RowRole.Value, Name = code, Parent = parent };

    [Fact]
    public void Column_Over_Time_Overrides_The_Rows()
    {
        var c = Catalogue.Compile(Doc([Value("a"), new() { Code = "b", Role = RowRole.Value, Name = "b", OverTime = OverTime.Stock }]));
        Assert.True(c.TryGetCell("1:a", out var a));
        Assert.True(c.TryGetCell("1:b", out var b));
        Assert.Equal(OverTime.Flow, a.OverTime);
        Assert.Equal(OverTime.Stock, b.OverTime);
    }

    [Fact]
    public void Row_Listing_A_Column_That_Is_Not_A_Value_Column_Does_Not_Compile()
    {
        var ex = Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc(
            [Value("a"), new() { Code = "h", Role = RowRole.Header, Name = "h" }],
            [new() { Code = "1", Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "r", Columns = ["a", "h"] }])));
        Assert.Contains("'h'", ex.Message);
    }

    [Fact]
    public void Column_Whose_Parent_Is_Not_A_Header_Column_Does_Not_Compile()
    {
        Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([Value("a"), Value("b", parent: "a")])));
        Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([Value("b", parent: "missing")])));
    }

    [Fact]
    public void Column_Summing_A_Header_Or_Itself_Does_Not_Compile()
    {
        var header = new ColumnDocument { Code = "h", Role = RowRole.Header, Name = "h" };
        Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([header, new() { Code = "t", Role = RowRole.Value, Name = "t", SumOf = ["h"] }])));
        Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([Value("a"), new() { Code = "t", Role = RowRole.Value, Name = "t", SumOf = ["a", "t"] }])));
    }

    [Fact]
    public void Duplicate_Column_Code_Does_Not_Compile() =>
        Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([Value("a"), Value("a")])));

    [Fact]
    public void Each_Column_Rule_Naming_A_Row_Of_Another_Table_Does_Not_Compile()
    {
        var rule = new RuleDocument
        {
            Id = "R", Severity = Severity.Error, Expression = "1 <= 9", Scope = RuleScope.EachColumn, Table = "1", Why = "w", WhyEn = "w",
        };
        var ex = Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([Value("a")], rules: [rule])));
        Assert.Contains("'9'", ex.Message);
    }

    [Fact]
    public void Each_Column_Rule_On_A_Table_Without_Columns_Does_Not_Compile()
    {
        var rule = new RuleDocument
        {
            Id = "R", Severity = Severity.Error, Expression = "1 >= 1", Scope = RuleScope.EachColumn, Table = "1", Why = "w", WhyEn = "w",
        };
        Assert.Throws<CatalogueException>(() => Catalogue.Compile(Doc([], rules: [rule])));
    }
}
