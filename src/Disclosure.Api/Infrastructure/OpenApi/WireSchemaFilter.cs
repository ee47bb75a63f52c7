using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>
/// Makes object schemas say what the wire carries. The service writes every property that is not null
/// (<c>WhenWritingNull</c>), so a property that cannot be null — a value type, or a reference declared non-nullable
/// (<c>string Rule</c>) — is always present and never null: it is required and not nullable. XML cross-references read
/// as the member's name rather than the CLR path (<c>Disclosure.Catalogue.Violation.Rule</c> → <c>Rule</c>).
/// </summary>
public sealed partial class WireSchemaFilter : ISchemaFilter
{
    private readonly NullabilityInfoContext nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete) return;
        if (concrete.Description is { } description) concrete.Description = ClrPath().Replace(description, "$1");
        if (concrete.Properties is not { Count: > 0 } properties || context.Type.IsEnum || context.Type.IsPrimitive) return;
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var propertySchema)) continue;
            var neverNull = property.PropertyType.IsValueType
                ? Nullable.GetUnderlyingType(property.PropertyType) is null
                : nullability.Create(property).ReadState == NullabilityState.NotNull;
            if (!neverNull) continue;
            (concrete.Required ??= new HashSet<string>()).Add(name);
            if (propertySchema is OpenApiSchema s && s.Type is { } type) s.Type = type & ~JsonSchemaType.Null;
        }
    }

    [GeneratedRegex(@"\bDisclosure(?:\.\w+)+\.(\w+)\b")]
    private static partial Regex ClrPath();
}
