using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Response compression (gzip and brotli, the framework's middleware) of what the API and pages answer as text: JSON,
/// problems, CSV, HTML and the pages' script and styles — a list of 500 reporters, the audit log, a template's answer, app.js
/// are a tenth to a quarter of their size compressed.
/// Two kinds of answer are left alone: one that carries a secret (the key-issuing POST, marked <see cref="Off"/>), since a
/// compressed secret beside text an attacker chooses leaks through its length (BREACH); and the aggregates, which
/// <see cref="Features.Aggregates.AggregateResponder"/> gzips itself, once per version of a table, under an ETag of its own.
/// </summary>
public static class Compression
{
    /// <summary>Endpoint metadata: never compress this endpoint's answers.</summary>
    public static readonly object Off = new NotCompressed();

    /// <summary>
    /// The media types compressed: the API's text, and the pages' (app.js, some 200 KB, and app.css among them). A page's
    /// file compressed answers with the ETag the static files give it made weak (<see cref="PageFile"/>), and a request that
    /// sends either tag back is answered 304 with no body (the static files compare If-None-Match weakly).
    /// </summary>
    public static readonly string[] MediaTypes = ["application/json", "application/problem+json", "text/csv", "text/html", "text/css", "text/javascript", "application/javascript"];

    public static IServiceCollection AddDisclosureCompression(this IServiceCollection services)
    {
        services.AddSingleton<IResponseCompressionProvider, Provider>(); // before AddResponseCompression's TryAdd
        return services
            .AddResponseCompression(o =>
            {
                // Off HTTPS by default (BREACH): on here, since every answer that carries a secret is marked Off, and a
                // reverse proxy that ends TLS in front of the service forwards plain HTTP anyway.
                o.EnableForHttps = true;
                o.Providers.Add<BrotliCompressionProvider>();
                o.Providers.Add<GzipCompressionProvider>();
                o.MimeTypes = MediaTypes;
            })
            .Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest)
            .Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
    }

    /// <summary>
    /// Before the static files: a page's file's weak tag sent back in If-None-Match (its compressed answer's) is read as the
    /// strong tag it weakens. If-None-Match compares weakly (RFC 9110 13.1.2), but the static files compare it strongly, and
    /// would answer a tag of their own 200 again. Only requests no endpoint answers: the API's ETags are its own to compare.
    /// </summary>
    public static IApplicationBuilder UseWeakIfNoneMatch(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request.Headers;
        if (context.GetEndpoint() is null && request.IfNoneMatch.ToString() is var tags && tags.Contains("W/\"", StringComparison.Ordinal))
            request.IfNoneMatch = tags.Replace("W/\"", "\"", StringComparison.Ordinal); // a tag holds no quote: W/" begins one
        return next(context);
    });

    /// <summary>Leaves this request's answer uncompressed by the middleware (an answer that compresses itself).</summary>
    public static void Skip(HttpContext context) => context.Features.Set(new NotCompressed());

    /// <summary>
    /// Marks a page's file (the static files' OnPrepareResponse, 200 and 304 alike): compressed, its strong ETag is made weak,
    /// since the compressed bytes are another representation than the file's, which must not share its strong tag (RFC 9110
    /// 8.8.3; the middleware leaves the ETag alone). Only the pages' files: the API's ETags are revisions, which If-Match
    /// compares strongly, the same whatever the encoding.
    /// </summary>
    public static void PageFile(HttpContext context)
    {
        context.Features.Set(new WeakWhenCompressed());
        // A 304 has no body, so the middleware never looks at it; it carries the tag the 200 would (RFC 9110 15.4.5).
        if (context.Response.StatusCode == StatusCodes.Status304NotModified
            && context.RequestServices.GetRequiredService<IResponseCompressionProvider>() is Provider ours)
            ours.WeakenIfCompressed(context);
    }

    private sealed class NotCompressed;

    private sealed class WeakWhenCompressed;

    /// <summary>The framework's provider, but nothing for an endpoint marked <see cref="Off"/> or a request <see cref="Skip"/>ped.</summary>
    private sealed class Provider(IServiceProvider services, IOptions<ResponseCompressionOptions> options) : IResponseCompressionProvider
    {
        private readonly ResponseCompressionProvider framework = new(services, options);

        public ICompressionProvider? GetCompressionProvider(HttpContext context) => framework.GetCompressionProvider(context);

        public bool ShouldCompressResponse(HttpContext context)
        {
            if (!Compresses(context)) return false;
            WeakenPageFileTag(context);
            return true;
        }

        /// <summary>What <see cref="ShouldCompressResponse"/> does to the tag, for a 304, which the middleware does not ask.</summary>
        public void WeakenIfCompressed(HttpContext context)
        {
            if (CheckRequestAcceptsCompression(context) && Compresses(context)) WeakenPageFileTag(context);
        }

        private bool Compresses(HttpContext context) =>
            context.Features.Get<NotCompressed>() is null
            && context.GetEndpoint()?.Metadata.GetMetadata<NotCompressed>() is null
            && framework.ShouldCompressResponse(context);

        /// <summary>A page's file's strong ETag made weak, when its answer is compressed: in an encoding of ours the request accepts.</summary>
        private void WeakenPageFileTag(HttpContext context)
        {
            var headers = context.Response.Headers;
            if (context.Features.Get<WeakWhenCompressed>() is not null && headers.ETag is [{ Length: > 0 } tag] && !tag.StartsWith("W/", StringComparison.Ordinal)
                && framework.GetCompressionProvider(context) is not null)
                headers.ETag = "W/" + tag;
        }

        public bool CheckRequestAcceptsCompression(HttpContext context) => framework.CheckRequestAcceptsCompression(context);
    }
}
