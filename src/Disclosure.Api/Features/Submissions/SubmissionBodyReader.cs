using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Disclosure.Api.Features.Submissions;

/// <summary>
/// Reads a well-formed submission body straight off the bytes, for the one body every reporter sends at a deadline.
/// It takes only the plain shape — the documented properties, each at most once, of the documented JSON types — and
/// declines everything else (an unknown or repeated property, a string where a number belongs, a null cell, invalid
/// JSON), so that System.Text.Json reads those and every error message stays its. What it does read comes out exactly
/// as the serializer would build it: the same names (case-insensitive, as the web defaults), the same decimal parsing.
/// </summary>
/// <remarks>
/// Two passes, the second only when the first declines: <see cref="SubmissionBodyScanner"/> for the form nearly every
/// client sends, then <see cref="Utf8JsonReader"/> for every other spelling of the plain shape. The serializer's general
/// converters cost a submission about 16 µs of CPU, Utf8JsonReader about 7 µs, the scanner about 2.
/// </remarks>
public static class SubmissionBodyReader
{
    private static readonly ConcurrentDictionary<Type, bool> PlainBodies = new();

    /// <summary>Reads <paramref name="json"/> as <paramref name="type"/>, or returns false to leave it to the serializer.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, Type type, out object? body)
    {
        body = null;
        if (!PlainBodies.GetOrAdd(type, IsPlainBody)) return false;
        var result = (SubmissionBody)Activator.CreateInstance(type)!;
        if (SubmissionBodyScanner.TryRead(json, result))
        {
            body = result;
            return true;
        }
        result = (SubmissionBody)Activator.CreateInstance(type)!;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !ReadBody(ref reader, json, result)) return false;
            // Anything after the object is the serializer's error to report.
            if (reader.Read()) return false;
        }
        // Invalid JSON throws JsonException; a string that is not valid UTF-16 (a lone surrogate escape) throws
        // InvalidOperationException from GetString. Both are the serializer's to report, as a 400.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
        body = result;
        return true;
    }

    // A subclass with JSON properties of its own would need them read too: such a type is left to the serializer.
    private static bool IsPlainBody(Type type) =>
        typeof(SubmissionBody).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null
        && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).All(p => p.DeclaringType == typeof(SubmissionBody));

    private static bool ReadBody(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, SubmissionBody body)
    {
        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject) return true;
            var property = reader.TokenType != JsonTokenType.PropertyName ? -1
                : reader.ValueTextEquals("reporter"u8) ? 0 : reader.ValueTextEquals("period"u8) ? 1 : reader.ValueTextEquals("catalogue"u8) ? 2
                : reader.ValueTextEquals("values"u8) ? 3 : reader.ValueTextEquals("expectedRevision"u8) ? 4
                : Property(ref reader, "reporter", "period", "catalogue", "values", "expectedRevision");
            if (property < 0 || (seen & (1 << property)) != 0 || !reader.Read()) return false;
            seen |= 1 << property;
            switch (property)
            {
                case 0 when TryString(ref reader, out var reporter): body.Reporter = reporter; break;
                case 1 when TryString(ref reader, out var period): body.Period = period; break;
                case 2 when TryString(ref reader, out var catalogue): body.Catalogue = catalogue; break;
                case 3:
                    if (reader.TokenType == JsonTokenType.Null) body.Values = null;
                    else if (reader.TokenType != JsonTokenType.StartArray
                             || !ReadValues(ref reader, body.Values = new List<ValueItem?>(Capacity(json.Length - reader.BytesConsumed)))) return false;
                    break;
                case 4:
                    if (reader.TokenType == JsonTokenType.Null) body.ExpectedRevision = null;
                    else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var revision)) body.ExpectedRevision = revision;
                    else return false;
                    break;
                default: return false;
            }
        }
        return false;
    }

    private static bool ReadValues(ref Utf8JsonReader reader, List<ValueItem?> values)
    {
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray) return true;
            if (reader.TokenType != JsonTokenType.StartObject) return false;
            var item = new ValueItem();
            var seen = 0;
            while (true)
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.EndObject) break;
                // The names as documented first (a byte comparison), then any other casing the web defaults allow.
                var property = reader.TokenType != JsonTokenType.PropertyName ? -1
                    : reader.ValueTextEquals("code"u8) ? 0 : reader.ValueTextEquals("value"u8) ? 1 : reader.ValueTextEquals("unit"u8) ? 2
                    : Property(ref reader, "code", "value", "unit");
                if (property < 0 || (seen & (1 << property)) != 0 || !reader.Read()) return false;
                seen |= 1 << property;
                switch (property)
                {
                    case 0 when TryCode(ref reader, out var code): item.Code = code; break;
                    case 1 when reader.TokenType == JsonTokenType.Null: item.Value = null; break;
                    case 1 when reader.TokenType == JsonTokenType.Number && TryNumber(ref reader, out var value): item.Value = value; break;
                    case 2 when TryString(ref reader, out var unit): item.Unit = unit; break;
                    default: return false;
                }
            }
            values.Add(item);
        }
        return false;
    }

    /// <summary>The index of the property name among <paramref name="names"/>, ignoring case as the web defaults do; -1 if none.</summary>
    private static int Property(ref Utf8JsonReader reader, params ReadOnlySpan<string> names)
    {
        if (reader.TokenType != JsonTokenType.PropertyName) return -1;
        Span<char> buffer = stackalloc char[32];
        var length = reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > buffer.Length
            ? -1
            : System.Text.Encoding.UTF8.GetChars(reader.ValueSpan, buffer);
        if (length < 0) return -1;
        for (var i = 0; i < names.Length; i++)
            if (MemoryExtensions.Equals(buffer[..length], names[i], StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>
    /// A number as <see cref="Utf8JsonReader.TryGetDecimal"/> reads it. Counts, nearly every value, are plain integers,
    /// which the integer parser reads in a fraction of the time; one written with a sign, fraction or exponent goes to the
    /// decimal parser (a leading minus too, so that <c>-0</c> keeps the sign the decimal parser gives it).
    /// </summary>
    private static bool TryNumber(ref Utf8JsonReader reader, out decimal value)
    {
        if (!reader.HasValueSequence && reader.ValueSpan is [>= (byte)'0' and <= (byte)'9', ..] && reader.TryGetInt64(out var integer))
        {
            value = integer;
            return true;
        }
        return reader.TryGetDecimal(out value);
    }

    /// <summary>
    /// Room for the items that <paramref name="bytes"/> of JSON can hold at about the shortest a cell is written
    /// (<c>{"code":"1.1","value":12}</c>), so that the list is allocated once instead of doubling its way up.
    /// </summary>
    internal static int Capacity(long bytes) => (int)Math.Clamp(bytes / 24, 4, SubmissionBody.ShapeValidator<SubmissionBody>.MaxValues);

    private static bool TryCode(ref Utf8JsonReader reader, out string? value)
    {
        // Invalid UTF-8 is left to GetString, which refuses it the way the serializer does.
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueIsEscaped || !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
            return TryString(ref reader, out value);
        value = SharedStrings.Codes.Get(reader.ValueSpan);
        return true;
    }

    private static bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        value = reader.GetString();
        return true;
    }
}
