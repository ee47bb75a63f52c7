using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Logs, traces and metrics. Logs are JSON lines with the request id in scope; traces and metrics are exported
/// over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured, and cost nothing otherwise.
/// </summary>
public static class Telemetry
{
    public const string Name = "Disclosure";
    private static readonly Meter Meter = new(Name);

    /// <summary>Accepted submissions (tag <c>outcome</c>: created or replayed).</summary>
    public static readonly Counter<long> SubmissionsAccepted =
        Meter.CreateCounter<long>("disclosure.submissions.accepted", "{submission}", "Submissions stored (or replayed) with 201.");

    /// <summary>Refused submissions, one increment per broken rule (tag <c>rule</c>), so a dashboard sees which rules reporters trip over.</summary>
    public static readonly Counter<long> SubmissionsRefused =
        Meter.CreateCounter<long>("disclosure.submissions.refused", "{violation}", "Rule violations that made a submission be refused, by rule id.");

    public static WebApplicationBuilder AddDisclosureTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            // Names and comments as written (古邵镇, 'id'), not as \u53E4\u90B5\u9547 and \u0027: people read these lines, the audit
            // log's above all. The lines go to a terminal or a log store, never into HTML, so only JSON's own escapes are needed.
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });

        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint)) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "disclosure-api"))
            .WithTracing(t => t.AddSource(Name).AddAspNetCoreInstrumentation().AddOtlpExporter())
            .WithMetrics(m => m.AddMeter(Name).AddAspNetCoreInstrumentation().AddOtlpExporter());
        return builder;
    }

    /// <summary>Every response carries the request id that the log lines of that request carry.</summary>
    public static WebApplication UseRequestId(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
            return next(context);
        });
        return app;
    }
}
