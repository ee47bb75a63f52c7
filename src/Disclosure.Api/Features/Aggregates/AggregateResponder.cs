using System.Security.Cryptography;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>
/// Writes an aggregate in the negotiated format with a strong ETag over the exact bytes, so that a dashboard can
/// poll with If-None-Match and get 304 until a submission changes the table. Nothing is cached on the server.
/// </summary>
public static class AggregateResponder
{
    public static IResult Respond(HttpContext context, AggregateTable table, Catalogue.Catalogue catalogue, string? format)
    {
        var kind = Exports.Negotiate(format, context.Request.Headers.Accept.ToString());
        var (bytes, contentType, extension) = kind switch
        {
            ExportFormat.Csv => (Exports.ToCsv(table, catalogue), Exports.Csv + "; charset=utf-8", "csv"),
            ExportFormat.Xlsx => (Exports.ToXlsx(table, catalogue), Exports.Xlsx, "xlsx"),
            ExportFormat.Html => (System.Text.Encoding.UTF8.GetBytes(Exports.ToHtml(table, catalogue)), Exports.Html + "; charset=utf-8", "html"),
            _ => (JsonSerializer.SerializeToUtf8Bytes(table, Json.Options), "application/json; charset=utf-8", "json"),
        };
        // xlsx packages carry timestamps, so its tag is taken over the JSON form of the same table.
        var tagSource = kind == ExportFormat.Xlsx ? JsonSerializer.SerializeToUtf8Bytes(table, Json.Options) : bytes;
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(tagSource))[..32]}-{extension}\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.Vary = HeaderNames.Accept;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch == "*" || ifNoneMatch.Split(',').Any(t => t.Trim() == etag)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (kind is ExportFormat.Csv or ExportFormat.Xlsx)
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{table.Catalogue}-{table.Period}.{extension}\"";
        return TypedResults.Bytes(bytes, contentType);
    }
}
