using System.Text.Json;
using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Submissions;

/// <summary>
/// Writes a <see cref="SubmissionView"/>, the 201 body of every submission, property by property. System.Text.Json's
/// reflection converters for a view of the 2014 table (73 values) cost about 6 % of a submission's service CPU.
/// The bytes are those the serializer writes with the service's options (<see cref="Infrastructure.Json.Configure"/>):
/// the same names in declaration order, null properties left out, and every value through the same
/// <see cref="Utf8JsonWriter"/> method the serializer's converter calls, so that escaping and the formats of
/// decimals, dates and ids are the writer's own. SubmissionViewWriterTests holds it byte-equal to System.Text.Json.
/// </summary>
public static class SubmissionViewWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Reporter = JsonEncodedText.Encode("reporter");
    private static readonly JsonEncodedText Catalogue = JsonEncodedText.Encode("catalogue");
    private static readonly JsonEncodedText Period = JsonEncodedText.Encode("period");
    private static readonly JsonEncodedText Revision = JsonEncodedText.Encode("revision");
    private static readonly JsonEncodedText ReceivedAt = JsonEncodedText.Encode("receivedAt");
    private static readonly JsonEncodedText Values = JsonEncodedText.Encode("values");
    private static readonly JsonEncodedText Derived = JsonEncodedText.Encode("derived");
    private static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Unit = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText Codes = JsonEncodedText.Encode("codes");
    private static readonly JsonEncodedText Expected = JsonEncodedText.Encode("expected");
    private static readonly JsonEncodedText Actual = JsonEncodedText.Encode("actual");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText MessageZh = JsonEncodedText.Encode("messageZh");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Warning = JsonEncodedText.Encode("warning");

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Catalogue.Catalogue, CatalogueText> CellTexts = new();

    /// <summary>
    /// What an item of a catalogue's cell writes around its value, as the loop below writes it with the service's encoder:
    /// <c>{"code":"1.1","value":</c> and <c>,"unit":"条"}</c>.
    /// </summary>
    private sealed record CellText(JsonEncodedText Code, JsonEncodedText Unit, byte[] Before, byte[] After);

    /// <summary>A catalogue's cells' text, by cell index, and the most bytes an item of any of them takes with its comma.</summary>
    private sealed record CatalogueText(CellText[] Cells, int MaxItemLength);

    // A number as Utf8Formatter writes it takes at most 31 bytes (a decimal); 40 leaves room.
    private const int MaxNumberLength = 40;

    private static CatalogueText Encode(Catalogue.Catalogue catalogue)
    {
        CellText[] cells = [.. catalogue.Cells.Select(c =>
        {
            var code = JsonEncodedText.Encode(c.Code, Infrastructure.Json.Encoder);
            var unit = JsonEncodedText.Encode(c.Unit, Infrastructure.Json.Encoder);
            return new CellText(code, unit,
                [.. "{\"code\":\""u8, .. code.EncodedUtf8Bytes, .. "\",\"value\":"u8],
                [.. ",\"unit\":\""u8, .. unit.EncodedUtf8Bytes, .. "\"}"u8]);
        })];
        return new CatalogueText(cells, cells.Select(c => c.Before.Length + c.After.Length).DefaultIfEmpty().Max() + 1 + MaxNumberLength);
    }

    /// <summary>Writes <paramref name="dto"/> if it is a <see cref="SubmissionView"/>, or returns false to leave it to the serializer.</summary>
    public static bool TryWrite(Utf8JsonWriter writer, object dto, JsonSerializerOptions options)
    {
        if (dto is not SubmissionView view) return false;
        Write(writer, view, options);
        return true;
    }

    public static void Write(Utf8JsonWriter writer, SubmissionView view, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(Id, view.Id);
        WriteString(writer, Reporter, view.Reporter);
        WriteString(writer, Catalogue, view.Catalogue);
        WriteString(writer, Period, view.Period);
        writer.WriteNumber(Revision, view.Revision);
        writer.WriteString(ReceivedAt, view.ReceivedAt);
        if (view.Values is TableItems items) WriteItems(writer, items, options);
        else if (view.Values is { } values)
        {
            writer.WriteStartArray(Values);
            foreach (var item in values)
            {
                if (item is null) { writer.WriteNullValue(); continue; }
                writer.WriteStartObject();
                WriteString(writer, Code, item.Code);
                if (item.Value is { } value) WriteNumber(writer, Value, value);
                WriteString(writer, Unit, item.Unit);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteStrings(writer, Derived, view.Derived);
        if (view.Warnings is { } warnings)
        {
            writer.WriteStartArray(Warnings);
            foreach (var warning in warnings) WriteViolation(writer, warning, options);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    // What the loop above writes for each item, read from the stored values and their cells. A cell's code is the code it
    // was found by and its unit the item's unit, so their text encoded once with the service's encoder is the same bytes;
    // when every value has its cell, the array is put together from those bytes and the numbers alone are formatted.
    private static void WriteItems(Utf8JsonWriter writer, TableItems items, JsonSerializerOptions options)
    {
        var texts = items.Catalogue is { } catalogue && ReferenceEquals(options.Encoder, Infrastructure.Json.Encoder)
            ? CellTexts.GetValue(catalogue, Encode)
            : null;
        if (texts is not null && TryWriteItemsRaw(writer, items, texts)) return;
        var cellTexts = texts?.Cells;
        writer.WriteStartArray(Values);
        for (var k = 0; k < items.Count; k++)
        {
            var stored = items.Stored(k);
            var cell = items.Cell(k);
            writer.WriteStartObject();
            if (cellTexts is not null && cell is not null) writer.WriteString(Code, cellTexts[cell.Index].Code);
            else WriteString(writer, Code, stored.Code);
            WriteNumber(writer, Value, stored.Value);
            if (cellTexts is not null && cell is not null) writer.WriteString(Unit, cellTexts[cell.Index].Unit);
            else WriteString(writer, Unit, cell?.Unit);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    // The bytes the loop writes, with each number formatted as Utf8JsonWriter formats it (Utf8Formatter, as a long for a
    // whole decimal, as WriteNumber writes it). Declines, having written nothing, if a value has no cell.
    private static bool TryWriteItemsRaw(Utf8JsonWriter writer, TableItems items, CatalogueText catalogueText)
    {
        if (!items.EveryCell) return false;
        var texts = catalogueText.Cells;
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(2 + items.Count * catalogueText.MaxItemLength);
        try
        {
            var at = 0;
            rented[at++] = (byte)'[';
            for (var k = 0; k < items.Count; k++)
            {
                if (k > 0) rented[at++] = (byte)',';
                var text = texts[items.Cell(k)!.Index];
                text.Before.CopyTo(rented, at);
                at += text.Before.Length;
                var value = items.Stored(k).Value;
                var formatted = IsWhole(value, out var whole)
                    ? System.Buffers.Text.Utf8Formatter.TryFormat(whole, rented.AsSpan(at), out var written)
                    : System.Buffers.Text.Utf8Formatter.TryFormat(value, rented.AsSpan(at), out written);
                if (!formatted) throw new InvalidOperationException($"The value {value} did not fit the buffer sized for it.");
                at += written;
                text.After.CopyTo(rented, at);
                at += text.After.Length;
            }
            rented[at++] = (byte)']';
            writer.WritePropertyName(Values);
            writer.WriteRawValue(rented.AsSpan(0, at), skipInputValidation: true);
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteViolation(Utf8JsonWriter writer, Violation? violation, JsonSerializerOptions options)
    {
        if (violation is null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        WriteString(writer, Rule, violation.Rule);
        writer.WritePropertyName(SeverityName);
        switch (violation.Severity)
        {
            case Severity.Error: writer.WriteStringValue(Error); break;
            case Severity.Warning: writer.WriteStringValue(Warning); break;
            // A value without a name: whatever the enum converter does with it (it refuses to write a number).
            default: JsonSerializer.Serialize(writer, violation.Severity, options); break;
        }
        WriteStrings(writer, Codes, violation.Codes);
        WriteString(writer, Expected, violation.Expected);
        WriteString(writer, Actual, violation.Actual);
        WriteString(writer, Message, violation.Message);
        WriteString(writer, MessageZh, violation.MessageZh);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A decimal as the serializer writes it. A whole number (scale 0, as counts are) is written by the integer formatter,
    /// which writes the same digits (a negative zero too: both write 0) in a fraction of the time.
    /// </summary>
    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, decimal value)
    {
        if (IsWhole(value, out var whole))
            writer.WriteNumber(name, whole);
        else
            writer.WriteNumber(name, value);
    }

    private static bool IsWhole(decimal value, out long whole)
    {
        var isWhole = value.Scale == 0 && value is >= long.MinValue and <= long.MaxValue;
        whole = isWhole ? (long)value : 0;
        return isWhole;
    }

    // Null properties are left out (WhenWritingNull); null items of a list are written, as the serializer does.
    private static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? values)
    {
        if (values is null) return;
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
