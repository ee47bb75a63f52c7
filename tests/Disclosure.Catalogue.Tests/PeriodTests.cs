namespace Disclosure.Catalogue.Tests;

public sealed class PeriodTests
{
    [Theory]
    [InlineData("2014", 2014, null)]
    [InlineData("2014Q3", 2014, 3)]
    public void Valid_Periods_Parse(string text, int year, int? quarter)
    {
        Assert.True(Period.TryParse(text, out var p));
        Assert.Equal(new Period(year, quarter), p);
        Assert.Equal(text, p.ToString());
    }

    [Theory]
    [InlineData("14")]
    [InlineData("2014Q5")]
    [InlineData("2014q3")]
    [InlineData("2014-Q3")]
    [InlineData("")]
    public void Malformed_Periods_Do_Not_Parse(string text) => Assert.False(Period.TryParse(text, out _));

    [Theory]
    [InlineData("2014", "2014")]
    [InlineData("２０１４", "2014")]
    [InlineData(" 2014年 ", "2014")]
    [InlineData("2014 年度", "2014")]
    [InlineData("２０１４年度", "2014")]
    [InlineData("2014q3", "2014Q3")]
    [InlineData("２０１４Ｑ３", "2014Q3")]
    [InlineData("2014年第3季度", "2014Q3")]
    [InlineData("2014年第三季度", "2014Q3")]
    [InlineData("２０１４年第４季度", "2014Q4")]
    [InlineData("2014 年 第一季度", "2014Q1")]
    [InlineData("2016年1季度", "2016Q1")]
    [InlineData("2016年一季度", "2016Q1")]
    [InlineData("2016年第1季度", "2016Q1")]
    [InlineData("2016-Q3", "2016Q3")]
    [InlineData("2016 Q3", "2016Q3")]
    [InlineData("2016-q3", "2016Q3")]
    [InlineData("２０１６－Ｑ２", "2016Q2")]
    [InlineData("2016年Q4", "2016Q4")]
    public void A_Period_Typed_As_People_Write_It_Parses_As_The_Period(string typed, string period)
    {
        Assert.True(Period.TryParseTyped(typed, out var p));
        Assert.Equal(period, p.ToString());
    }

    [Theory]
    [InlineData("14")]
    [InlineData("2014年上半年")]
    [InlineData("2014年第五季度")]
    [InlineData("2014年第3季")]
    [InlineData("2014年年")]
    [InlineData("2014.3")]
    [InlineData("16年Q2")]
    [InlineData("2014Q5")]
    [InlineData("2014年5季度")]
    [InlineData("明年")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_Else_Typed_Does_Not_Parse(string? typed) => Assert.False(Period.TryParseTyped(typed, out _));

    [Fact]
    public void Seed_Catalogue_Loads() 
    {
        var reg = CatalogueRegistry.LoadEmbedded();
        Assert.True(reg.TryGet("gov-info-disclosure-2014", out var c));
        Assert.Equal(73, c.Cells.Count);
    }

    [Theory]
    [InlineData("2020", "2020", true)]
    [InlineData("2020Q1", "2020", true)]
    [InlineData("2020Q4", "2020", true)]
    [InlineData("2021", "2020", true)]
    [InlineData("2019Q4", "2020", false)]
    [InlineData("2019", "2020", false)]
    [InlineData("2020", "2020Q1", true)]
    [InlineData("2020", "2020Q3", false)]
    [InlineData("2020Q2", "2020Q3", false)]
    [InlineData("2020Q3", "2020Q3", true)]
    [InlineData("2021", "2020Q3", true)]
    [InlineData("2021Q1", "2020Q3", true)]
    public void A_Period_Begins_On_Or_After_Another_By_Its_First_Day(string period, string other, bool expected) =>
        Assert.Equal(expected, Period.Parse(period).BeginsOnOrAfter(Period.Parse(other)));
}
