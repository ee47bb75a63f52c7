namespace Disclosure.Catalogue.Tests;

/// <summary>Names and titles are printed, in the .xlsx exports too, where XML cannot carry control characters.</summary>
public sealed class PrintableTextTests
{
    [Theory]
    [InlineData("峄城区坛山街道办事处", true)]
    [InlineData("Tanshan (坛山) · 2014", true)]
    [InlineData("emoji 😀 in a pair", true)]
    [InlineData("", true)]
    [InlineData("tab\there", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("line\u2028separator", false)]
    [InlineData("paragraph\u2029separator", false)]
    [InlineData("nul\0", false)]
    [InlineData("del\u007f", false)]
    [InlineData("c1\u0085", false)]
    [InlineData("non-character \uFFFE", false)]
    [InlineData("right-to-left override \u202E镇坛山", false)]
    [InlineData("isolate \u2067x\u2069", false)]
    [InlineData("zero\u200Bwidth", false)]
    [InlineData("\uFEFFbyte order mark", false)]
    public void Printable_Text_Is_One_Line_That_Xml_Can_Carry(string text, bool printable)
    {
        Assert.Equal(printable, PrintableText.IsPrintable(text));
        var made = PrintableText.Printable(text);
        Assert.True(PrintableText.IsPrintable(made));
        Assert.Equal(text.Length, made.Length);
        if (printable) Assert.Same(text, made);
        else System.Xml.XmlConvert.VerifyXmlChars(made);
    }

    [Fact]
    public void Half_A_Surrogate_Pair_Is_Not_Printable()
    {
        // Built here: an attribute's string is stored as UTF-8, which cannot hold half a pair.
        foreach (var text in new[] { "half a pair " + (char)0xD83D, (char)0xDE00 + " the other half", "😀"[..1] })
        {
            Assert.False(PrintableText.IsPrintable(text));
            System.Xml.XmlConvert.VerifyXmlChars(PrintableText.Printable(text));
        }
    }
}
