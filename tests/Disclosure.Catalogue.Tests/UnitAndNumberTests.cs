namespace Disclosure.Catalogue.Tests;

/// <summary>Stated units, conversion to the catalogue's unit, whole counts and 万元 decimals, kept exactly.</summary>
public sealed class UnitAndNumberTests
{
    private static readonly Catalogue C = TestData.Catalogue2014;

    private static TableResult Validate(params InputValue[] values) => TableValidator.Validate(C, "2014", values);

    [Theory]
    [InlineData("5000", "0.5")]
    [InlineData("10000", "1")]
    [InlineData("123400", "12.34")]
    [InlineData("100", "0.01")]
    [InlineData("0", "0")]
    [InlineData("123456", "12.3456")]
    [InlineData("0.01", "0.000001")]
    [InlineData("59490886.67", "5949.088667")]
    public void Yuan_Converts_To_Ten_Thousand_Yuan(string yuan, string wanYuan)
    {
        var result = Validate(new InputValue("12.4", Dec(yuan), "元"));
        Assert.Empty(result.Violations);
        Assert.Equal(Dec(wanYuan), result["12.4"]);
        Assert.Equal(wanYuan, TableValidator.Format(result["12.4"]));
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1000000000000000000000000")]
    [InlineData("100000001")]
    public void A_Value_In_A_Larger_Unit_Beyond_The_Range_Is_Refused_Not_Overflowed(string hundredMillions)
    {
        // A loaded catalogue may accept 亿元 for 万元 (divisor 0.0001): the conversion multiplies.
        using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-2014.json")!;
        var doc = System.Text.Json.Nodes.JsonNode.Parse(stream, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        doc["id"] = "with-hundred-millions";
        var wan = doc["units"]!.AsArray().Single(u => (string)u!["code"]! == "万元")!;
        wan["accepts"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["unit"] = "亿元", ["divisor"] = 0.0001m });
        var catalogue = CatalogueRegistry.Load(doc.ToJsonString());

        var v = Assert.Single(TableValidator.Validate(catalogue, "2014", [new InputValue("12.4", Dec(hundredMillions), "亿元")]).Violations);

        Assert.Equal((RuleIds.Range, $"{hundredMillions} 亿元"), (v.Rule, v.Actual));
        Assert.Empty(TableValidator.Validate(catalogue, "2014", [new InputValue("12.4", 2.5m, "亿元")]).Violations);
    }

    [Fact]
    public void Yuan_Finer_Than_Six_Decimals_Of_Ten_Thousand_Yuan_Is_Refused_Naming_Both_Figures()
    {
        var v = Assert.Single(Validate(new InputValue("11", 0.001m, "元")).Violations);
        Assert.Equal((RuleIds.Decimals, "0.0000001", "at most 6 decimals in 万元"), (v.Rule, v.Actual, v.Expected));
        Assert.Contains("0.001 元", v.Message, StringComparison.Ordinal);
        Assert.Contains("0.0000001 万元", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_Thousand_Yuan_With_Seven_Decimals_Is_Refused_Not_Rounded()
    {
        var result = Validate(new InputValue("12.4", 5949.0886671m));
        var v = Assert.Single(result.Violations);
        Assert.Equal((RuleIds.Decimals, "5949.0886671"), (v.Rule, v.Actual));
        Assert.Null(result["12.4"]);
    }

    [Fact]
    public void Ten_Thousand_Yuan_Keeps_Six_Decimals_Exactly_And_Sums_Exactly()
    {
        // A county printed its 行政事业性收费 as 5949.088667 万元: kept exactly, added exactly.
        var one = Validate(new InputValue("11", 5949.088667m));
        Assert.Empty(one.Violations);
        Assert.Equal("5949.088667", TableValidator.Format(one["11"]));
        var other = Validate(new InputValue("11", 0.000001m));
        var district = Rollup.Sum(C, [one.Values, other.Values]);
        Assert.Equal("5949.088668", TableValidator.Format(district[C.Cells.Single(c => c.Code == "11").Index]));
    }

    [Theory]
    [InlineData("12.3", "人")]
    [InlineData("13.3", "人次")]
    [InlineData("3.1.1", "件")]
    [InlineData("1.1", "条")]
    [InlineData("12.4", "万元")]
    public void The_Catalogues_Own_Unit_Stated_Explicitly_Is_Accepted(string code, string unit)
    {
        Assert.DoesNotContain(Validate(new InputValue(code, 1, unit)).Violations, v => v.Rule == RuleIds.Unit);
    }

    [Fact]
    public void Whole_Number_Written_With_A_Fraction_Is_Accepted_And_Normalised()
    {
        var result = Validate(new InputValue("2.1", 3.0m), new InputValue("12.4", 1.50m));
        Assert.Empty(result.Violations);
        Assert.Equal("3", TableValidator.Format(result["2.1"]));
        Assert.Equal(0, result["2.1"]!.Value.Scale);
        Assert.Equal("1.5", TableValidator.Format(result["12.4"]));
    }

    [Fact]
    public void Ten_Thousand_Yuan_Keeps_Tenths_Exactly()
    {
        var result = Validate(new InputValue("12.4", 0.1m), new InputValue("11", 0.2m));
        Assert.Empty(result.Violations);
        Assert.Equal(0.1m, result["12.4"]);
        Assert.Equal(0.2m, result["11"]);
    }

    [Fact]
    public void A_Blank_Value_Is_Not_Judged_For_Unit()
    {
        var result = Validate(new InputValue("2.1", null, "kg"));
        Assert.Empty(result.Violations);
        Assert.Null(result["2.1"]);
    }

    [Fact]
    public void Zero_Is_A_Value_Not_A_Blank()
    {
        var result = Validate(new InputValue("2.1", 0));
        Assert.Equal(0m, result["2.1"]);
    }

    [Fact]
    public void Refused_Values_Are_Not_Kept_In_The_Normalised_Table()
    {
        var result = Validate(new InputValue("2.1", -1), new InputValue("2.2.3", 1.5m), new InputValue("13.3", 5, "人"));
        Assert.Equal(3, result.Violations.Count);
        Assert.Null(result["2.1"]);
        Assert.Null(result["2.2.3"]);
        Assert.Null(result["13.3"]);
    }

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
