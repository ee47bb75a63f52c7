using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// FastEndpoints' request deserializer and response serializer (its <c>SerializerOptions</c> hooks), with the wire
/// behaviour of its defaults (<c>ReadFromJsonAsync</c>, <c>WriteAsJsonAsync</c>) but System.Text.Json's synchronous
/// mode over a whole body: the asynchronous mode runs every converter resumably, which is slower (perf/README.md).
/// Bodies are capped at 1 MiB (<see cref="RequestLimits"/>), so holding one whole is cheap.
/// </summary>
public static class JsonBodies
{
    public static void Use(FastEndpoints.SerializerOptions serializer)
    {
        serializer.RequestDeserializer = (request, type, context, ct) => ReadAsync(request, type, context?.Options ?? serializer.Options, ct);
        serializer.ResponseSerializer = (response, dto, contentType, context, ct) => WriteAsync(response, dto, contentType, context?.Options ?? serializer.Options, ct);
    }

    internal static async ValueTask<object?> ReadAsync(HttpRequest request, Type type, JsonSerializerOptions options, CancellationToken ct)
    {
        // A charset other than UTF-8 is read through a transcoding stream, as ReadFromJsonAsync does; that method would not
        // take the quoted form (charset="utf-16") that HTTP allows. One .NET cannot read is the client's error.
        // UTF-8 may be spelled utf8 or UTF_8, as some clients write it, and is read as it is.
        if (request.ContentType?.Contains("charset", StringComparison.OrdinalIgnoreCase) == true
            && (MediaTypeHeaderValue.TryParse(request.ContentType, out var media) ? HeaderUtilities.RemoveQuotes(media.Charset).ToString() : "") is var charset
            && !string.Equals(charset.Replace("-", "").Replace("_", ""), "utf8", StringComparison.OrdinalIgnoreCase))
        {
            var encoding = EncodingNamed(charset) ?? throw new BadHttpRequestException(
                $"本服务不能读取 Content-Type 中的字符集“{charset}”：请以 UTF-8 发送请求体。The charset '{charset}' of the Content-Type is not one this service reads; send the body as UTF-8.",
                StatusCodes.Status415UnsupportedMediaType);
            await using var utf8 = System.Text.Encoding.CreateTranscodingStream(request.Body, encoding, System.Text.Encoding.UTF8, leaveOpen: true);
            try
            {
                return NotNull(await JsonSerializer.DeserializeAsync(utf8, type, options, ct));
            }
            // Bytes the charset does not define: a UTF-8 body mislabelled gb18030, or a stray byte. Decoded with replacement they
            // would be stored as ? in a printed name; refused, the client hears it as a bad UTF-8 body is told.
            catch (System.Text.DecoderFallbackException e)
            {
                throw new NotInCharsetException(charset, e);
            }
        }
        var reader = request.BodyReader;
        ReadResult result;
        do
        {
            result = await reader.ReadAsync(ct);
            if (!result.IsCompleted) reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        } while (!result.IsCompleted && !result.IsCanceled);
        try
        {
            return Deserialize(result.Buffer, type, options);
        }
        finally
        {
            reader.AdvanceTo(result.Buffer.End);
        }
    }

    /// <summary>
    /// A body of JSON <c>null</c> is refused like any other body that is not the documented object: FastEndpoints would
    /// otherwise bind an empty request in its place, which for an update means clearing every field.
    /// </summary>
    private static object NotNull(object? body) => body ?? throw new JsonException(NullBody);

    /// <summary>The message of a body of JSON <c>null</c>, which <see cref="Json.Describe"/> words for the client.</summary>
    internal const string NullBody = "The body is JSON null, not the documented object.";

    /// <summary>A body with bytes its declared charset does not define, which <see cref="Json.Describe"/> words for the client.</summary>
    internal sealed class NotInCharsetException(string charset, System.Text.DecoderFallbackException e)
        : JsonException($"The body holds bytes its charset does not define: {charset}.", "$", null, null, e)
    {
        public string Charset { get; } = charset;
        /// <summary>The bytes as written in the message, <c>0xFF 0xFE</c>.</summary>
        public string Bytes { get; } = string.Join(' ', (e.BytesUnknown ?? []).Select(b => $"0x{b:X2}"));
    }

    private static System.Text.Encoding? EncodingNamed(string name)
    {
        try
        {
            return name.Length > 0
                ? System.Text.Encoding.GetEncoding(name, System.Text.EncoderFallback.ExceptionFallback, System.Text.DecoderFallback.ExceptionFallback)
                : null;
        }
        // A name it does not know (ArgumentException), or one it knows and will not read (NotSupportedException: UTF-7, disabled
        // as unsafe, or a code page the platform lacks): either way the client's charset, not a fault of the service.
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static object? Deserialize(System.Buffers.ReadOnlySequence<byte> body, Type type, JsonSerializerOptions options)
    {
        ReadOnlySpan<byte> json = body.IsSingleSegment ? body.FirstSpan : System.Buffers.BuffersExtensions.ToArray(body);
        // ReadFromJsonAsync skips a UTF-8 byte order mark; the span reader does not.
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        return NotNull(JsonSerializer.Deserialize(json, type, options));
    }

    private static Task WriteAsync(HttpResponse response, object? dto, string contentType, JsonSerializerOptions options, CancellationToken ct)
    {
        if (dto is null) return Task.CompletedTask;
        // Problems go out as application/problem+json alone, as every other problem writer sends them: like JSON's, that media type defines no charset.
        response.ContentType = contentType == Problems.ContentType ? contentType : contentType + "; charset=utf-8";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented }))
            JsonSerializer.Serialize(writer, dto, dto.GetType(), options);
        return response.BodyWriter.FlushAsync(ct).AsTask();
    }
}
