using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>
/// Makes property schemas say what the wire carries: a non-nullable reference property (<c>string Rule</c>) is never
/// null in a response, so it is not marked nullable; and XML cross-references read as the member's name rather than
/// the CLR path (<c>Disclosure.Catalogue.Violation.Rule</c> → <c>Rule</c>).
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
            if (property.PropertyType.IsValueType) continue;
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var propertySchema) || propertySchema is not OpenApiSchema s || s.Type is not { } type) continue;
            if (nullability.Create(property).ReadState == NullabilityState.NotNull) s.Type = type & ~JsonSchemaType.Null;
        }
    }

    [GeneratedRegex(@"\bDisclosure(?:\.\w+)+\.(\w+)\b")]
    private static partial Regex ClrPath();
}
