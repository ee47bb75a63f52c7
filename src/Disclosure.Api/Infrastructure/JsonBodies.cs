using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// FastEndpoints' request deserializer and response serializer, with the same wire behaviour as its defaults
/// (<c>ReadFromJsonAsync</c>, <c>WriteAsJsonAsync</c>) but synchronous over a buffered body. The async
/// serializer runs every converter in its resumable mode, which cost a submission about twice the CPU of the
/// plain mode; bodies are capped at 1 MiB (<see cref="RequestLimits"/>), so buffering one whole is cheap.
/// </summary>
public static class JsonBodies
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static async ValueTask<object?> ReadAsync(HttpRequest request, Type type, JsonSerializerOptions options, BodyReader[] readers, CancellationToken ct)
    {
        // Other charsets need the transcoding stream ASP.NET sets up; they are rare enough to take its path.
        if (!IsUtf8(request.ContentType)) return await request.ReadFromJsonAsync(type, options, ct);

        var reader = request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(ct);
            if (result.IsCompleted || result.IsCanceled) break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        if (result.IsCanceled) throw new OperationCanceledException(ct);
        var body = result.Buffer;
        try
        {
            return Deserialize(body, type, options, readers);
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }

    private static object? Deserialize(ReadOnlySequence<byte> body, Type type, JsonSerializerOptions options, BodyReader[] readers)
    {
        if (body.IsSingleSegment) return Deserialize(body.FirstSpan, type, options, readers);
        var length = checked((int)body.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Deserialize(rented.AsSpan(0, length), type, options, readers);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A reader for one kind of body that may decline (false), leaving the body to the serializer.</summary>
    public delegate bool BodyReader(ReadOnlySpan<byte> json, Type type, out object? body);

    // The stream reader ASP.NET uses skips a UTF-8 byte order mark; the span reader does not.
    private static object? Deserialize(ReadOnlySpan<byte> json, Type type, JsonSerializerOptions options, BodyReader[] readers)
    {
        if (json.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
        foreach (var reader in readers)
            if (reader(json, type, out var body)) return body;
        return JsonSerializer.Deserialize(json, type, options);
    }

    private static bool IsUtf8(string? contentType)
    {
        if (contentType is null || !contentType.Contains("charset", StringComparison.OrdinalIgnoreCase)) return true;
        return MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A writer for one kind of response body that may decline (false, having written nothing), leaving it to the serializer.</summary>
    public delegate bool BodyWriter(Utf8JsonWriter writer, object dto, JsonSerializerOptions options);

    public static Task WriteAsync(HttpResponse response, object? dto, string contentType, JsonSerializerOptions options, BodyWriter[] writers, CancellationToken ct)
    {
        if (dto is null) return Task.CompletedTask;
        response.ContentType = WithCharset(contentType);
        var body = response.BodyWriter;
        using (var writer = new Utf8JsonWriter(body, WriterOptions(options)))
            Serialize(writer, dto, options, writers);
        return body.FlushAsync(ct).AsTask();
    }

    private static void Serialize(Utf8JsonWriter writer, object dto, JsonSerializerOptions options, BodyWriter[] writers)
    {
        foreach (var bodyWriter in writers)
            if (bodyWriter(writer, dto, options)) return;
        JsonSerializer.Serialize(writer, dto, dto.GetType(), options);
    }

    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        MaxDepth = options.MaxDepth,
        SkipValidation = true,
    };

    // What FastEndpoints appends with its default CharacterEncoding (utf-8), which this service keeps.
    private static string WithCharset(string contentType) => contentType switch
    {
        "application/json" => "application/json; charset=utf-8",
        "application/problem+json" => "application/problem+json; charset=utf-8",
        _ => contentType + "; charset=utf-8",
    };

    /// <summary>Installs both on FastEndpoints' serializer settings, with readers and writers for particular bodies tried first.</summary>
    public static void Use(FastEndpoints.SerializerOptions serializer, BodyReader[] bodyReaders, BodyWriter[] bodyWriters)
    {
        serializer.RequestDeserializer = (request, type, context, ct) => ReadAsync(request, type, context?.Options ?? serializer.Options, bodyReaders, ct);
        serializer.ResponseSerializer = (response, dto, contentType, context, ct) => WriteAsync(response, dto, contentType, context?.Options ?? serializer.Options, bodyWriters, ct);
    }
}
