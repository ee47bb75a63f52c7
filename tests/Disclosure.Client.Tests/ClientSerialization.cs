using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Disclosure.Client;

// NSwag's System.Text.Json output puts a string-enum converter on single enum properties only, so a list of enums
// (a catalogue's `granularities`) would not read; and that converter writes the C# member name (`Government`), since
// System.Text.Json ignores the EnumMember values NSwag declares, while the service takes an enum value only as the
// document lists it (`government`). The service's enums are camelCase strings: the generated clients' extension point
// takes the same converter for every enum property, as an integrator would configure it.
internal static class ClientSerialization
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(type =>
        {
            foreach (var property in type.Properties)
                if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).IsEnum) property.CustomConverter = null;
        });
    }
}

public partial class CataloguesClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class ReportersClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class KeysClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class SubmissionsClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class PeriodsClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class AggregatesClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class HealthClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
