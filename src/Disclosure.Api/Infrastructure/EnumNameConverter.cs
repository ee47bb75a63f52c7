using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The service's enums as camelCase strings, read as one member's name: System.Text.Json's string enum converter writes them,
/// but also reads a name with surrounding spaces or as a comma list (<c>" town"</c> and <c>"town, government"</c> are read
/// as some kind), and has no setting to refuse those. A name is read in any case (<c>Town</c>), since the clients NSwag
/// generates write the C# member's name. A member's <see cref="JsonStringEnumMemberNameAttribute"/> (<c>sum-member</c>)
/// is its name, as the converter writes it.
/// </summary>
public sealed class EnumNameConverter : JsonConverterFactory
{
    private static readonly JsonNamingPolicy Policy = JsonNamingPolicy.CamelCase;
    private readonly JsonStringEnumConverter strings = new(Policy, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Named<>).MakeGenericType(typeToConvert), strings.CreateConverter(typeToConvert, options))!;

    /// <summary>The names a client sends and reads for an enum's members, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType) =>
        [.. enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? Policy.ConvertName(f.Name))];

    /// <summary>The member named <paramref name="name"/>, in any case, as a query parameter reads it: the body's rule.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        var names = Names(typeof(T));
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                value = (T)fields[i].GetValue(null)!;
                return true;
            }
        value = default;
        return false;
    }

    private sealed class Named<T>(JsonConverter<T> strings) : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // Anything but a string (a number, an object) the framework's converter refuses, with its own message.
            if (reader.TokenType != JsonTokenType.String) return strings.Read(ref reader, typeToConvert, options);
            if (TryParse<T>(reader.GetString(), out var value)) return value;
            // Without a message, the serializer says it could not convert the value to T, which Json.Describe turns into the names.
            throw new JsonException();
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => strings.Write(writer, value, options);
    }
}
