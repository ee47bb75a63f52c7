using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Response compression (gzip and brotli, the framework's middleware) of what the API and pages answer as text: JSON,
/// problems, CSV, HTML and the pages' script and styles.
/// Two kinds of answer are left alone: one that carries a secret (the key-issuing POST, marked <see cref="Off"/>), since a
/// compressed secret beside text an attacker chooses leaks through its length (BREACH); and the aggregates, which
/// <see cref="Features.Aggregates.AggregateResponder"/> gzips itself, once per version of a table, under an ETag of its own.
/// </summary>
public static class Compression
{
    /// <summary>Endpoint metadata: never compress this endpoint's answers.</summary>
    public static readonly object Off = new NotCompressed();

    /// <summary>
    /// The media types compressed: the API's text, and the pages' (app.js and app.css among them). A page's
    /// file keeps the ETag the static files give it, and a request that sends it back is answered 304 with no body.
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

    /// <summary>Leaves this request's answer uncompressed by the middleware (an answer that compresses itself).</summary>
    public static void Skip(HttpContext context) => context.Features.Set(new NotCompressed());

    private sealed class NotCompressed;

    /// <summary>The framework's provider, but nothing for an endpoint marked <see cref="Off"/> or a request <see cref="Skip"/>ped.</summary>
    private sealed class Provider(IServiceProvider services, IOptions<ResponseCompressionOptions> options) : IResponseCompressionProvider
    {
        private readonly ResponseCompressionProvider framework = new(services, options);

        public ICompressionProvider? GetCompressionProvider(HttpContext context) => framework.GetCompressionProvider(context);

        public bool ShouldCompressResponse(HttpContext context) =>
            context.Features.Get<NotCompressed>() is null
            && context.GetEndpoint()?.Metadata.GetMetadata<NotCompressed>() is null
            && framework.ShouldCompressResponse(context);

        public bool CheckRequestAcceptsCompression(HttpContext context) => framework.CheckRequestAcceptsCompression(context);
    }
}
