using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>
/// An aggregate written out in one format, with its ETag (strong, over the exact bytes), and gzipped on first demand; a file
/// (CSV, xlsx) with its <c>Content-Disposition</c>.
/// </summary>
public sealed record RenderedAggregate(byte[] Bytes, string ContentType, string ETag, string? Disposition)
{
    private readonly Lazy<byte[]> gzipped = new(() =>
    {
        using var buffer = new MemoryStream(Bytes.Length / 4);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(Bytes);
        return buffer.ToArray();
    });

    /// <summary>The same bytes gzipped: a cached table is compressed once per version rather than once per response.</summary>
    public byte[] Gzipped => gzipped.Value;

    /// <summary>The strong ETag of the gzipped representation: a different byte sequence needs a different tag.</summary>
    public string GzipETag => ETag[..^1] + "-gzip\"";
}

/// <summary>
/// Writes an aggregate in the negotiated format with a strong ETag over the exact bytes, so that a dashboard can
/// poll with If-None-Match and get 304 until a submission changes the table.
/// </summary>
public static class AggregateResponder
{
    /// <summary>The printable page's Content-Security-Policy: it shows names the office typed, so it runs no script and loads nothing.</summary>
    public const string PrintablePagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    /// <summary>
    /// <paramref name="json"/> as the JSON, or its <paramref name="printout"/> as CSV, xlsx or HTML; a CSV or xlsx is sent as
    /// the file <paramref name="fileName"/> with the format's extension.
    /// </summary>
    internal static RenderedAggregate Render<T>(T json, Func<Exports.Printout>? printout, DownloadName? fileName, ExportFormat kind)
    {
        var p = kind == ExportFormat.Json ? null : (printout ?? throw new ArgumentException("Only JSON is written without a printout.", nameof(printout)))();
        var (bytes, contentType, extension) = kind switch
        {
            ExportFormat.Csv => (Exports.ToCsv(p!), Exports.Csv + "; charset=utf-8", "csv"),
            ExportFormat.Xlsx => (Exports.ToXlsx(p!), Exports.Xlsx, "xlsx"),
            ExportFormat.Html => (System.Text.Encoding.UTF8.GetBytes(Exports.ToHtml(p!)), Exports.Html + "; charset=utf-8", "html"),
            _ => (JsonSerializer.SerializeToUtf8Bytes(json, Json.Options), "application/json; charset=utf-8", "json"),
        };
        // Every format, xlsx included (XlsxPackage), is the same bytes for the same table, so the tag is strong.
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}-{extension}\"";
        return new RenderedAggregate(bytes, contentType, etag, kind is ExportFormat.Csv or ExportFormat.Xlsx && fileName is not null ? fileName.Disposition(extension) : null);
    }

    /// <summary>A read that is written as JSON alone, with the tables' strong ETag and gzip.</summary>
    internal static RenderedAggregate JsonOnly<T>(T json) => Render(json, null, null, ExportFormat.Json);

    public static IResult Respond(HttpContext context, RenderedAggregate rendered)
    {
        // xlsx is a zip package already: compressing it again gains nothing.
        var gzip = rendered.ContentType != Exports.Xlsx && context.Request.GetTypedHeaders().AcceptEncoding
            .Any(e => (e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || e.Value == "*") && e.Quality != 0);
        var etag = gzip ? rendered.GzipETag : rendered.ETag;
        // Compressed here, once per version and under its own tag, so the middleware leaves it alone (Infrastructure/Compression).
        Compression.Skip(context);
        context.Response.Headers.Vary = $"{HeaderNames.Accept}, {HeaderNames.AcceptEncoding}";
        if (ConditionalReads.Unchanged(context, etag)) return ConditionalReads.NotModified();
        if (rendered.Disposition is not null)
            context.Response.Headers.ContentDisposition = rendered.Disposition;
        if (rendered.ContentType.StartsWith(Exports.Html, StringComparison.Ordinal))
        {
            context.Response.Headers.ContentSecurityPolicy = PrintablePagePolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
        }
        if (!gzip) return TypedResults.Bytes(rendered.Bytes, rendered.ContentType);
        context.Response.Headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(rendered.Gzipped, rendered.ContentType);
    }
}
