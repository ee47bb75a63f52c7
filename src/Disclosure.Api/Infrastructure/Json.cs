using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Disclosure.Api.Infrastructure;

public static class Json
{
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
        // Text goes out as it reads (Chinese, the + of a time's offset, ', <), not as \uXXXX escapes, as ASP.NET Core writes its own
        // problems: every answer is JSON served with its JSON media type and nosniff, never HTML, so nothing needs escaping for a browser.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new EnumNameConverter());
        options.Converters.Add(new OffsetDateTimeConverter());
        // POST /v1/catalogues reads a catalogue document as the built-in files are read: null where it declares text is a 400 naming
        // the member, as one left out is. Every other request's null is read as before, for its validator to say what it means.
        options.RespectNullableAnnotations = true;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(OnlyBodyMembers)
            .WithAddedModifier(Disclosure.Catalogue.CatalogueRegistry.NullOnlyForDeclaredText);
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

    /// <summary>
    /// <see cref="Options"/> with the encoder the service used before its answers were written unescaped (HTML-sensitive
    /// characters and + as \uXXXX): what an Idempotency-Key's request is hashed with, so that a retry across an upgrade still replays.
    /// </summary>
    public static readonly JsonSerializerOptions Canonical = new(Options) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

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

    /// <summary>
    /// The 400's entry for a body the serializer refused: named by the field it is about — a required member left out by that
    /// member (<c>rules</c>, <c>units[0].name</c>), not by the object lacking it — and said by <see cref="Describe"/>.
    /// </summary>
    public static FluentValidation.Results.ValidationFailure Failure(JsonException ex)
    {
        var field = FieldName(ex.Path);
        if (MissingMembers(ex.Message) is not { } names) return new(field, Describe(ex));
        var first = names.Split(", ")[0].Trim('\'');
        return new(field == "body" ? first : $"{field}.{first}", Describe(ex));
    }

    /// <summary>The members a "missing required properties" message lists (<c>'title', 'units'</c>), or null for any other message.</summary>
    private static string? MissingMembers(string message)
    {
        // "JSON deserialization for type '…' was missing required properties including: 'title', 'units'."
        const string missing = "missing required properties including: ";
        return message.IndexOf(missing, StringComparison.Ordinal) is var at and >= 0
            ? message[(at + missing.Length)..].Split(" Path:")[0].TrimEnd('.', ' ') : null;
    }

    /// <summary>
    /// What a client did wrong, in its own terms: the field (its JSON path) and what it takes, in Chinese first and then in English, as
    /// every refusal a departmental system shows its users.
    /// </summary>
    public static string Describe(JsonException ex)
    {
        var (chinese, english) = Said(ex);
        return chinese + english;
    }

