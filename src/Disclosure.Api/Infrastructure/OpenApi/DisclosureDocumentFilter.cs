using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>
/// Document-wide touches: the resource tags in a fixed order with their descriptions, and no component schemas that
/// nothing refers to (Swashbuckle generates one for every request DTO, including those that turned out to be route
/// and query parameters only).
/// </summary>
public sealed class DisclosureDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags?.AsEnumerable() ?? []).Select(t => t.Name).ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(FastEndpointsOperations.Tags
            .Where(t => used.Contains(t.Name))
            .Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        // Relative: the document describes whichever host serves it (and linters want a server named).
        document.Servers = [new OpenApiServer { Url = "/", Description = "The service that serves this document." }];
        PruneSchemas(document);
    }

    public static void PruneSchemas(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>();
        void Visit(IOpenApiSchema? schema) { if (schema is not null) pending.Push(schema); }
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var parameter in operation.Parameters ?? []) Visit(parameter.Schema);
            foreach (var media in operation.RequestBody?.Content?.Values ?? []) Visit(media.Schema);
            foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
            {
                foreach (var media in response.Content?.Values ?? []) Visit(media.Schema);
                foreach (var header in response.Headers?.Values ?? []) Visit(header.Schema);
            }
        }
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                var id = reference.Reference.Id;
                if (id is not null && reachable.Add(id) && schemas.TryGetValue(id, out var target)) Visit(target);
                continue;
            }
            foreach (var child in schema.Properties?.Values ?? []) Visit(child);
            foreach (var child in (schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])) Visit(child);
            Visit(schema.Items);
            Visit(schema.AdditionalProperties);
        }
        foreach (var id in schemas.Keys.Where(id => !reachable.Contains(id)).ToList()) schemas.Remove(id);
    }
}
