using System.Text;
using System.Text.Unicode;

namespace Disclosure.Api.Features.Submissions;

/// <summary>
/// The first pass of <see cref="SubmissionBodyReader"/>: a byte-by-byte scan of the body nearly every client sends —
/// the documented property names as written, strings without escapes, counts as whole numbers without a sign — in
/// about a third of the time <see cref="System.Text.Json.Utf8JsonReader"/> takes to tokenise it. Whatever else it meets
/// (another casing, an escape, a fraction, a sign, an exponent, a number of more than 18 digits, a repeated or unknown
/// property, or anything that is not JSON) it declines, and the reader goes over the body again with Utf8JsonReader.
/// </summary>
/// <remarks>
/// Its correctness is that it accepts only JSON the serializer would read the same way: it follows the JSON grammar
/// for the few forms it takes (whitespace is space, tab, CR and LF; a string holds no control character and is valid
/// UTF-8; a number has no leading zero and ends at a delimiter), so a body it accepts is valid JSON of the plain shape.
/// </remarks>
internal ref struct SubmissionBodyScanner
{
    private readonly ReadOnlySpan<byte> json;
    private int at;
    // The values' codes and units each come in the same order table after table: each sequence is read with its cursor.
    private SharedStrings.Cursor codes, units;

    private SubmissionBodyScanner(ReadOnlySpan<byte> json) => this.json = json;

    /// <summary>Fills <paramref name="body"/> from <paramref name="json"/>, or returns false (leaving it partly filled).</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, SubmissionBody body) => new SubmissionBodyScanner(json).ReadBody(body);

    private bool ReadBody(SubmissionBody body)
    {
        SkipSpace();
        if (!Take((byte)'{')) return false;
        SkipSpace();
        if (!Take((byte)'}'))
        {
            var seen = 0;
            do
            {
                SkipSpace();
                if (!PropertyName(out var name)) return false;
                var property = name.SequenceEqual("reporter"u8) ? 0 : name.SequenceEqual("period"u8) ? 1 : name.SequenceEqual("catalogue"u8) ? 2
                    : name.SequenceEqual("values"u8) ? 3 : name.SequenceEqual("expectedRevision"u8) ? 4 : -1;
                if (!FirstTime(property, ref seen)) return false;
                switch (property)
                {
                    case 0:
                        if (!StringOrNull(out var reporter)) return false;
                        body.Reporter = reporter;
                        break;
                    case 1:
                        if (!StringOrNull(out var period)) return false;
                        body.Period = period;
                        break;
                    case 2:
                        if (!StringOrNull(out var catalogue)) return false;
                        body.Catalogue = catalogue;
                        break;
                    case 3:
                        if (Null()) body.Values = null;
                        else if (Values(out var values)) body.Values = values;
                        else return false;
                        break;
                    default:
                        if (Null()) body.ExpectedRevision = null;
                        else if (Whole(out var revision) && revision <= int.MaxValue) body.ExpectedRevision = (int)revision;
                        else return false;
                        break;
                }
                SkipSpace();
            }
            while (Take((byte)','));
            if (!Take((byte)'}')) return false;
        }
        SkipSpace();
        return at == json.Length;
    }

    private bool Values(out List<ValueItem?> values)
    {
        values = null!;
        if (!Take((byte)'[')) return false;
        var list = new List<ValueItem?>(SubmissionBodyReader.Capacity(json.Length - at));
        SkipSpace();
        if (!Take((byte)']'))
        {
            do
            {
                SkipSpace();
                if (!Item(out var item)) return false;
                list.Add(item);
                SkipSpace();
            }
            while (Take((byte)','));
            if (!Take((byte)']')) return false;
        }
        values = list;
        return true;
    }

    private bool Item(out ValueItem item)
    {
        item = new ValueItem();
        if (!Take((byte)'{')) return false;
        SkipSpace();
        if (Take((byte)'}')) return true;
        var seen = 0;
        do
        {
            SkipSpace();
            // A name as a serializer writes it compactly (quote, name, quote, colon) is matched whole, in one comparison,
            // the one name its first letter allows; a name spaced from its colon is read the long way.
            var property = At(1) switch
            {
                (byte)'c' when TakeLiteral("\"code\":"u8) => 0,
                (byte)'v' when TakeLiteral("\"value\":"u8) => 1,
                (byte)'u' when TakeLiteral("\"unit\":"u8) => 2,
                _ => -1,
            };
            if (property < 0)
            {
                if (!PropertyName(out var name)) return false;
                property = name.SequenceEqual("code"u8) ? 0 : name.SequenceEqual("value"u8) ? 1 : name.SequenceEqual("unit"u8) ? 2 : -1;
            }
            SkipSpace();
            if (!FirstTime(property, ref seen)) return false;
            switch (property)
            {
                case 0:
                    if (!StringOrNull(out var code, ref codes)) return false;
                    item.Code = code;
                    break;
                case 1:
                    if (Null()) item.Value = null;
                    else if (Whole(out var value)) item.Value = value;
                    else return false;
                    break;
                default:
                    if (!StringOrNull(out var unit, ref units)) return false;
                    item.Unit = unit;
                    break;
            }
            SkipSpace();
        }
        while (Take((byte)','));
        return Take((byte)'}');
    }

    /// <summary>
    /// Whether <paramref name="property"/> (an index, or -1 for a name the scanner does not take) is known and not yet
    /// <paramref name="seen"/>; marks it seen. An unknown or repeated property is left to the serializer.
    /// </summary>
    private static bool FirstTime(int property, ref int seen)
    {
        if (property < 0 || (seen & (1 << property)) != 0) return false;
        seen |= 1 << property;
        return true;
    }

    /// <summary>A property name and its colon; the name as raw bytes, declined if it holds an escape.</summary>
    private bool PropertyName(out ReadOnlySpan<byte> name)
    {
        if (!Quoted(out name, out _)) return false;
        SkipSpace();
        if (!Take((byte)':')) return false;
        SkipSpace();
        return true;
    }

    private bool StringOrNull(out string? value)
    {
        value = null;
        if (Null()) return true;
        if (!Quoted(out var text, out var ascii) || (!ascii && !Utf8.IsValid(text))) return false;
        value = Encoding.UTF8.GetString(text);
        return true;
    }

    /// <summary>A string or null, the string one of those every table repeats, shared (the next of <paramref name="cursor"/>'s sequence).</summary>
    private bool StringOrNull(out string? value, ref SharedStrings.Cursor cursor)
    {
        value = null;
        if (Null()) return true;
        if (!Quoted(out var text, out var ascii) || (!ascii && !Utf8.IsValid(text))) return false;
        value = SharedStrings.Codes.Get(text, ref cursor);
        return true;
    }

    /// <summary>A string without escapes (a backslash declines it, as does a control character, which JSON forbids).</summary>
    private bool Quoted(out ReadOnlySpan<byte> text, out bool ascii)
    {
        text = default;
        ascii = true;
        if (!Take((byte)'"')) return false;
        var start = at;
        while (true)
        {
            if (at >= json.Length) return false;
            var b = json[at];
            if (b == (byte)'"') break;
            if (b < 0x20 || b == (byte)'\\') return false;
            if (b >= 0x80) ascii = false;
            at++;
        }
        text = json[start..at];
        at++;
        return true;
    }

    /// <summary>
    /// A whole number of at most 18 digits, without a sign: <c>0</c> or a digit 1–9 and more digits, then not a fraction,
    /// an exponent or another digit (a leading zero is not JSON). As a decimal it has scale 0, as the serializer reads it.
    /// </summary>
    private bool Whole(out long value)
    {
        value = 0;
        var start = at;
        if (at < json.Length && json[at] == (byte)'0') at++;
        else
            while (at < json.Length && json[at] - (uint)'0' <= 9)
            {
                if (at - start == 18) return false;
                value = value * 10 + (json[at++] - '0');
            }
        return at > start && (at == json.Length || json[at] is not ((>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'e' or (byte)'E'));
    }

    private bool TakeLiteral(ReadOnlySpan<byte> literal)
    {
        if (!json[at..].StartsWith(literal)) return false;
        at += literal.Length;
        return true;
    }

    private bool Null()
    {
        if (At(0) != (byte)'n' || !json[at..].StartsWith("null"u8)) return false;
        at += 4;
        return true;
    }

    /// <summary>The byte <paramref name="ahead"/> of the position, or 0 past the end (0 is no byte the scanner takes).</summary>
    private readonly byte At(int ahead) => (uint)(at + ahead) < (uint)json.Length ? json[at + ahead] : (byte)0;

    private bool Take(byte b)
    {
        if (at >= json.Length || json[at] != b) return false;
        at++;
        return true;
    }

    private void SkipSpace()
    {
        while (at < json.Length && json[at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') at++;
    }
}
