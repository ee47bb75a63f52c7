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

    [Fact]
    public void A_Table_Already_In_Normal_Form_Is_Not_Copied()
    {
        IReadOnlyList<StoredValue> values = [new("1.1", 12.3m, false), new("1.2", 120m, true), new("1.3", 0m, false)];
        Assert.Same(values, StoredForm.Normalise(values));
    }

    [Theory]
    [InlineData("12.30")]
    [InlineData("120.00")]
    [InlineData("-0.00")]
    public void A_Table_With_One_Value_Out_Of_Normal_Form_Is_Normalised_Whole(string odd)
    {
        var value = decimal.Parse(odd, CultureInfo.InvariantCulture);
        IReadOnlyList<StoredValue> values = [new("1.1", 5m, false), new("1.2", value, true)];
        var normal = StoredForm.Normalise(values);
        Assert.NotSame(values, normal);
        Assert.Equal(["5", StoredForm.Normalise(value).ToString(CultureInfo.InvariantCulture)],
            normal.Select(v => v.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal([("1.1", false), ("1.2", true)], normal.Select(v => (v.Code, v.Derived)));
    }

    [Theory]
    [InlineData("0.5", 50L)]
    [InlineData("12.34", 1234L)]
    [InlineData("-3.25", -325L)]
    [InlineData("999999999999", 99999999999900L)]
    [InlineData("-7", -700L)]
    [InlineData("92233720368547757", 9223372036854775700L)]
    [InlineData("92233720368547758", 9223372036854775800L)]
    [InlineData("-92233720368547758", -9223372036854775800L)]
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
        Assert.Throws<OverflowException>(() => StoredForm.ToHundredths(92233720368547759m));
        Assert.Throws<OverflowException>(() => StoredForm.ToHundredths(-92233720368547759m));
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
