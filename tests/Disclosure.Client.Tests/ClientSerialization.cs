using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disclosure.Client;

// NSwag's System.Text.Json output puts a string-enum converter on single enum properties only, so a list of enums
// (a catalogue's `granularities`) would not read. The service sends every enum as a camelCase string; the generated
// clients' extension point takes the same converter, as an integrator would add it.
internal static class ClientSerialization
{
    public static void Configure(JsonSerializerOptions options) =>
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
}

public partial class CataloguesClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class ReportersClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class KeysClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class SubmissionsClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class PeriodsClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class AggregatesClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
public partial class HealthClient { static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ClientSerialization.Configure(settings); }
