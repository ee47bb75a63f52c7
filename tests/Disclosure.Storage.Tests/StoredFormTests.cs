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
    public void A_Value_With_More_Than_Six_Decimals_Cannot_Be_Stored()
    {
        Assert.Equal(0.123456m, Assert.Single(StoredForm.ForStore(Table([new StoredValue("11", 0.1234560m, false)])).Values).Value);
        Assert.Throws<ArgumentException>(() => StoredForm.ForStore(Table([new StoredValue("11", 0.1234567m, false)])));
    }

    [Theory]
    [InlineData("12.30")]
    [InlineData("120.00")]
    [InlineData("-0.00")]
    public void A_Table_With_One_Value_Out_Of_Normal_Form_Is_Normalised_Whole(string odd)
    {
        var value = decimal.Parse(odd, CultureInfo.InvariantCulture);
        IReadOnlyList<StoredValue> values = [new("1.1", 5m, false), new("1.2", value, true)];
        var normal = StoredForm.ForStore(Table(values)).Values;
        Assert.NotSame(values, normal);
        Assert.Equal(["5", StoredForm.Normalise(value).ToString(CultureInfo.InvariantCulture)],
            normal.Select(v => v.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal([("1.1", false), ("1.2", true)], normal.Select(v => (v.Code, v.Derived)));
    }

    private static Submission Table(IReadOnlyList<StoredValue> values) =>
        new(Guid.NewGuid(), "r", "c", "2014", 0, DateTimeOffset.UnixEpoch, values, [], null);

    [Theory]
    [InlineData("0.5")]
    [InlineData("5949.088667")]
    [InlineData("-3.25")]
    [InlineData("999999999999.999999")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001")]
    public void Amounts_Are_Kept_As_Exact_Text(string input)
    {
        var value = decimal.Parse(input, CultureInfo.InvariantCulture);
        Assert.Equal(input, StoredForm.Text(value));
        Assert.Equal(value, decimal.Parse(StoredForm.Text(value), CultureInfo.InvariantCulture));
        Assert.Equal("12.3", StoredForm.Text(12.300m));
    }

    [Fact]
    public void Times_Are_Kept_To_The_Millisecond_In_Utc()
    {
        var t = new DateTimeOffset(2015, 1, 20, 20, 0, 0, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        var stored = StoredTime.Of(t);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(new DateTimeOffset(2015, 1, 20, 12, 0, 0, 123, TimeSpan.Zero), stored);
    }
    [Theory]
    // codes and figures of the head, then of the table sent; whether it is the head's table over again
    [InlineData("1.1=5 1.2=3 2=8", "1.1=5 1.2=3 2=8", true)]
    [InlineData("1.1=5 1.2=3 2=8", "2=8 1.1=5 1.2=3", true)]
    [InlineData("1.1=5 1.2=3 2=8", "1.1=5 2=8 1.2=3", true)]
    [InlineData("1.1=5 1.2=3 2=8", "1.1=6 1.2=3 2=8", false)]
    [InlineData("1.1=5 1.2=3 2=8", "1.1=5 2=8 1.2=4", false)]
    [InlineData("1.1=5 1.2=3 2=8", "1.1=5 1.2=3 3=8", false)]
    [InlineData("1.1=5 1.2=3 2=8", "1.1=5 1.2=3", false)]
    [InlineData("1.1=5", "1.1=5.0", true)]
    public void A_Table_Is_Its_Heads_Over_Again_Only_With_Every_Figure_The_Same_In_Whatever_Order(string head, string sent, bool same)
    {
        static List<StoredCell> Cells(string text) => [.. text.Split(' ').Select(c => c.Split('='))
            .Select(c => new StoredCell(c[0], decimal.Parse(c[1], CultureInfo.InvariantCulture)))];
        Assert.Equal(same, StoredForm.SameCells(Cells(head), Cells(sent)));
        Assert.Equal(same, StoredForm.SameCells(Cells(sent), Cells(head)));
    }
}
