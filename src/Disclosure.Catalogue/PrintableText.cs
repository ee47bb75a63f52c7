namespace Disclosure.Catalogue;

/// <summary>
/// Text that is printed — in the district's tables, the Excel templates and exports (XML inside the .xlsx), CSV and the
/// pages: no control characters and no line or paragraph separators (U+2028, U+2029: a name is one line), no half of a surrogate pair and neither U+FFFE nor U+FFFF, none of
/// which XML can carry; and no invisible format characters (Unicode's Cf: the bidirectional overrides U+202A–U+202E and
/// isolates U+2066–U+2069, zero-width spaces and joiners, U+FEFF), which print nothing themselves but can reorder what a
/// clerk reads around them or make two names that look the same differ.
/// </summary>
public static class PrintableText
{
    public static bool IsPrintable(string text) => !UnprintableAt(text).Any();

    /// <summary>The text with every character that is not printable replaced by U+FFFD, for text stored before it was checked.</summary>
    public static string Printable(string text)
    {
        if (IsPrintable(text)) return text;
        var chars = text.ToCharArray();
        foreach (var at in UnprintableAt(text)) chars[at] = '\uFFFD';
        return new string(chars);
    }

    /// <summary>As <see cref="Printable"/>, but with its line breaks (each as <c>\n</c>) and tabs kept: text of several lines, such as a 填报说明.</summary>
    public static string PrintableLines(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => string.Join('\t', line.Split('\t').Select(Printable))));

    private static IEnumerable<int> UnprintableAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF'
                || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                    or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator) yield return i;
        }
    }
}
