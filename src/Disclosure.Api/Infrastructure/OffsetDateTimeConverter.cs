using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A date-time a client sends must say its offset (RFC 3339, as the document's <c>format: date-time</c> declares):
/// <c>2016-01-31</c> or <c>2016-01-31T17:00:00</c> would otherwise be taken in the server's own time zone (UTC in a
/// container), eight hours away from the China time the clerk meant. Written as the serializer writes it by default.
/// </summary>
public sealed class OffsetDateTimeConverter : JsonConverter<DateTimeOffset>
{
    internal const string NoOffset = "The value must be a date-time with its offset.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // One rule for a body and a query: RFC 3339 lets t and z be written in lower case, which the reader's own parse refuses.
        if (reader.TokenType != JsonTokenType.String || !TryParse(reader.GetString(), out var value)) throw new JsonException(NoOffset);
        return value;
    }

    /// <summary>A date-time with its offset as RFC 3339 writes it (seconds and fractions optional; up to 9 fraction digits, as Go's RFC3339Nano writes).</summary>
    public const string Rfc3339Pattern = @"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    /// <summary>
    /// The same rule for a date-time in a query (<c>?sentAt=</c>): RFC 3339 with its offset, read as written; anything else,
    /// a date alone or a time without an offset included, is false.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && System.Text.RegularExpressions.Regex.IsMatch(text, Rfc3339Pattern)
            && DateTimeOffset.TryParse(Within100Ns(text), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out value);
    }

    /// <summary>
    /// The time kept to the 100 ns a <see cref="DateTimeOffset"/> holds: the eighth and ninth fraction digits are dropped, not
    /// rounded, so that a deadline of 23:59:59.999999999 stays in its day.
    /// </summary>
    private static string Within100Ns(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(\.[0-9]{7})[0-9]{1,2}(?=[Zz+-])", "$1");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>
    /// A time in a message's text as the body writes it (RFC 3339, the fraction without its trailing zeros), to the millisecond as
    /// the stores keep every time: "O" would print seven fraction digits, <c>15:02:15.0000000+00:00</c>, where the body says
    /// <c>15:02:15+00:00</c>.
    /// </summary>
    public static string Text(DateTimeOffset value) =>
        Disclosure.Storage.StoredTime.Of(value).ToOffset(value.Offset)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", System.Globalization.CultureInfo.InvariantCulture);
}