    private static (string Chinese, string English) Said(JsonException ex)
    {
        var field = FieldName(ex.Path);
        // The body itself is named as a person reads it, and by the name the errors entry carries.
        var zh = field == "body" ? "请求体（body）" : field + " ";
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return ($"{zh}不是本接口请求中的项：请求体只能含接口文档列出的项。",
                $"{field} is not a property of this request: the body may hold only the properties the API documents.");
        // RespectNullableAnnotations' "…doesn't allow setting null values…": a catalogue document's declared text (CatalogueRegistry.NullOnlyForDeclaredText).
        if (message.Contains("allow setting null values", StringComparison.Ordinal))
            return ($"{zh}须为 JSON 字符串，不能是 null。", $"{field} must be a JSON string, not null.");
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return ($"{zh}填了不止一次：每项只能出现一次。", $"{field} is given more than once: each property may appear once.");
        // Valid JSON, but not the object every body is.
        if (message == JsonBodies.NullBody)
            return ("请求体（body）须为 JSON 对象，不能是 null。", "body must be a JSON object, not null.");
        // No body at all, sent as JSON: "The input does not contain any JSON tokens."
        if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal) && field == "body")
            return ("请求体是空的：须为接口文档所述的 JSON 对象。", "The body is empty: send the JSON object the API documents.");
        if (ex is JsonBodies.NotInCharsetException { Charset: var charset, Bytes: var bytes })
            return ($"请求体不是有效的 {charset} 文本：含有该字符集中没有的字节（{bytes}）。请按 Content-Type 所写的字符集发送，或以 UTF-8 发送。",
                $"body is not valid {charset} text: it holds bytes that charset does not define ({bytes}). Send it in the charset the Content-Type names, or as UTF-8.");
        if (message.StartsWith(ExactDecimalConverter.NotANumber, StringComparison.Ordinal))
            return ($"{zh}须为 JSON 数字或 null。", $"{field} must be a JSON number or null.");
        if (MissingMembers(message) is { } names)
            return ($"{zh}缺少必填项 {names.Replace(", ", "、", StringComparison.Ordinal)}。", $"{field} lacks the required properties {names}.");
        // "Cannot read incomplete UTF-16 JSON text as string…" (an escaped lone surrogate), "Cannot transcode invalid UTF-8 JSON text…".
        if (ex.InnerException is InvalidOperationException inner && inner.Message.Contains(" UTF-", StringComparison.Ordinal))
            return ($"{zh}不是有效的 Unicode 文本：含有半个代理对（如单独的 \\ud800）或不是 UTF-8 的字节。",
                $"{field} is not valid Unicode text: it holds half of a surrogate pair (such as \\ud800 alone) or bytes that are not UTF-8.");
        if (message.Contains("too large", StringComparison.Ordinal))
            return ($"{zh}的数字太大。", $"{field} is too large a number.");
        (string Chinese, string English)? expected =
            message.StartsWith(OffsetDateTimeConverter.NoOffset, StringComparison.Ordinal)
                ? ("带时区的日期时间字符串，如 2016-01-31T23:59:59+08:00 或 2016-01-31T15:59:59Z", "a date-time string with its UTC offset, such as 2016-01-31T23:59:59+08:00 or 2016-01-31T15:59:59Z") :
            message.Contains("System.Int32", StringComparison.Ordinal) ? ("不带小数点或指数的整数，如 3", "a whole number written without a fraction or exponent, such as 3") :
            message.Contains("System.Decimal", StringComparison.Ordinal) ? ("JSON 数字", "a JSON number") :
            // A list of strings names System.String too: it is an array first.
            message.Contains("System.Collections.Generic.", StringComparison.Ordinal) ? ("JSON 数组", "a JSON array") :
            message.Contains("System.String", StringComparison.Ordinal) ? ("JSON 字符串", "a JSON string") :
            EnumValues.Where(e => message.Contains(e.Key, StringComparison.Ordinal)).OrderByDescending(e => e.Key.Length).Select(e => e.Value).FirstOrDefault() is { } values
                ? ($"{values.Replace(", ", "、", StringComparison.Ordinal)} 之一", $"one of {values}") :
            message.Contains("Disclosure.", StringComparison.Ordinal) ? ("JSON 对象", "a JSON object") : null;
        if (expected is not { } e)
            return ((field == "body" ? zh : $"{field}：请求体") + "不是有效的 JSON，或与接口文档所述的结构不符。", $"{field}: the body is not valid JSON or does not have the documented shape.");
        // A value of a list (an enum's) is named alone: whether null stands for it is the request's own rule, said when broken.
        var orNull = message.Contains("Nullable", StringComparison.Ordinal) && !e.English.StartsWith("one of ", StringComparison.Ordinal);
        return ($"{zh}须为{(char.IsAscii(e.Chinese[0]) ? " " : "")}{e.Chinese}{(orNull ? "，或为 null" : "")}。",
            $"{field} must be {e.English}" + (!orNull ? "." : e.English.Contains(',', StringComparison.Ordinal) ? ", or null." : " or null."));
    }
}
