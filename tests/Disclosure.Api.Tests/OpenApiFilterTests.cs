using System.Text.Json.Nodes;
using Disclosure.Api.Infrastructure;
using Disclosure.Api.Infrastructure.Swagger;
using Disclosure.Catalogue;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Tests;

/// <summary>
/// The operation filter on its own: given an endpoint's API description and a bare operation (as Swashbuckle would
/// hand it over, invented body included), it describes what FastEndpoints really binds and answers.
/// </summary>
public sealed class OpenApiFilterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly FastEndpointsOperationFilter filter = new(new RequestExamples(CatalogueRegistry.LoadEmbedded()));

    private ApiDescription Describe(string method, string path) =>
        factory.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Single(d => d.HttpMethod == method && d.RelativePath == path);

    private (OpenApiOperation Operation, SchemaRepository Schemas) Apply(string method, string path)
    {
        var schemas = new SchemaRepository(OpenApi.DocumentName);
        var document = new OpenApiDocument { Components = new OpenApiComponents() };
        var operation = new OpenApiOperation
        {
            RequestBody = new OpenApiRequestBody { Content = new Dictionary<string, IOpenApiMediaType> { ["*/*"] = new OpenApiMediaType() } },
            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
        };
        var api = Describe(method, path);
        var context = new OperationFilterContext(api, factory.Services.GetRequiredService<ISchemaGenerator>(), schemas, document, null!);
        filter.Apply(operation, context);
        return (operation, schemas);
    }

    private static IEnumerable<(string Name, ParameterLocation? In, bool Required)> Parameters(OpenApiOperation operation) =>
        (operation.Parameters ?? []).Select(p => (p.Name!, p.In, p.Required));

    [Fact]
    public void A_Get_With_A_Dto_Gets_Route_And_Query_Parameters_And_No_Body()
    {
        var (operation, _) = Apply("GET", "v1/aggregates/{catalogue}/{period}");
        Assert.Null(operation.RequestBody);
        Assert.Equal(
            [("catalogue", ParameterLocation.Path, true), ("period", ParameterLocation.Path, true),
             ("reporters", ParameterLocation.Query, false), ("kind", ParameterLocation.Query, false), ("format", ParameterLocation.Query, false),
             ("layout", ParameterLocation.Query, false), ("reportDate", ParameterLocation.Query, false), ("asAt", ParameterLocation.Query, false),
             ("If-None-Match", ParameterLocation.Header, false)],
            Parameters(operation));
        Assert.Equal("Period, e.g. 2014 or 2014Q3.", operation.Parameters!.Single(p => p.Name == "period").Description);
        Assert.StartsWith("读取全区汇总表 · ", operation.Summary);
        Assert.EndsWith("API key roles: `admin`, `viewer`.", operation.Description);
    }

    [Fact]
    public void One_Reporters_Table_Takes_The_Layout_And_Report_Date_Of_The_District_Tables_Form()
    {
        var (operation, _) = Apply("GET", "v1/aggregates/{catalogue}/{period}/reporters/{id}");
        Assert.Null(operation.RequestBody);
        Assert.Equal(
            [("catalogue", ParameterLocation.Path, true), ("period", ParameterLocation.Path, true), ("id", ParameterLocation.Path, true),
             ("format", ParameterLocation.Query, false), ("layout", ParameterLocation.Query, false), ("reportDate", ParameterLocation.Query, false),
             ("If-None-Match", ParameterLocation.Header, false)],
            Parameters(operation));
    }

    [Fact]
    public async Task The_National_Layout_Declares_The_ETag_And_If_None_Match_It_Answers_And_Its_Formats()
    {
        var (operation, _) = Apply("GET", "v1/aggregates/{catalogue}/{period}/as/{national}");
        Assert.Equal(["If-None-Match", "asAt", "catalogue", "format", "national", "period"], Parameters(operation).Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(operation.Responses!["200"].Headers?.ContainsKey("ETag"));
        Assert.True(operation.Responses["200"].Headers?.ContainsKey("Content-Disposition"));

        using var admin = factory.Admin();
        var response = await admin.GetAsync("/v1/aggregates/gov-info-disclosure-fujian-2008/2014/as/gov-info-disclosure-2014", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("v1/periods/{catalogue}/{period}")]
    [InlineData("v1/aggregates/{catalogue}/{period}")]
    [InlineData("v1/aggregates/{catalogue}/{period}/as/{national}")]
    [InlineData("v1/aggregates/{catalogue}/{period}/breakdown")]
    public void A_304_Declares_The_ETag_It_Sends(string path)
    {
        var (operation, _) = Apply("GET", path);

        Assert.True(operation.Responses!["304"].Headers?.ContainsKey("ETag"));
    }

    [Fact]
    public void A_Rename_Does_Not_Offer_Null_For_The_Name_And_A_Value_Requires_Its_Code()
    {
        // The service refuses both: a name of null is a 400, as is a value without a code or with code null.
        var generator = factory.Services.GetRequiredService<ISchemaGenerator>();
        var schemas = new SchemaRepository(OpenApi.DocumentName);
        generator.GenerateSchema(typeof(Features.Reporters.Rename.Request), schemas);
        generator.GenerateSchema(typeof(Features.Submissions.ValueItem), schemas);
        var rename = schemas.Schemas.Single(s => s.Value.Properties?.ContainsKey("retiredFrom") == true).Value;
        var value = schemas.Schemas.Single(s => s.Value.Properties?.ContainsKey("code") == true && s.Value.Properties.ContainsKey("value")).Value;

        Assert.False(rename.Properties!["name"].Type!.Value.HasFlag(JsonSchemaType.Null));
        Assert.DoesNotContain("name", rename.Required ?? new HashSet<string>());
        Assert.False(value.Properties!["code"].Type!.Value.HasFlag(JsonSchemaType.Null));
        Assert.Contains("code", value.Required ?? new HashSet<string>());
    }

    [Fact]
    public void Query_Parameters_That_The_Validator_Demands_Are_Required()
    {
        var (operation, _) = Apply("GET", "v1/submissions");
        Assert.Equal(
            [("reporter", ParameterLocation.Query, true), ("catalogue", ParameterLocation.Query, true), ("period", ParameterLocation.Query, true)],
            Parameters(operation));
    }

    [Fact]
    public void A_Secured_Endpoint_Gets_The_Key_Requirement_And_Every_Status_It_Can_Answer()
    {
        var (operation, schemas) = Apply("POST", "v1/submissions");
        Assert.Equal(["200", "201", "400", "401", "403", "409", "413", "414", "415", "422", "429", "431", "503", "507"], operation.Responses!.Keys);
        var requirement = Assert.Single(operation.Security!);
        Assert.Equal(ApiKeys.Scheme, Assert.Single(requirement.Keys).Reference.Id);
        Assert.Equal(["Idempotency-Key", "If-Match"], Parameters(operation).Where(p => p.In == ParameterLocation.Header).Select(p => p.Name));
        Assert.NotNull(operation.Responses["201"].Headers?["Location"]);

        var refused = Assert.IsType<OpenApiSchemaReference>(operation.Responses["422"].Content!["application/problem+json"].Schema);
        Assert.Equal(FastEndpointsOperationFilter.UnprocessableProblemSchema, refused.Reference.Id);
        var violations = schemas.Schemas[FastEndpointsOperationFilter.UnprocessableProblemSchema].Properties!["violations"];
        Assert.Equal("Violation", Assert.IsType<OpenApiSchemaReference>(violations.Items).Reference.Id);
        Assert.True(schemas.Schemas[FastEndpointsOperationFilter.ValidationProblemSchema].Properties!.ContainsKey("errors"));
    }

    [Fact]
    public void An_Anonymous_Endpoint_Says_So_And_Documents_No_401_Or_403()
    {
        var (operation, _) = Apply("GET", "v1/catalogues/{id}");
        Assert.Empty(Assert.Single(operation.Security!));
        Assert.Equal(["200", "400", "404", "413", "414", "431"], operation.Responses!.Keys);
        Assert.Null(operation.RequestBody);
    }

    [Fact]
    public void A_Post_Body_Leaves_Out_Route_Values_And_Requires_What_The_Validator_Requires()
    {
        var (update, schemas) = Apply("PUT", "v1/periods/{catalogue}/{period}");
        var body = update.RequestBody!.Content!["application/json"];
        var id = Assert.IsType<OpenApiSchemaReference>(body.Schema).Reference.Id!;
        Assert.Equal(["deadline", "expectedReporters"], schemas.Schemas[id].Properties!.Keys);
        Assert.Equal("2015-01-31T16:00:00+00:00", body.Example!["deadline"]!.GetValue<string>());

        var (create, created) = Apply("POST", "v1/reporters");
        var reporter = created.Schemas[Assert.IsType<OpenApiSchemaReference>(create.RequestBody!.Content!["application/json"].Schema).Reference.Id!];
        Assert.Equal(["id", "kind", "name"], reporter.Required!.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("v1/periods/{catalogue}/{period}/close")]
    [InlineData("v1/admin/backup")]
    public void A_Post_That_Takes_No_Body_Declares_None_And_Says_A_Member_Is_Refused(string path)
    {
        // None declared, so that a generated client sends none (NSwag would otherwise make every call pass a body, and send null).
        var (operation, _) = Apply("POST", path);
        Assert.Null(operation.RequestBody);
        Assert.Contains("other than `{}`", operation.Responses!["400"].Description);
        Assert.Contains("takes none", operation.Responses!["413"].Description);
        Assert.Contains("takes none", operation.Responses!["415"].Description);
    }

    [Fact]
    public void The_Submission_Example_Follows_The_Catalogue_And_Names_Money_Units()
    {
        var example = new RequestExamples(CatalogueRegistry.LoadEmbedded()).Submission();
        var values = example["values"]!.AsArray().Select(v => v!.AsObject()).ToList();
        Assert.Equal(SeedTable.Values.Select(v => v.Key), values.Select(v => v["code"]!.GetValue<string>()));
        Assert.Equal("万元", values.Single(v => v["code"]!.GetValue<string>() == "11")["unit"]!.GetValue<string>());
        Assert.All(values.Where(v => v["code"]!.GetValue<string>() != "11"), v => Assert.False(v.ContainsKey("unit")));
    }

    [Theory]
    [InlineData(typeof(Features.Submissions.Submit.Endpoint), "Submissions", "Submit")]
    [InlineData(typeof(Features.Aggregates.GetReporter.Endpoint), "Aggregates", "GetReporter")]
    [InlineData(typeof(Features.Health.Live), "Health", "Live")]
    public void Operation_Names_Come_From_The_Feature_Folder(Type endpoint, string resource, string useCase) =>
        Assert.Equal((resource, useCase), FastEndpointsOperations.Slice(endpoint));

    [Fact]
    public void Pruning_Keeps_Schemas_Reachable_From_Operations_And_Drops_The_Rest()
    {
        var document = new OpenApiDocument
        {
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>
                {
                    ["Used"] = new OpenApiSchema { Type = JsonSchemaType.Object },
                    ["Nested"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["Orphan"] = new OpenApiSchema { Type = JsonSchemaType.Object },
                },
            },
            Paths = [],
        };
        ((OpenApiSchema)document.Components.Schemas["Used"]).Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["items"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference("Nested", document) },
        };
        document.Paths["/x"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "OK",
                            Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("Used", document) } },
                        },
                    },
                },
            },
        };
        DisclosureDocumentFilter.PruneSchemas(document);
        Assert.Equal(["Nested", "Used"], document.Components.Schemas.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_Limits_A_Validator_Puts_On_A_Member_Are_In_Its_Schema_In_The_Dialect_Json_Schema_Reads()
    {
        var (audit, _) = Apply("GET", "v1/audit");
        var limit = audit.Parameters!.Single(p => p.Name == "limit").Schema!;
        Assert.Equal(("1", "500"), (limit.Minimum, limit.Maximum));

        var (_, schemas) = Apply("POST", "v1/reporters");
        var body = schemas.Schemas[Infrastructure.OpenApi.SchemaId(typeof(Features.Reporters.Create.Request))].Properties!;
        // .NET's \z is no ECMA-262 escape: the pattern a generated client compiles ends in $.
        Assert.Equal("^[a-z0-9-]{2,64}$", body["id"].Pattern);
        Assert.Equal(200, body["name"].MaxLength);

        // A pattern checked only when the header is given still holds of the header given.
        var (submit, _) = Apply("POST", "v1/submissions");
        Assert.NotNull(submit.Parameters!.Single(p => p.Name == "Idempotency-Key").Schema!.Pattern);
    }
}
