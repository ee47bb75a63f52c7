namespace Disclosure.Catalogue.Tests;

/// <summary>
/// The Fujian edition against the printed form it is built from (Data/published-fujian/putian-2009-form.tsv, source in its
/// header). No filled-in table of this form could be read, so the form itself, blank as printed, is the regression case.
/// </summary>
public sealed class PublishedFujianFormTests
{
    private static readonly CatalogueRegistry Shipped = CatalogueRegistry.LoadEmbedded();
    private static readonly Catalogue Fujian = Shipped["gov-info-disclosure-fujian-2008"];
    private static readonly Catalogue National = Shipped["gov-info-disclosure-2014"];

    private static readonly string[][] Form = [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "published-fujian", "putian-2009-form.tsv"))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Skip(1)
        .Select(l => l.Split('\t'))];

    private static List<InputValue> Printed() =>
        [.. Form.SelectMany(r => new[] { (Code: r[0] + ":year", Text: r[2]), (Code: r[0] + ":cumulative", Text: r[3]) })
            .Where(c => c.Text.Length > 0)
            .Select(c => new InputValue(c.Code, decimal.Parse(c.Text, System.Globalization.CultureInfo.InvariantCulture)))];

    [Fact]
    public void The_Editions_Rows_Are_The_Printed_Rows_In_The_Printed_Order()
    {
        // The copy prints a half-width colon after 其中; the catalogue writes the full-width one the national tables use.
        Assert.Equal(17, Form.Length);
        Assert.Equal(Form.Select(r => (r[0], r[1].Replace(':', '：'))), Fujian.Document.Tables.Single().Rows.Select(r => (r.Code, r.Name)));
    }

    [Fact]
    public void The_Blank_Form_Validates_Derives_Nothing_And_Reads_Blank_In_The_National_Layout()
    {
        var values = Printed();
        Assert.Empty(values); // blank is blank: the form prints no figure

        var own = TableValidator.Validate(Fujian, "2009", values);
        Assert.Empty(own.Violations);
        Assert.Empty(own.NonBlank());

        var reading = Editions.ToNational(Fujian, National, own.Values);
        Assert.Empty(reading.Result.NonBlank());
        Assert.Empty(reading.Result.Violations);
    }
}
