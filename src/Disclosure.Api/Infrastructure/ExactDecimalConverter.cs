using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Reads a JSON number as the exact decimal written. The serializer's own decimal reading rounds a number with more
/// digits than <see cref="decimal"/> holds (<c>2.99999999999999999999999999999</c> becomes 3, <c>1e-400</c> becomes 0),
/// and a rounded count or amount would be stored as something the client never sent; no serializer switch refuses it.
/// </summary>
/// <remarks>
/// A number with a fraction that no decimal holds exactly is read as one that keeps a fraction (its digits cut after the
/// 28th place, with at least the last place set), so the catalogue engine refuses it — a count by its rule
/// <c>integer</c>, an amount by its rule <c>decimals</c> — instead of receiving a whole number. A whole number too large
/// for a decimal is a 400.
/// </remarks>
public sealed class ExactDecimalConverter : JsonConverter<decimal?>
{
    private const int MaxScale = 28;

    /// <summary>The message of a value that is not a JSON number, which <see cref="Json.Describe"/> words for the client.</summary>
    internal const string NotANumber = "The value must be a JSON number or null.";

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException(NotANumber);
        // Nearly every value is a count written plainly, which a long holds exactly.
        if (!reader.HasValueSequence && reader.ValueSpan.IndexOfAny("eE."u8) < 0 && reader.TryGetInt64(out var whole)) return whole;
        var text = reader.HasValueSequence ? Encoding.ASCII.GetString(reader.ValueSequence) : Encoding.ASCII.GetString(reader.ValueSpan);
        return Parse(text) ?? throw new JsonException($"The number {text} is too large.");
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } v) writer.WriteNumberValue(v);
        else writer.WriteNullValue();
    }

    /// <summary>The decimal a valid JSON number stands for, as described above; null when its whole part does not fit.</summary>
    public static decimal? Parse(string number)
    {
        var negative = number.StartsWith('-');
        var body = negative ? number[1..] : number;
        var e = body.IndexOfAny(['e', 'E']);
        var exponent = e < 0 ? BigInteger.Zero : BigInteger.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? body : body[..e];
        var dot = mantissa.IndexOf('.');
        var digits = (dot < 0 ? mantissa : mantissa.Remove(dot, 1)).TrimStart('0');
        // value = digits × 10^scale
        var scale = exponent - (dot < 0 ? 0 : mantissa.Length - dot - 1);
        var trimmed = digits.TrimEnd('0');
        scale += digits.Length - trimmed.Length;
        if (trimmed.Length == 0) return 0m;

        var wholeDigits = trimmed.Length + scale;
        if (wholeDigits > 29) return null;
        if (scale >= 0) return Make(BigInteger.Parse(trimmed, CultureInfo.InvariantCulture) * BigInteger.Pow(10, (int)scale), 0, negative);
        if (-scale <= MaxScale && trimmed.Length <= MaxScale)
            return Make(BigInteger.Parse(trimmed, CultureInfo.InvariantCulture), (int)-scale, negative);

        // More places than a decimal keeps: cut after the 28th, keeping a fraction.
        var places = BigInteger.Min(-scale, MaxScale);
        var keep = (int)BigInteger.Max(0, trimmed.Length - (-scale - places));
        var cut = keep == 0 ? BigInteger.Zero : BigInteger.Parse(trimmed[..keep], CultureInfo.InvariantCulture);
        if (cut % BigInteger.Pow(10, (int)places) == 0) cut += 1;
        while (cut > MaxMantissa)
        {
            if (places == 1) return null;
            cut /= 10;
            places--;
            if (cut % BigInteger.Pow(10, (int)places) == 0) cut += 1;
        }
        return Make(cut, (int)places, negative);
    }

    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    private static decimal? Make(BigInteger mantissa, int scale, bool negative)
    {
        while (mantissa > MaxMantissa && scale > 0) { mantissa /= 10; scale--; }
        if (mantissa > MaxMantissa) return null;
        var bits = decimal.GetBits((decimal)mantissa);
        return new decimal(bits[0], bits[1], bits[2], negative, (byte)scale);
    }
}
