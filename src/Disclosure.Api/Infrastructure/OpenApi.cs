using Disclosure.Api.Infrastructure.Swagger;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Infrastructure;

public static class OpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = $"/swagger/{DocumentName}/swagger.json";
    public const string SwaggerPrefix = "/swagger";

    public static IServiceCollection AddDisclosureOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSingleton<RequestExamples>();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Disclosure API",
                Version = "v1",
                Description = "政府信息公开工作情况统计表的报送、校验与汇总 — submission, validation and aggregation of " +
                    "government-information-disclosure statistics.\n\n" +
                    "Every request but `/health/*`, `/swagger*` and `GET /v1/catalogues*` needs an API key in the `X-Api-Key` header. " +
                    "Every error is a problem-details document (`application/problem+json`).\n\n" +
                    // HEAD is routed as the GET it stands for, so no operation of its own says so.
                    "Every `GET` also answers `HEAD`: the same status and headers, without the body.\n\n" +
                    // What the framework does, said for clients generated from this document: FastEndpoints answers JSON whatever Accept
                    // says (RFC 9110 12.5.1 lets a server disregard it), and names are bound as ASP.NET binds them.
                    "An operation that answers in JSON only answers in JSON whatever `Accept` says; those that answer in other formats (the " +
                    "district table, its breakdown, a reporter's table, the national layout, the audit log, the Excel templates) choose by `Accept` or `?format=`, and answer 406 when `Accept` allows none of them. " +
                    "Query parameters' names, and enum values, are read in any case; answers write them as listed here.\n\n" +
                    // Headers every answer carries (ResponseHeaders, the request id), which no operation lists.
                    "Every answer carries `X-Request-Id`, the request's id (a problem's `requestId`: quote it when asking the district office " +
                    "about a request), and `X-Content-Type-Options: nosniff`. Every `/v1` answer carries `Cache-Control: no-store`, except a 200 " +
                    "or 304 of a read that takes `If-None-Match` (the aggregates, a period's settings): `no-cache`, to be revalidated with its ETag.\n\n" +
                    "Answers in text (JSON, problems, CSV, HTML) are compressed, gzip or brotli, as `Accept-Encoding` asks (`Vary: Accept-Encoding`), " +
                    "except the key-issuing `POST /v1/keys` (its answer carries the secret). The aggregates (`/v1/aggregates/…`, every format but " +
                    "xlsx) are gzip only, compressed once per version under an ETag of their own (`\"…-gzip\"`): a client that accepts brotli " +
                    "alone gets them uncompressed.",
                Contact = new OpenApiContact { Name = "District government-information-disclosure office" },
            });
            c.CustomSchemaIds(SchemaId);
            // Values are exact decimals (万元 with two places, counts up to 999 999 999 999): say so, so that a
            // generated client keeps them as decimal rather than double.
            c.MapType<decimal>(() => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "decimal" });
            c.SupportNonNullableReferenceTypes();
            c.CustomOperationIds(api => FastEndpointsOperations.OperationId(api));
            c.TagActionsBy(api => [FastEndpointsOperations.Tag(api)]);
            c.OrderActionsBy(api => $"{FastEndpointsOperations.TagOrder(api):D2} {api.RelativePath} {api.HttpMethod}");
            foreach (var assembly in new[] { typeof(Program).Assembly, typeof(Catalogue.Catalogue).Assembly, typeof(Storage.Reporter).Assembly })
            {
                var xml = Path.ChangeExtension(assembly.Location, ".xml");
                if (File.Exists(xml)) c.IncludeXmlComments(xml);
            }
            c.AddSecurityDefinition(ApiKeys.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeys.Header,
                Description = "An API key issued by the district office (`POST /v1/keys`), or the configured admin key. " +
                    "Roles: `admin` (everything), `viewer` (reads everything, writes nothing), `reporter` (bound to one reporter).",
            });
            c.SchemaFilter<WireSchemaFilter>();
            c.OperationFilter<FastEndpointsOperationFilter>();
            c.DocumentFilter<DisclosureDocumentFilter>();
        });
        // FastEndpoints serialises with its own options (Json.Configure), which neither MVC's nor minimal APIs' JsonOptions
        // carry; the schemas must show what goes on the wire (enums as camelCase strings), so Swashbuckle gets the same.
        services.AddTransient<ISerializerDataContractResolver>(_ => new JsonSerializerDataContractResolver(Json.Options));
        return services;
    }

    public static WebApplication UseDisclosureOpenApi(this WebApplication app)
    {
        // Both answer only under /swagger; the branch spares every other request their path matching and the
        // per-request resolution of the document generator.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(SwaggerPrefix, StringComparison.OrdinalIgnoreCase), swagger =>
        {
            // OpenAPI 3.0: what NSwag, Kiota, Redocly and Spectral all read without caveats; 3.1 gains nothing this API uses.
            swagger.UseSwagger(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0);
            // The UI package also ships swagger-ui-dist's own swagger-initializer.js, which would open the petstore: that path answers
            // with the script the UI's page runs (index.js), made from the options below.
            swagger.Use((context, next) =>
            {
                if (context.Request.Path.Equals($"{SwaggerPrefix}/swagger-initializer.js", StringComparison.OrdinalIgnoreCase))
                    context.Request.Path = $"{SwaggerPrefix}/index.js";
                return next(context);
            });
            swagger.UseSwaggerUI(ui =>
            {
                ui.SwaggerEndpoint(DocumentPath, "Disclosure API v1");
                ui.RoutePrefix = "swagger";
                ui.DocumentTitle = "Disclosure API";
                ui.DisplayOperationId();
            });
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
