using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>
/// Makes object schemas say what the wire carries. The service writes every property that is not null
/// (<c>WhenWritingNull</c>), so a property that cannot be null — a value type, or a reference declared non-nullable
/// (<c>string Rule</c>) — is always present and never null: it is required and not nullable. A nullable property a body may not
/// set to null (<c>[DisallowNull]</c>, which the validator enforces) is not nullable, and required too with <c>[Required]</c>. XML cross-references read
/// as the member's name rather than the CLR path (<c>Disclosure.Catalogue.Violation.Rule</c> → <c>Rule</c>).
/// </summary>
public sealed partial class WireSchemaFilter : ISchemaFilter
{
    private readonly NullabilityInfoContext nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete) return;
        if (concrete.Description is { } description) concrete.Description = ClrPath().Replace(description, "$1");
        // System.Text.Json reads an enum's name in any case, and so does the service (EnumNameConverter), so that a client generated
        // to send the C# member's name (Town) is understood: the schema says so, beside the names it lists and always answers with.
        if (context.Type.IsEnum)
            concrete.Description = (concrete.Description is { Length: > 0 } d ? d + "\n\n" : "") + "Sent in a request, a name is read in any case (`Town` as `town`); answers write it as listed.";
        if (concrete.Properties is not { Count: > 0 } properties || context.Type.IsEnum || context.Type.IsPrimitive) return;
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var propertySchema)) continue;
            var state = property.PropertyType.IsValueType ? null : nullability.Create(property);
            var neverNull = state is null ? Nullable.GetUnderlyingType(property.PropertyType) is null : state.ReadState == NullabilityState.NotNull;
            // [DisallowNull] on a nullable property: a body may leave it out, but null is refused (a merge patch's name), so the
            // schema does not offer null; [Required] beside it makes it required too.
            var neverSentNull = neverNull || state?.WriteState == NullabilityState.NotNull;
            var required = neverNull || property.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute));
            if (required) (concrete.Required ??= new HashSet<string>()).Add(name);
            if (neverSentNull && propertySchema is OpenApiSchema s && s.Type is { } type) s.Type = type & ~JsonSchemaType.Null;
        }
    }

    [GeneratedRegex(@"\bDisclosure(?:\.\w+)+\.(\w+)\b")]
    private static partial Regex ClrPath();
}
