using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The service's enums as camelCase strings, read only as written: System.Text.Json's string enum converter writes them,
/// but reads a name it derived with a naming policy ignoring case and surrounding spaces, even as a comma list
/// (<c>TOWN</c>, <c>" town"</c> and <c>"town, government"</c> are all <c>town</c>), and has no setting to read exactly.
/// A member's <see cref="JsonStringEnumMemberNameAttribute"/> (<c>sum-member</c>) is its name, as the converter writes it.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    private static readonly JsonNamingPolicy Policy = JsonNamingPolicy.CamelCase;
    private readonly JsonStringEnumConverter strings = new(Policy, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert), strings.CreateConverter(typeToConvert, options))!;

    /// <summary>The names a client sends and reads for an enum's members, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType) =>
        [.. enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? Policy.ConvertName(f.Name))];

    /// <summary>The member named exactly <paramref name="name"/>, as a query parameter reads it: the body's rule.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        var names = Names(typeof(T));
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                value = (T)fields[i].GetValue(null)!;
                return true;
            }
        value = default;
        return false;
    }

    private sealed class Exact<T>(JsonConverter<T> strings) : JsonConverter<T> where T : struct, Enum
    {
        private static readonly (byte[] Name, T Value)[] Members =
            [.. Names(typeof(T)).Zip(typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static), (name, field) => (Encoding.UTF8.GetBytes(name), (T)field.GetValue(null)!))];

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // Anything but a string (a number, an object) the framework's converter refuses, with its own message.
            if (reader.TokenType != JsonTokenType.String) return strings.Read(ref reader, typeToConvert, options);
            foreach (var (name, value) in Members)
                if (reader.ValueTextEquals(name)) return value;
            // Without a message, the serializer says it could not convert the value to T, which Json.Describe turns into the names.
            throw new JsonException();
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => strings.Write(writer, value, options);
    }
}
