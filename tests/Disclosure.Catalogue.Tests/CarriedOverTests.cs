namespace Disclosure.Catalogue.Tests;

public sealed class CarriedOverTests
{
    [Theory]
    [InlineData("2022", "2021")]
    [InlineData("2022Q1", "2021")]
    [InlineData("2022Q2", "2022Q1")]
    [InlineData("2022Q3", "2022Q2")]
    [InlineData("2022Q4", "2022Q3")]
    public void A_Period_Carries_In_What_The_Period_Before_It_Closed_With(string period, string before) =>
        Assert.Equal(before, CarriedOver.PeriodBefore(Period.Parse(period)).ToString());
}
