using Microsoft.OpenApi;

namespace Disclosure.Api.Infrastructure;

public static class OpenApi
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddDisclosureOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Disclosure API",
                Version = "v1",
                Description = "政府信息公开工作情况统计表的报送、校验与汇总 — submission, validation and aggregation of government-information-disclosure statistics.",
            });
            c.CustomSchemaIds(SchemaId);
        });
        return services;
    }

    public static WebApplication UseDisclosureOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "Disclosure API v1");
            ui.RoutePrefix = "swagger";
        });
        return app;
    }

    /// <summary>
    /// Every use case has types named <c>Request</c> and <c>Response</c>; the schema id is the feature path plus the
    /// type name (<c>SubmissionsSubmitRequest</c>), and framework types keep a readable, unique name.
    /// </summary>
    public static string SchemaId(Type type)
    {
        var name = type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`')] + "Of" + string.Join("And", type.GetGenericArguments().Select(SchemaId))
            : type.Name;
        if (type.IsNested && type.DeclaringType is { } outer) name = SchemaId(outer) + name;
        else if (type.Namespace is { } ns && ns.Contains(".Features.", StringComparison.Ordinal))
            name = ns[(ns.IndexOf(".Features.", StringComparison.Ordinal) + 10)..].Replace(".", "", StringComparison.Ordinal) + name;
        else if (type.Namespace is { } other && (other.StartsWith("FastEndpoints", StringComparison.Ordinal) || other.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)))
            name = other.Split('.')[0] + name;
        return name;
    }
}
