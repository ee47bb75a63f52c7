using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Disclosure.Api.Infrastructure;

public static class Json
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// The service's wire format: camelCase names, enums as camelCase strings (read as written), numbers as JSON numbers only, and nothing
    /// the contract does not define: a property no schema names (<c>KIND</c> for <c>kind</c> included), or one given twice, is
    /// refused rather than ignored.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.PropertyNameCaseInsensitive = false;
        options.AllowDuplicateProperties = false;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        // Chinese names and messages go out as written, not as \uXXXX escapes; HTML-sensitive characters stay escaped.
        options.Encoder = Encoder;
        options.Converters.Add(new EnumNameConverter());
        options.Converters.Add(new OffsetDateTimeConverter());
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(OnlyBodyMembers);
        return options;
    }

    /// <summary>
    /// A request property FastEndpoints binds from the query or a header (<c>[QueryParam]</c>, <c>[FromHeader]</c>) is not a
    /// member of the JSON body: sent there, it is refused as any other unknown member, instead of standing in for the parameter.
    /// </summary>
    private static void OnlyBodyMembers(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
            if (type.Properties[i].AttributeProvider?.IsDefined(typeof(FastEndpoints.NonJsonBindingAttribute), inherit: true) == true)
                type.Properties.RemoveAt(i);
    }

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Turns a serializer path such as <c>$.values[2].value</c> into the field name a client sent (<c>values[2].value</c>).</summary>
    public static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>
    /// The service's enums as the serializer's messages name them (<c>Disclosure.Catalogue.ParentRelation</c>), each with the
    /// values a client may send, as the serializer writes them (<c>sum-member</c>, <c>department</c>), listed as a query's are.
    /// </summary>
    private static readonly Dictionary<string, string> EnumValues =
        new[] { typeof(Json).Assembly, typeof(Disclosure.Catalogue.Catalogue).Assembly, typeof(Disclosure.Storage.Submission).Assembly }
            .SelectMany(a => a.GetExportedTypes()).Where(t => t.IsEnum)
            .ToDictionary(t => t.FullName!, t => string.Join(", ", EnumNameConverter.Names(t)));

    /// <summary>What a client did wrong, in its own terms: the field and the JSON type it should have sent.</summary>
    public static string Describe(JsonException ex)
    {
        var field = FieldName(ex.Path);
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return $"{field} is not a property of this request: the body may hold only the properties the API documents.";
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return $"{field} is given more than once: each property may appear once.";
        // Valid JSON, but not the object every body is.
        if (message == JsonBodies.NullBody)
            return "body must be a JSON object, not null.";
        if (message.StartsWith(ExactDecimalConverter.NotANumber, StringComparison.Ordinal))
            return $"{field} must be a JSON number or null.";
        // "JSON deserialization for type '…' was missing required properties including: 'title', 'units'."
        const string missing = "missing required properties including: ";
        if (message.IndexOf(missing, StringComparison.Ordinal) is var at and >= 0)
            return $"{field} lacks the required properties {message[(at + missing.Length)..].Split(" Path:")[0].TrimEnd('.', ' ')}.";
        // "Cannot read incomplete UTF-16 JSON text as string…" (an escaped lone surrogate), "Cannot transcode invalid UTF-8 JSON text…".
        if (ex.InnerException is InvalidOperationException inner && inner.Message.Contains(" UTF-", StringComparison.Ordinal))
            return $"{field} is not valid Unicode text: it holds half of a surrogate pair (such as \\ud800 alone) or bytes that are not UTF-8.";
        if (message.Contains("too large", StringComparison.Ordinal))
            return $"{field} is too large a number.";
        string? expected =
            message.StartsWith(OffsetDateTimeConverter.NoOffset, StringComparison.Ordinal) ? "a date-time string with its UTC offset, such as 2016-01-31T23:59:59+08:00 or 2016-01-31T15:59:59Z" :
            message.Contains("System.Int32", StringComparison.Ordinal) ? "a whole number written without a fraction or exponent, such as 3" :
            message.Contains("System.Decimal", StringComparison.Ordinal) ? "a JSON number" :
            // A list of strings names System.String too: it is an array first.
            message.Contains("System.Collections.Generic.", StringComparison.Ordinal) ? "a JSON array" :
            message.Contains("System.String", StringComparison.Ordinal) ? "a JSON string" :
            EnumValues.Where(e => message.Contains(e.Key, StringComparison.Ordinal)).OrderByDescending(e => e.Key.Length).Select(e => e.Value).FirstOrDefault() is { } values ? $"one of {values}" :
            message.Contains("Disclosure.", StringComparison.Ordinal) ? "a JSON object" : null;
        return expected is null
            ? $"{field}: the body is not valid JSON or does not have the documented shape."
            // A value of a list (an enum's) is named alone: whether null stands for it is the request's own rule, said when broken.
            : $"{field} must be {expected}" + (!message.Contains("Nullable", StringComparison.Ordinal) || expected.StartsWith("one of ", StringComparison.Ordinal) ? "."
                : expected.Contains(',', StringComparison.Ordinal) ? ", or null." : " or null.");
    }
}
