using System.Globalization;

namespace Disclosure.Storage.Tests;

public sealed class StoredFormTests
{
    [Theory]
    [InlineData("12.30", "12.3")]
    [InlineData("120.00", "120")]
    [InlineData("0.50", "0.5")]
    [InlineData("-0.00", "0")]
    [InlineData("1000", "1000")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-7.9228162514264337593543950335", "-7.9228162514264337593543950335")]
    public void Normalising_Drops_Trailing_Zeros_Only(string input, string expected)
    {
        var value = decimal.Parse(input, CultureInfo.InvariantCulture);
        var normal = StoredForm.Normalise(value);
        Assert.Equal(expected, normal.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(value, normal);
    }

    [Theory]
    [InlineData("0.5", 50L)]
    [InlineData("12.34", 1234L)]
    [InlineData("-3.25", -325L)]
    [InlineData("999999999999", 99999999999900L)]
    public void Hundredths_Round_Trip_Exactly(string input, long hundredths)
    {
        var value = decimal.Parse(input, CultureInfo.InvariantCulture);
        Assert.Equal(hundredths, StoredForm.ToHundredths(value));
        Assert.Equal(input, StoredForm.FromHundredths(hundredths).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void More_Than_Two_Decimals_Cannot_Be_Stored()
    {
        Assert.Throws<ArgumentException>(() => StoredForm.ToHundredths(0.125m));
        Assert.Throws<OverflowException>(() => StoredForm.ToHundredths(decimal.MaxValue / 10));
    }

    [Fact]
    public void Times_Are_Kept_To_The_Millisecond_In_Utc()
    {
        var t = new DateTimeOffset(2015, 1, 20, 20, 0, 0, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        var stored = StoredForm.ToStoredTime(t);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(new DateTimeOffset(2015, 1, 20, 12, 0, 0, 123, TimeSpan.Zero), stored);
    }
}
