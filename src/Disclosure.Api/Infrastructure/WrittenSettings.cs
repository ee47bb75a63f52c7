using System.Text.RegularExpressions;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Settings the framework reads from their text where no options validation can see them, and either takes silently when they are
/// wrong or refuses without naming them: checked before the host is built (the log levels are read as it is built), each as the
/// framework reads it, and a wrong one stops the start in one line naming the setting, the value and what is allowed.
/// </summary>
internal static partial class WrittenSettings
{
    public static void Check(IConfiguration configuration)
    {
        if ((LogLevels(configuration) ?? Origins(configuration) ?? Otlp(configuration) ?? ForwardedHeaders(configuration)) is { } failure)
            throw new InvalidOperationException(failure);
    }

    // The framework's own refusal ("Configuration value 'Loud' is not supported.") names neither the setting nor the levels.
    private static string? LogLevels(IConfiguration configuration) => configuration.GetSection("Logging").AsEnumerable()
        .Where(s => LogLevelKey().IsMatch(s.Key) && !string.IsNullOrEmpty(s.Value) && !(Enum.TryParse(s.Value, true, out LogLevel level) && Enum.IsDefined(level)))
        .Select(s => $"{s.Key} is '{s.Value}'; it must be one of {string.Join(", ", Enum.GetNames<LogLevel>())}.").FirstOrDefault();

    // CORS compares the request's Origin, which a browser sends as scheme://host[:port] (no path, no closing /, no default port),
    // with each origin as written: any other never matches, and the dashboard is refused without a word. A lone * is CORS's own
    // "any origin" (which deployments may already use), but only as the one entry: beside others it matches nothing.
    private static string? Origins(IConfiguration configuration)
    {
        // Written as one value (Cors__AllowedOrigins=…), it is no list, and the framework reads none.
        if (configuration["Cors:AllowedOrigins"] is { Length: > 0 } one)
            return $"Cors:AllowedOrigins is '{one}'; it must be a list, written Cors__AllowedOrigins__0, Cors__AllowedOrigins__1, … (one origin each).";
        var origins = configuration.GetSection("Cors:AllowedOrigins").GetChildren().ToList();
        var wrong = origins.FirstOrDefault(o => !(o.Value == "*" && origins.Count == 1) && !IsOrigin(o.Value));
        return wrong is null ? null : $"{wrong.Path} is '{wrong.Value}'; it must be an origin as browsers send it, http(s)://host[:port] with no path, " +
            "no closing / and no default port (such as https://dashboard.example.gov.cn), or * alone for any origin.";
    }

    private static bool IsOrigin(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0 && string.Equals(uri.GetLeftPart(UriPartial.Authority), text, StringComparison.OrdinalIgnoreCase);

    // The OTLP exporter ignores an endpoint it cannot read as an absolute URI and sends to localhost:4317 instead.
    private static string? Otlp(IConfiguration configuration) =>
        configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { } endpoint && !string.IsNullOrWhiteSpace(endpoint)
            && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            ? $"OTEL_EXPORTER_OTLP_ENDPOINT is '{endpoint}'; it must be an absolute http or https URI (such as http://collector:4317), or unset."
            : null;

    // The framework turns forwarded headers on for "true" alone (any case) and reads every other value as off, "1" and "yes" too.
    private static string? ForwardedHeaders(IConfiguration configuration) =>
        configuration["ForwardedHeaders_Enabled"] is { Length: > 0 } enabled
            && !enabled.Equals("true", StringComparison.OrdinalIgnoreCase) && !enabled.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? $"ASPNETCORE_FORWARDEDHEADERS_ENABLED is '{enabled}'; it must be true or false."
            : null;

    /// <summary>Where the framework reads levels: Logging:LogLevel:… and a provider's Logging:&lt;provider&gt;:LogLevel:….</summary>
    [GeneratedRegex(@"^Logging:(?:[^:]+:)?LogLevel:", RegexOptions.IgnoreCase)]
    private static partial Regex LogLevelKey();
}
